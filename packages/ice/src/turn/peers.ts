import { formatAddress, type SocketAddress, socketAddress } from '@rtcwire/common';
import { formatIPv4, formatIPv6, MAX_CHANNEL_NUMBER, MIN_CHANNEL_NUMBER, parseIPv4, parseIPv6 } from '@rtcwire/stun';

/** RFC 8656 §9: permissions last 300 s; we refresh at 240 s. */
export const PERMISSION_REFRESH_MS = 240_000;
/** RFC 8656 §12: channel bindings last 600 s; we refresh at 540 s. */
export const CHANNEL_REFRESH_MS = 540_000;
/** Data queued per peer IP while its permission is being installed. */
export const MAX_QUEUED_PER_PEER = 64;

/** Canonical text of a peer address (so `::1` and `0:0::1` are one permission). */
export function canonicalPeer(peer: SocketAddress): SocketAddress {
  if (peer.family === 'IPv6' || peer.address.includes(':')) {
    const b = parseIPv6(peer.address);
    return b ? socketAddress(formatIPv6(b), peer.port) : peer;
  }
  const b = parseIPv4(peer.address);
  return b ? socketAddress(formatIPv4(b), peer.port) : peer;
}

export interface PermissionEntry {
  readonly ip: string;
  /** A peer address with this IP, used in the CreatePermission request. */
  readonly peer: SocketAddress;
  installed: boolean;
  inFlight: boolean;
  refreshAt: number | undefined;
  queue: { peer: SocketAddress; data: Uint8Array }[];
}

export interface ChannelEntry {
  readonly peer: SocketAddress;
  readonly channel: number;
  bound: boolean;
  inFlight: boolean;
  refreshAt: number | undefined;
}

/** Permissions by peer IP and channel bindings by peer transport address and by number. */
export class PeerTable {
  readonly permissions = new Map<string, PermissionEntry>();
  private readonly channelsByPeer = new Map<string, ChannelEntry>();
  private readonly channelsByNumber = new Map<number, ChannelEntry>();
  private nextChannel = MIN_CHANNEL_NUMBER;

  permission(peer: SocketAddress): PermissionEntry {
    const p = canonicalPeer(peer);
    let e = this.permissions.get(p.address);
    if (!e) {
      e = { ip: p.address, peer: p, installed: false, inFlight: false, refreshAt: undefined, queue: [] };
      this.permissions.set(p.address, e);
    }
    return e;
  }

  findPermission(peer: SocketAddress): PermissionEntry | undefined {
    return this.permissions.get(canonicalPeer(peer).address);
  }

  deletePermission(ip: string): void {
    this.permissions.delete(ip);
  }

  channels(): IterableIterator<ChannelEntry> {
    return this.channelsByPeer.values();
  }

  channelFor(peer: SocketAddress): ChannelEntry | undefined {
    return this.channelsByPeer.get(formatAddress(canonicalPeer(peer)));
  }

  channelByNumber(n: number): ChannelEntry | undefined {
    return this.channelsByNumber.get(n);
  }

  /** The peer's channel, creating one with the next free number (RFC 8656 §12: 0x4000–0x4FFF). */
  addChannel(peer: SocketAddress): ChannelEntry | undefined {
    const existing = this.channelFor(peer);
    if (existing) return existing;
    if (this.nextChannel > MAX_CHANNEL_NUMBER) return undefined;
    const p = canonicalPeer(peer);
    const e: ChannelEntry = {
      peer: p,
      channel: this.nextChannel++,
      bound: false,
      inFlight: false,
      refreshAt: undefined,
    };
    this.channelsByPeer.set(formatAddress(p), e);
    this.channelsByNumber.set(e.channel, e);
    return e;
  }

  deleteChannel(e: ChannelEntry): void {
    this.channelsByPeer.delete(formatAddress(e.peer));
    this.channelsByNumber.delete(e.channel);
  }

  clear(): void {
    this.permissions.clear();
    this.channelsByPeer.clear();
    this.channelsByNumber.clear();
  }
}
