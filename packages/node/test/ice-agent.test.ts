import type { IceEvent } from '@rtcwire/ice';
import makeMdns from 'multicast-dns';
import { afterEach, describe, expect, it } from 'vitest';
import { NodeIceAgent, type NodeIceAgentOptions } from '../src/ice-agent.js';
import { MdnsResolver } from '../src/mdns-resolver.js';

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  await Promise.all(cleanups.splice(0).map((c) => c()));
});

async function agent(options: Partial<NodeIceAgentOptions> & { controlling: boolean }) {
  const a = await NodeIceAgent.create({ addresses: ['127.0.0.1'], ...options });
  cleanups.push(() => a.close());
  return a;
}

const connected = (a: NodeIceAgent) =>
  a.driver.waitFor((e: IceEvent) => e.type === 'state' && (e.state === 'connected' || e.state === 'failed'));

/** Signal `from`'s candidates to `to`, optionally rewriting each address. */
function signal(from: NodeIceAgent, to: NodeIceAgent, rename?: (address: string) => string) {
  from.driver.on('local-candidate', (e) =>
    to.addRemoteCandidate(rename ? { ...e.candidate, address: rename(e.candidate.address) } : e.candidate),
  );
}

describe('NodeIceAgent', () => {
  it('binds one host socket per address and connects two agents on loopback', async () => {
    const a = await agent({ controlling: true });
    const b = await agent({ controlling: false });
    expect(a.driver.transports.map((t) => t.local.address)).toEqual(['127.0.0.1']);
    signal(a, b);
    signal(b, a);
    a.setRemoteParameters(b.localParameters);
    b.setRemoteParameters(a.localParameters);
    const [ca, cb] = [connected(a), connected(b)];
    a.gather();
    b.gather();
    expect(await ca).toMatchObject({ state: 'connected' });
    expect(await cb).toMatchObject({ state: 'connected' });
    const got = b.driver.waitFor((e) => e.type === 'data');
    expect(a.send(new Uint8Array([1, 2, 3]))).toBe(true);
    const e = await got;
    expect(e.type === 'data' && [...e.data]).toEqual([1, 2, 3]);
  });

  it('resolves a remote .local candidate through the mDNS resolver before pairing it', async () => {
    const port = 20000 + Math.floor(Math.random() * 20000);
    const responder = makeMdns({ port });
    cleanups.push(() => new Promise((r) => responder.destroy(() => r())));
    const name = '6a4c2f1e-0b7d-4e59-8c1a-3f2e1d0c9b8a.local';
    responder.on('query', (q) => {
      for (const question of q.questions ?? []) {
        if (question.name === name && question.type === 'A') {
          responder.respond({ answers: [{ name, type: 'A', ttl: 120, data: '127.0.0.1' }] });
        }
      }
    });
    const resolver = new MdnsResolver({ port });
    cleanups.push(() => resolver.close());
    const a = await agent({ controlling: true, mdns: resolver });
    const b = await agent({ controlling: false });
    const asked = a.driver.waitFor((e) => e.type === 'mdns-resolve');
    signal(b, a, () => name); // b hides its address behind the mDNS name
    signal(a, b);
    a.setRemoteParameters(b.localParameters);
    b.setRemoteParameters(a.localParameters);
    const ca = connected(a);
    b.gather();
    a.gather();
    expect(await asked).toEqual({ type: 'mdns-resolve', name });
    expect(await ca).toMatchObject({ state: 'connected' });
    expect(a.agent.remoteCandidates.some((c) => c.type === 'host' && c.address === '127.0.0.1')).toBe(true);
  });

  it('answers an mDNS lookup as unresolved when mDNS is disabled', async () => {
    const a = await agent({ controlling: true, mdns: false });
    const b = await agent({ controlling: false });
    signal(b, a, () => 'nobody.local');
    a.setRemoteParameters(b.localParameters);
    const asked = a.driver.waitFor((e) => e.type === 'mdns-resolve');
    b.gather();
    await asked;
    await new Promise((r) => setImmediate(r));
    expect(a.agent.drops.get('mdns-unresolved')).toBe(1);
  });

  it('restart() gives new credentials and gathers again', async () => {
    const a = await agent({ controlling: true });
    a.gather();
    const before = a.localParameters;
    const again = a.driver.waitFor((e) => e.type === 'local-candidate');
    a.restart();
    expect(a.localParameters.usernameFragment).not.toBe(before.usernameFragment);
    expect(await again).toMatchObject({ candidate: { address: '127.0.0.1', type: 'host' } });
  });

  it('refuses to start without a usable address', async () => {
    await expect(NodeIceAgent.create({ controlling: true, interfaces: { interfaces: [] } })).rejects.toThrow(
      /no usable local address/,
    );
  });
});
