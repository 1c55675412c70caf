import type { Millis, SocketAddress } from '@rtcwire/common';
import { Attr, type DecodedStunMessage, getAttribute } from '@rtcwire/stun';
import {
  CHANNEL_REFRESH_MS,
  type ChannelEntry,
  PERMISSION_REFRESH_MS,
  type PeerTable,
  type PermissionEntry,
} from './peers.js';
import { TurnError, type TurnEvent } from './types.js';

/** What a request was for; carried through retries (401/438) to its result. */
export type Operation =
  | { readonly kind: 'allocate' }
  /** lifetimeS 0 releases the allocation (RFC 8656 §8). */
  | { readonly kind: 'refresh'; readonly lifetimeS: number }
  | { readonly kind: 'permission'; readonly entry: PermissionEntry }
  | { readonly kind: 'channel-bind'; readonly entry: ChannelEntry };

/** Mutable allocation facts owned by the client. */
export interface Allocation {
  relayed: SocketAddress | undefined;
  mapped: SocketAddress | undefined;
  lifetimeS: number;
  refreshAt: Millis | undefined;
  refreshing: boolean;
}

/** The client internals that result handling may touch. */
export interface ResultContext {
  readonly peers: PeerTable;
  readonly allocation: Allocation;
  emit(e: TurnEvent): void;
  fail(error: TurnError): void;
  finish(e: { type: 'closed' }): void;
  markAllocated(): void;
  flushQueue(p: PermissionEntry): void;
  kickPending(now: Millis): void;
}

/** RFC 8656 §7.2 default allocation lifetime when the server omits LIFETIME. */
const DEFAULT_LIFETIME_S = 600;

/** Refresh a minute before expiry, or at half of short lifetimes. */
export function refreshDelayMs(lifetimeS: number): number {
  return lifetimeS > 120 ? (lifetimeS - 60) * 1000 : lifetimeS * 500;
}

export function operationName(op: Operation): TurnError['operation'] {
  if (op.kind === 'refresh') return op.lifetimeS === 0 ? 'deallocate' : 'refresh';
  return op.kind;
}

/** The TurnError for an error response that was not retried. */
export function errorResponseError(op: Operation, stunCode: number, reason: string): TurnError {
  const code = stunCode === 401 ? 'unauthorized' : stunCode === 438 ? 'stale-nonce' : 'error-response';
  return new TurnError(code, operationName(op), `${stunCode} ${reason}`, stunCode, reason);
}

export function handleSuccess(ctx: ResultContext, now: Millis, op: Operation, res: DecodedStunMessage): void {
  const a = ctx.allocation;
  switch (op.kind) {
    case 'allocate': {
      // RFC 8656 §7.3: XOR-RELAYED-ADDRESS, LIFETIME and XOR-MAPPED-ADDRESS.
      const relayed = getAttribute(res, Attr.XOR_RELAYED_ADDRESS);
      if (!relayed) {
        ctx.fail(new TurnError('bad-response', 'allocate', 'success without XOR-RELAYED-ADDRESS'));
        return;
      }
      a.relayed = relayed;
      a.mapped = getAttribute(res, Attr.XOR_MAPPED_ADDRESS);
      a.lifetimeS = getAttribute(res, Attr.LIFETIME) ?? DEFAULT_LIFETIME_S;
      a.refreshAt = now + refreshDelayMs(a.lifetimeS);
      ctx.markAllocated();
      ctx.emit({ type: 'allocated', relayed, mapped: a.mapped, lifetimeS: a.lifetimeS });
      ctx.kickPending(now);
      return;
    }
    case 'refresh': {
      if (op.lifetimeS === 0) {
        ctx.finish({ type: 'closed' });
        return;
      }
      a.refreshing = false;
      a.lifetimeS = getAttribute(res, Attr.LIFETIME) ?? op.lifetimeS;
      a.refreshAt = now + refreshDelayMs(a.lifetimeS);
      ctx.emit({ type: 'refreshed', lifetimeS: a.lifetimeS });
      return;
    }
    case 'permission': {
      const p = op.entry;
      const first = !p.installed;
      p.inFlight = false;
      p.installed = true;
      p.refreshAt = now + PERMISSION_REFRESH_MS;
      if (first) ctx.emit({ type: 'permission', peer: p.ip });
      ctx.flushQueue(p);
      return;
    }
    case 'channel-bind': {
      const c = op.entry;
      const first = !c.bound;
      c.inFlight = false;
      c.bound = true;
      c.refreshAt = now + CHANNEL_REFRESH_MS;
      // RFC 8656 §11.2: a ChannelBind also installs or refreshes the permission for the peer's IP.
      const p = ctx.peers.permission(c.peer);
      const firstPermission = !p.installed;
      p.installed = true;
      if (!p.inFlight) p.refreshAt = now + PERMISSION_REFRESH_MS;
      if (firstPermission) ctx.emit({ type: 'permission', peer: p.ip });
      if (first) ctx.emit({ type: 'channel-bound', peer: c.peer, channel: c.channel });
      ctx.flushQueue(p);
      return;
    }
  }
}

export function handleFailure(ctx: ResultContext, _now: Millis, op: Operation, error: TurnError): void {
  switch (op.kind) {
    case 'allocate':
      ctx.fail(error);
      return;
    case 'refresh':
      // A failed release still ends the client; a failed refresh loses the allocation.
      if (op.lifetimeS === 0) ctx.finish({ type: 'closed' });
      else ctx.fail(error);
      return;
    case 'permission':
      ctx.peers.deletePermission(op.entry.ip);
      ctx.emit({ type: 'permission-failed', peer: op.entry.ip, error });
      return;
    case 'channel-bind':
      ctx.peers.deleteChannel(op.entry);
      ctx.emit({ type: 'channel-failed', peer: op.entry.peer, channel: op.entry.channel, error });
      return;
  }
}
