import type { Datagram, DatagramEndpoint, SocketAddress } from '@rtcwire/common';

/** A test endpoint: sends what it is told, records what it receives (and when). */
export class Probe implements DatagramEndpoint<never> {
  readonly received: { atMs: number; datagram: Datagram }[] = [];
  private readonly out: Datagram[] = [];

  send(local: SocketAddress, remote: SocketAddress, data: Uint8Array): void {
    this.out.push({ local, remote, data });
  }
  handleDatagram(now: number, datagram: Datagram): void {
    this.received.push({ atMs: now, datagram });
  }
  handleTimeout(): void {}
  pollTransmit(): Datagram | undefined {
    return this.out.shift();
  }
  pollEvent(): undefined {
    return undefined;
  }
  pollTimeout(): undefined {
    return undefined;
  }
}

/** 4-byte big-endian sequence number payload. */
export function seqPayload(n: number, size = 4): Uint8Array {
  const d = new Uint8Array(Math.max(4, size));
  new DataView(d.buffer).setUint32(0, n);
  return d;
}

export function seqOf(d: Datagram): number {
  return new DataView(d.data.buffer, d.data.byteOffset).getUint32(0);
}
