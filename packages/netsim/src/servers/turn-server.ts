import type { Datagram, DatagramEndpoint, SocketAddress } from '@rtcwire/common';
import { DropCounters, sameAddress, socketAddress } from '@rtcwire/common';
import {
  ATTR,
  attr,
  checkIntegrity,
  decodeWire,
  decodeXorAddress,
  encodeWire,
  encodeXorAddress,
  errorCode,
  longTermKey,
  readU16,
  readU32,
  u32,
  type WireMessage,
} from './stun-wire.js';

const METHOD = {
  ALLOCATE: 0x003,
  REFRESH: 0x004,
  SEND: 0x006,
  DATA: 0x007,
  CREATE_PERMISSION: 0x008,
  CHANNEL_BIND: 0x009,
};
const PERMISSION_LIFETIME_MS = 300_000; // RFC 8656 §9
const CHANNEL_LIFETIME_MS = 600_000; // RFC 8656 §12

export interface TurnServerOptions {
  /** The address clients send to (listening socket). */
  readonly listen: SocketAddress;
  readonly username: string;
  readonly password: string;
  readonly realm?: string;
  /** First relay port; allocations take the next free port (default 49152). */
  readonly relayPortStart?: number;
  /** Largest lifetime granted (default 600 s, RFC 8656 §7.2). */
  readonly maxLifetimeS?: number;
}

interface Allocation {
  readonly client: SocketAddress;
  readonly relayed: SocketAddress;
  expiresMs: number;
  /** Peer IP → permission expiry. */
  readonly permissions: Map<string, number>;
  /** Channel number → peer and expiry. */
  readonly channels: Map<number, { peer: SocketAddress; expiresMs: number }>;
}

/**
 * A small TURN server over UDP (RFC 8656): long-term credentials with a fixed nonce, Allocate,
 * Refresh, CreatePermission, ChannelBind, Send/Data indications and ChannelData. Attach it with
 * `anyPort: true` so its relay ports receive peer traffic.
 */
export class TurnServer implements DatagramEndpoint<never> {
  readonly drops = new DropCounters();
  readonly relayedCount = { toPeers: 0, toClients: 0 };
  private readonly key: Uint8Array;
  private readonly realm: string;
  private readonly nonce = 'netsim-nonce-1';
  private readonly allocations = new Map<string, Allocation>();
  private readonly byRelayPort = new Map<number, Allocation>();
  private nextPort: number;
  private readonly out: Datagram[] = [];

  constructor(private readonly options: TurnServerOptions) {
    this.realm = options.realm ?? 'netsim';
    this.key = longTermKey(options.username, this.realm, options.password);
    this.nextPort = options.relayPortStart ?? 49152;
  }

  get allocationCount(): number {
    return this.allocations.size;
  }

  handleDatagram(now: number, d: Datagram): void {
    if (d.local.port !== this.options.listen.port) {
      this.fromPeer(now, d);
      return;
    }
    const first = d.data[0] ?? 0;
    if (first >= 0x40 && first <= 0x7f) {
      this.channelDataFromClient(now, d);
      return;
    }
    const m = decodeWire(d.data);
    if (!m) {
      this.drops.add('not-stun');
      return;
    }
    if (m.cls === 1 && m.method === METHOD.SEND) {
      this.sendIndication(now, d, m);
      return;
    }
    if (m.cls !== 0) {
      this.drops.add('unexpected-class');
      return;
    }
    // RFC 8656 §5 / RFC 8489 §9.2: every request needs the long-term credential.
    const username = attr(m, ATTR.USERNAME);
    if (!attr(m, ATTR.MESSAGE_INTEGRITY) || !username) {
      this.reply(
        d,
        m,
        3,
        [
          { type: ATTR.ERROR_CODE, value: errorCode(401, 'Unauthorized') },
          { type: ATTR.REALM, value: text(this.realm) },
          { type: ATTR.NONCE, value: text(this.nonce) },
        ],
        false,
      );
      return;
    }
    if (new TextDecoder().decode(username) !== this.options.username || !checkIntegrity(m, this.key)) {
      this.drops.add('bad-credentials');
      this.reply(d, m, 3, [{ type: ATTR.ERROR_CODE, value: errorCode(401, 'Unauthorized') }], false);
      return;
    }
    switch (m.method) {
      case METHOD.ALLOCATE:
        this.allocate(now, d, m);
        return;
      case METHOD.REFRESH:
        this.refresh(now, d, m);
        return;
      case METHOD.CREATE_PERMISSION:
        this.permission(now, d, m);
        return;
      case METHOD.CHANNEL_BIND:
        this.channelBind(now, d, m);
        return;
      default:
        this.reply(d, m, 3, [{ type: ATTR.ERROR_CODE, value: errorCode(400, 'Bad Request') }], true);
    }
  }

