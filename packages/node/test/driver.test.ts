import { ManualClock, socketAddress } from '@rtcwire/common';
import { describe, expect, it } from 'vitest';
import { Driver } from '../src/driver.js';
import { FakeEndpoint, type FakeEvent, FakeTimers, MemoryTransport } from './helpers.js';

const A = socketAddress('127.0.0.1', 1000);
const B = socketAddress('127.0.0.1', 1001);
const PEER = socketAddress('127.0.0.1', 2000);

function setup(deadline?: number) {
  const clock = new ManualClock(0);
  const timers = new FakeTimers();
  const endpoint = new FakeEndpoint();
  endpoint.deadline = deadline;
  const a = new MemoryTransport(A);
  const b = new MemoryTransport(B);
  const driver = new Driver<FakeEvent>(endpoint, [a, b], { clock, timers });
  return { clock, timers, endpoint, a, b, driver };
}

describe('Driver timer', () => {
  it('arms exactly one timer for the endpoint deadline at start', () => {
    const { timers } = setup(250);
    expect(timers.only().delayMs).toBe(250);
  });

  it('arms no timer when the endpoint has no deadline', () => {
    const { timers } = setup(undefined);
    expect(timers.pending.size).toBe(0);
  });

  it('keeps the same timer when input leaves the deadline unchanged', () => {
    const { timers, a, clock } = setup(500);
    clock.advanceTo(10);
    a.receive(PEER, new Uint8Array([1]));
    a.receive(PEER, new Uint8Array([2]));
    expect(timers.sets).toBe(1);
    expect(timers.clears).toBe(0);
    expect(timers.only().delayMs).toBe(500);
  });

  it('re-arms (replacing, never adding) when input moves the deadline', () => {
    const { timers, a, endpoint, clock } = setup(500);
    clock.advanceTo(100);
    endpoint.deadline = 130;
    a.receive(PEER, new Uint8Array([1]));
    expect(timers.only().delayMs).toBe(30);
    expect(timers.clears).toBe(1);
    endpoint.deadline = undefined;
    a.receive(PEER, new Uint8Array([1]));
    expect(timers.pending.size).toBe(0);
  });

  it('calls handleTimeout with the clock time when the timer fires, then arms the next deadline', () => {
    const { timers, endpoint, clock, driver } = setup(100);
    endpoint.period = 100;
    const ticks: number[] = [];
    driver.on('tick', (e) => ticks.push(e.at));
    for (let i = 1; i <= 5; i++) {
      clock.advanceTo(i * 100);
      timers.fire();
      expect(timers.only().delayMs).toBe(100);
    }
    expect(endpoint.timeouts).toEqual([100, 200, 300, 400, 500]);
    expect(ticks).toEqual([100, 200, 300, 400, 500]);
  });

  it('does not spin: a fired timer with no new deadline leaves nothing armed', () => {
    const { timers, endpoint, clock } = setup(100);
    clock.advanceTo(100);
    timers.fire();
    expect(endpoint.timeouts).toEqual([100]);
    expect(timers.pending.size).toBe(0);
    // Later input does not wake the endpoint's timeout path by itself.
    expect(endpoint.timeouts).toHaveLength(1);
  });

  it('a timer that fires early re-arms for the remainder instead of looping', () => {
    const { timers, endpoint, clock } = setup(100);
    clock.advanceTo(99.5);
    timers.fire();
    expect(endpoint.timeouts).toEqual([99.5]);
    expect(timers.only().delayMs).toBe(1);
  });

  it('serves work that becomes due during handleTimeout at once, without a new timer', () => {
    const { timers, endpoint, clock, driver } = setup(100);
    let queued = false;
    endpoint.handleTimeout = (now) => {
      endpoint.timeouts.push(now);
      // First pass queues work due immediately (deadline = now); the second pass does it.
      endpoint.deadline = queued ? 300 : now;
      queued = true;
    };
    clock.advanceTo(100);
    timers.fire();
    expect(endpoint.timeouts).toEqual([100, 100]);
    expect(timers.only().delayMs).toBe(200);
    expect(driver.drops.get('stale-deadline')).toBe(0);
  });

  it('backs off instead of spinning when the endpoint never advances its deadline', () => {
    const { timers, endpoint, clock, driver } = setup(100);
    endpoint.handleTimeout = (now) => {
      endpoint.timeouts.push(now); // buggy core: the deadline stays at 100
    };
    clock.advanceTo(100);
    timers.fire();
    expect(endpoint.timeouts).toEqual([100, 100, 100, 100]);
    expect(timers.only().delayMs).toBe(10);
    expect(driver.drops.get('stale-deadline')).toBe(1);
    clock.advanceTo(110);
    timers.fire();
    expect(endpoint.timeouts).toHaveLength(8);
    expect(timers.only().delayMs).toBe(10);
  });

  it('close() clears the timer and ignores later input', async () => {
    const { timers, driver, a, endpoint } = setup(100);
    await driver.close();
    expect(timers.pending.size).toBe(0);
    expect(a.closed).toBe(true);
    a.receive(PEER, new Uint8Array([1]));
    expect(endpoint.received).toHaveLength(0);
  });
});

