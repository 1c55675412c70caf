import type { Datagram, DatagramEndpoint, SocketAddress } from '@rtcwire/common';
import { DropCounters } from '@rtcwire/common';
import { ATTR, decodeWire, encodeWire, encodeXorAddress } from './stun-wire.js';

/**
 * A STUN Binding server (RFC 8489 §7.3): answers every Binding request with the source transport
 * address it saw in XOR-MAPPED-ADDRESS, plus FINGERPRINT. No authentication.
 */
export class StunServer implements DatagramEndpoint<never> {
  readonly drops = new DropCounters();
  requests = 0;
  private readonly out: Datagram[] = [];

  handleDatagram(_now: number, d: Datagram): void {
    const m = decodeWire(d.data);
    if (!m) {
      this.drops.add('not-stun');
      return;
    }
    if (m.method !== 0x001 || m.cls !== 0) {
      this.drops.add('not-binding-request');
      return;
    }
    this.requests++;
    const reply = encodeWire(
      0x001,
      2,
      m.transactionId,
      [{ type: ATTR.XOR_MAPPED_ADDRESS, value: encodeXorAddress(d.remote, m.transactionId) }],
      { fingerprint: true },
    );
    this.out.push({ local: d.local, remote: d.remote as SocketAddress, data: reply });
  }

  handleTimeout(_now: number): void {}
  pollTransmit(): Datagram | undefined {
    return this.out.shift();
  }
  pollEvent(): never | undefined {
    return undefined;
  }
  pollTimeout(): number | undefined {
    return undefined;
  }
}