  private allocate(now: number, d: Datagram, m: WireMessage): void {
    const existing = this.live(now, d.remote);
    if (existing) {
      this.reply(d, m, 3, [{ type: ATTR.ERROR_CODE, value: errorCode(437, 'Allocation Mismatch') }], true);
      return;
    }
    const transport = attr(m, ATTR.REQUESTED_TRANSPORT);
    if (transport?.[0] !== 17) {
      this.reply(d, m, 3, [{ type: ATTR.ERROR_CODE, value: errorCode(442, 'Unsupported Transport Protocol') }], true);
      return;
    }
    const lifetimeS = this.lifetime(m);
    const relayed = socketAddress(this.options.listen.address, this.nextPort++);
    const a: Allocation = {
      client: d.remote,
      relayed,
      expiresMs: now + lifetimeS * 1000,
      permissions: new Map(),
      channels: new Map(),
    };
    this.allocations.set(key(d.remote), a);
    this.byRelayPort.set(relayed.port, a);
    this.reply(
      d,
      m,
      2,
      [
        { type: ATTR.XOR_RELAYED_ADDRESS, value: encodeXorAddress(relayed, m.transactionId) },
        { type: ATTR.XOR_MAPPED_ADDRESS, value: encodeXorAddress(d.remote, m.transactionId) },
        { type: ATTR.LIFETIME, value: u32(lifetimeS) },
      ],
      true,
    );
  }

  private refresh(now: number, d: Datagram, m: WireMessage): void {
    const a = this.live(now, d.remote);
    if (!a) {
      this.reply(d, m, 3, [{ type: ATTR.ERROR_CODE, value: errorCode(437, 'Allocation Mismatch') }], true);
      return;
    }
    const lifetimeS = this.lifetime(m);
    if (lifetimeS === 0) this.remove(a);
    else a.expiresMs = now + lifetimeS * 1000;
    this.reply(d, m, 2, [{ type: ATTR.LIFETIME, value: u32(lifetimeS) }], true);
  }

  private permission(now: number, d: Datagram, m: WireMessage): void {
    const a = this.live(now, d.remote);
    const peers = m.attributes
      .filter((x) => x.type === ATTR.XOR_PEER_ADDRESS)
      .map((x) => decodeXorAddress(x.value, m.transactionId));
    if (!a || peers.length === 0 || peers.some((p) => p === undefined)) {
      this.reply(d, m, 3, [{ type: ATTR.ERROR_CODE, value: errorCode(a ? 400 : 437, 'Rejected') }], true);
      return;
    }
    for (const p of peers) a.permissions.set((p as SocketAddress).address, now + PERMISSION_LIFETIME_MS);
    this.reply(d, m, 2, [], true);
  }

  private channelBind(now: number, d: Datagram, m: WireMessage): void {
    const a = this.live(now, d.remote);
    const ch = attr(m, ATTR.CHANNEL_NUMBER);
    const peerAttr = attr(m, ATTR.XOR_PEER_ADDRESS);
    const peer = peerAttr ? decodeXorAddress(peerAttr, m.transactionId) : undefined;
    const channel = ch && ch.byteLength === 4 ? readU16(ch, 0) : 0;
    if (!a || !peer || channel < 0x4000 || channel > 0x4fff) {
      this.reply(d, m, 3, [{ type: ATTR.ERROR_CODE, value: errorCode(a ? 400 : 437, 'Bad Request') }], true);
      return;
    }
    a.channels.set(channel, { peer, expiresMs: now + CHANNEL_LIFETIME_MS });
    a.permissions.set(peer.address, now + PERMISSION_LIFETIME_MS);
    this.reply(d, m, 2, [], true);
  }