describe('Driver routing and events', () => {
  it('routes each outgoing datagram to the transport owning its local address', () => {
    const { a, b } = setup();
    a.receive(PEER, new Uint8Array([1, 2]));
    b.receive(PEER, new Uint8Array([3]));
    expect(a.sent.map((s) => [...s.data])).toEqual([[1, 2]]);
    expect(b.sent.map((s) => [...s.data])).toEqual([[3]]);
  });

  it('counts datagrams with no matching transport as drops', () => {
    const { driver, endpoint } = setup();
    driver.act(() => {
      endpoint.out.push({ local: socketAddress('127.0.0.1', 9), remote: PEER, data: new Uint8Array(1) });
    });
    expect(driver.drops.get('no-transport')).toBe(1);
  });

  it('delivers events to typed listeners, catch-all listeners and iterators in order', async () => {
    const { driver, a } = setup();
    const echoes: number[] = [];
    const all: string[] = [];
    driver.on('echo', (e) => echoes.push(e.bytes));
    driver.onEvent((e) => all.push(e.type));
    const it = driver.events();
    a.receive(PEER, new Uint8Array(3));
    a.receive(PEER, new Uint8Array(5));
    expect(echoes).toEqual([3, 5]);
    expect(all).toEqual(['echo', 'echo']);
    expect((await it.next()).value).toEqual({ type: 'echo', bytes: 3 });
    expect((await it.next()).value).toEqual({ type: 'echo', bytes: 5 });
    const pending = it.next();
    await driver.close();
    expect((await pending).done).toBe(true);
  });

  it('waitFor resolves on a matching event and rejects when the driver closes', async () => {
    const { driver, a } = setup();
    const got = driver.waitFor((e) => e.type === 'echo' && e.bytes === 7);
    a.receive(PEER, new Uint8Array(1));
    a.receive(PEER, new Uint8Array(7));
    await expect(got).resolves.toEqual({ type: 'echo', bytes: 7 });
    const never = driver.waitFor((e) => e.type === 'tick');
    await driver.close();
    await expect(never).rejects.toThrow(/closed/);
  });

  it('a throwing listener is reported as an error and does not stop delivery', () => {
    const { driver, a, b } = setup();
    const errors: string[] = [];
    driver.onError((e) => errors.push(e.message));
    driver.on('echo', () => {
      throw new Error('app bug');
    });
    a.receive(PEER, new Uint8Array(1));
    b.receive(PEER, new Uint8Array(1));
    expect(errors).toEqual(['app bug', 'app bug']);
    expect(b.sent).toHaveLength(1);
  });

  it('routes stream datagrams by local and remote address, and stops after removeTransport', () => {
    const { driver, endpoint } = setup();
    const server1 = socketAddress('127.0.0.1', 3478);
    const server2 = socketAddress('127.0.0.1', 5349);
    const s1 = new MemoryTransport(A, 'tcp', server1);
    const s2 = new MemoryTransport(A, 'tcp', server2);
    driver.addTransport(s1);
    driver.addTransport(s2);
    const out = (remote: typeof server1) =>
      driver.act(() => {
        endpoint.out.push({ local: A, remote, data: new Uint8Array([remote.port & 0xff]), protocol: 'tcp' });
      });
    out(server2);
    out(server1);
    expect(s1.sent.map((x) => x.remote)).toEqual([server1]);
    expect(s2.sent.map((x) => x.remote)).toEqual([server2]);
    driver.removeTransport(s2);
    out(server2);
    expect(s2.sent).toHaveLength(1);
    expect(driver.drops.get('no-transport')).toBe(1);
  });

  it('reports a closed stream transport and stops routing to it', () => {
    const { driver, endpoint } = setup();
    const server = socketAddress('127.0.0.1', 3478);
    const s = new MemoryTransport(A, 'tcp', server);
    driver.addTransport(s);
    const closed: unknown[] = [];
    driver.onTransportClosed((t) => closed.push(t));
    s.handlers?.closed?.();
    expect(closed).toEqual([s]);
    driver.act(() => {
      endpoint.out.push({ local: A, remote: server, data: new Uint8Array(1), protocol: 'tcp' });
    });
    expect(s.sent).toHaveLength(0);
    expect(driver.transports).not.toContain(s);
  });

  it('a listener removed during delivery still lets the others run and gets no later events', () => {
    const { driver, a } = setup();
    const seen: string[] = [];
    const off = driver.on('echo', () => {
      seen.push('first');
      off();
    });
    driver.on('echo', () => seen.push('second'));
    a.receive(PEER, new Uint8Array(1));
    a.receive(PEER, new Uint8Array(1));
    expect(seen).toEqual(['first', 'second', 'second']);
  });

  it('drops and reports a datagram whose handling throws, and keeps running', () => {
    const { driver, a, endpoint } = setup();
    const errors: string[] = [];
    driver.onError((e) => errors.push(e.message));
    const original = endpoint.handleDatagram.bind(endpoint);
    endpoint.handleDatagram = (now, d) => {
      if (d.data[0] === 0xff) throw new Error('core bug');
      original(now, d);
    };
    a.receive(PEER, new Uint8Array([0xff]));
    a.receive(PEER, new Uint8Array([1]));
    expect(errors).toEqual(['core bug']);
    expect(driver.drops.get('endpoint-threw')).toBe(1);
    expect(a.sent).toHaveLength(1);
  });
});
