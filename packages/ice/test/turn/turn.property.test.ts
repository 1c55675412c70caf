import { socketAddress } from '@rtcwire/common';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { TurnClient, type TurnTransport } from '../../src/turn/index.js';
import { encodeChannelData } from '@rtcwire/stun';
import { allocateWithAuth, dataIndication, deliver, PASS, SERVER, USER } from './scripted-server.js';

describe('TurnClient receive path properties', () => {
  for (const transport of ['udp', 'tcp'] as TurnTransport[]) {
    it(`${transport}: random server bytes never throw and never produce events from nowhere`, () => {
      fc.assert(
        fc.property(fc.array(fc.uint8Array({ maxLength: 80 }), { maxLength: 10 }), (chunks) => {
          const c = new TurnClient({ server: SERVER, username: USER, password: PASS, transport: 'udp' });
          allocateWithAuth(c, 0);
          const s = new TurnClient({ server: SERVER, username: USER, password: PASS, transport });
          s.allocate(0);
          for (const chunk of chunks) {
            c.handleBytes(1, chunk);
            s.handleBytes(1, chunk);
            c.handleDatagram(1, { local: SERVER, remote: socketAddress('10.9.9.9', 1), data: chunk });
          }
          // No channel is bound and no request matches random ids: only Data indications could
          // produce events, and only with valid attributes.
          for (let e = c.pollEvent(); e; e = c.pollEvent()) expect(e.type).toBe('data');
          for (let e = s.pollEvent(); e; e = s.pollEvent()) expect(['data', 'failed']).toContain(e.type);
        }),
      );
    });
  }

  it('mutated Data indications and ChannelData are dropped or delivered, never thrown', () => {
    const peer = socketAddress('192.0.2.1', 9);
    const valid = [dataIndication(peer, new Uint8Array([1, 2, 3])), encodeChannelData(0x4000, new Uint8Array([4, 5]))];
    fc.assert(
      fc.property(
        fc.constantFrom(...valid),
        fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 255 })), { minLength: 1, maxLength: 4 }),
        (base, edits) => {
          const c = new TurnClient({ server: SERVER, username: USER, password: PASS });
          allocateWithAuth(c, 0);
          const bytes = base.slice();
          for (const [at, v] of edits) bytes[at % bytes.byteLength] = v;
          deliver(c, 1, bytes);
          const events = [];
          for (let e = c.pollEvent(); e; e = c.pollEvent()) events.push(e);
          expect(events.length + c.drops.total).toBe(1);
        },
      ),
    );
  });
});