  private sendIndication(now: number, d: Datagram, m: WireMessage): void {
    const a = this.live(now, d.remote);
    const peerAttr = attr(m, ATTR.XOR_PEER_ADDRESS);
    const data = attr(m, ATTR.DATA);
    const peer = peerAttr ? decodeXorAddress(peerAttr, m.transactionId) : undefined;
    if (!a || !peer || !data) {
      this.drops.add('bad-send-indication');
      return;
    }
    this.relayToPeer(now, a, peer, data);
  }

  private channelDataFromClient(now: number, d: Datagram): void {
    const a = this.live(now, d.remote);
    if (!a || d.data.byteLength < 4) {
      this.drops.add('bad-channel-data');
      return;
    }
    const channel = readU16(d.data, 0);
    const length = readU16(d.data, 2);
    const bound = a.channels.get(channel);
    if (!bound || bound.expiresMs <= now || length + 4 > d.data.byteLength) {
      this.drops.add('bad-channel-data');
      return;
    }
    this.relayToPeer(now, a, bound.peer, d.data.subarray(4, 4 + length));
  }

  private relayToPeer(now: number, a: Allocation, peer: SocketAddress, data: Uint8Array): void {
    const perm = a.permissions.get(peer.address);
    if (perm === undefined || perm <= now) {
      this.drops.add('no-permission');
      return;
    }
    this.relayedCount.toPeers++;
    this.out.push({ local: a.relayed, remote: peer, data: data.slice() });
  }

  /** RFC 8656 §11.3 / §12.5: traffic from a peer to a relayed address, if permitted. */
  private fromPeer(now: number, d: Datagram): void {
    const a = this.byRelayPort.get(d.local.port);
    if (!a || a.expiresMs <= now) {
      this.drops.add('no-allocation');
      return;
    }
    const perm = a.permissions.get(d.remote.address);
    if (perm === undefined || perm <= now) {
      this.drops.add('no-permission');
      return;
    }
    this.relayedCount.toClients++;
    for (const [channel, c] of a.channels) {
      if (c.expiresMs > now && sameAddress(c.peer, d.remote)) {
        const out = new Uint8Array(4 + d.data.byteLength);
        out[0] = channel >> 8;
        out[1] = channel & 0xff;
        out[2] = d.data.byteLength >> 8;
        out[3] = d.data.byteLength & 0xff;
        out.set(d.data, 4);
        this.out.push({ local: this.options.listen, remote: a.client, data: out });
        return;
      }
    }
    const tid = new Uint8Array(12);
    for (let i = 0; i < 12; i++) tid[i] = (d.data.byteLength * 31 + i * 7 + d.remote.port) & 0xff;
    const indication = encodeWire(METHOD.DATA, 1, tid, [
      { type: ATTR.XOR_PEER_ADDRESS, value: encodeXorAddress(d.remote, tid) },
      { type: ATTR.DATA, value: d.data },
    ]);
    this.out.push({ local: this.options.listen, remote: a.client, data: indication });
  }

  private live(now: number, client: SocketAddress): Allocation | undefined {
    const a = this.allocations.get(key(client));
    if (a && a.expiresMs <= now) {
      this.remove(a);
      return undefined;
    }
    return a;
  }

  private remove(a: Allocation): void {
    this.allocations.delete(key(a.client));
    this.byRelayPort.delete(a.relayed.port);
  }

  private lifetime(m: WireMessage): number {
    const v = attr(m, ATTR.LIFETIME);
    const max = this.options.maxLifetimeS ?? 600;
    return v && v.byteLength === 4 ? Math.min(readU32(v, 0), max) : max;
  }

  private reply(
    d: Datagram,
    m: WireMessage,
    cls: number,
    attributes: { type: number; value: Uint8Array }[],
    sign: boolean,
  ): void {
    const opts = sign ? { integrityKey: this.key, fingerprint: true } : { fingerprint: true };
    this.out.push({
      local: d.local,
      remote: d.remote,
      data: encodeWire(m.method, cls, m.transactionId, attributes, opts),
    });
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

function key(a: SocketAddress): string {
  return `${a.address}|${a.port}`;
}

function text(s: string): Uint8Array {
  return new TextEncoder().encode(s);
}
