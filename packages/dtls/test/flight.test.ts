import { describe, expect, it } from 'vitest';
import { ContentType } from '../src/constants.js';
import { type FlightItem, packFlight } from '../src/flight.js';
import { decodeHandshakeFragments } from '../src/handshake/header.js';
import { HandshakeReassembler } from '../src/handshake/reassembler.js';
import { decodeRecords, encodeRecord } from '../src/record.js';

let seq = 0;
const seal = (contentType: number, epoch: number, fragment: Uint8Array) =>
  encodeRecord({ contentType, version: 0xfefd, epoch, sequenceNumber: seq++, fragment });

const body = (n: number, base: number) => Uint8Array.from({ length: n }, (_, i) => (base + i) & 0xff);

describe('packFlight', () => {
  it('packs small messages and a CCS into one datagram', () => {
    const items: FlightItem[] = [
      { kind: 'handshake', msgType: 16, messageSeq: 3, body: body(33, 1), epoch: 0 },
      { kind: 'ccs', epoch: 0 },
      { kind: 'handshake', msgType: 20, messageSeq: 4, body: body(12, 9), epoch: 1 },
    ];
    const datagrams = packFlight(items, 1200, seal, (e) => (e === 1 ? 24 : 0));
    expect(datagrams.length).toBe(1);
    const records = decodeRecords(datagrams[0] ?? new Uint8Array());
    expect(records.map((r) => [r.contentType, r.epoch])).toEqual([
      [ContentType.handshake, 0],
      [ContentType.change_cipher_spec, 0],
      [ContentType.handshake, 1],
    ]);
  });

  for (const mtu of [200, 300, 576, 1200]) {
    it(`fragments a 3000-byte certificate to a ${mtu}-byte MTU and it reassembles`, () => {
      const cert = body(3000, 7);
      const items: FlightItem[] = [
        { kind: 'handshake', msgType: 2, messageSeq: 1, body: body(80, 3), epoch: 0 },
        { kind: 'handshake', msgType: 11, messageSeq: 2, body: cert, epoch: 0 },
        { kind: 'handshake', msgType: 14, messageSeq: 3, body: new Uint8Array(0), epoch: 0 },
      ];
      const overhead = 24; // pretend epoch 0 is protected, to exercise the budget
      const datagrams = packFlight(items, mtu, seal, () => overhead);
      const r = new HandshakeReassembler();
      r.reset(1);
      for (const d of datagrams) {
        expect(d.byteLength).toBeLessThanOrEqual(mtu - overhead);
        for (const rec of decodeRecords(d)) for (const f of decodeHandshakeFragments(rec.fragment)) r.add(f);
      }
      expect(r.pop()?.body).toEqual(body(80, 3));
      expect(r.pop()?.body).toEqual(cert);
      expect(r.pop()).toMatchObject({ msgType: 14, messageSeq: 3 });
      // Close to the minimum number of datagrams: no tiny tail fragments wasting whole datagrams.
      expect(datagrams.length).toBeLessThanOrEqual(Math.ceil(3200 / (mtu - overhead - 25 - 48)) + 1);
    });
  }
});
