import {
  copyBytes,
  type Datagram,
  type DatagramEndpoint,
  DropCounters,
  earliest,
  InvalidStateError,
  isParseError,
  type Logger,
  type Millis,
  type RandomSource,
  type SocketAddress,
  sameAddress,
  secureRandom,
  silentLogger,
  socketAddress,
  toHex,
} from '@rtcwire/common';
import {
  Attr,
  type DecodedStunMessage,
  encodeChannelData,
  StreamFramer,
  StunTransaction,
  type TransactionResult,
  verifyIntegrity,
} from '@rtcwire/stun';
import { LongTermCredentials } from './credentials.js';
import { type ChannelEntry, MAX_QUEUED_PER_PEER, PeerTable, type PermissionEntry } from './peers.js';
import { classifyPacket } from './receive.js';
import { encodeSendIndication, encodeTurnRequest } from './requests.js';
import {
  type Allocation,
  errorResponseError,
  handleFailure,
  handleSuccess,
  type Operation,
  operationName,
  type ResultContext,
} from './results.js';
import {
  type TurnClientOptions,
  type TurnClientState,
  TurnError,
  type TurnEvent,
  type TurnTransport,
} from './types.js';

/** RFC 8489 §9.2.5 loops on 438 are bounded. */
const MAX_STALE_NONCE_RETRIES = 3;

interface InFlight {
  readonly op: Operation;
  readonly txn: StunTransaction<DecodedStunMessage>;
  readonly authenticated: boolean;
  readonly staleRetries: number;
}

/**
 * A sans-IO TURN client (RFC 8656) for one allocation on one server. Drive it like any
 * `DatagramEndpoint`: feed received bytes with `handleDatagram` (UDP) or `handleBytes` (UDP payload
 * or TCP/TLS stream chunk), call `handleTimeout` at `pollTimeout()`, and drain `pollTransmit()` and
 * `pollEvent()` after every call. Over TCP/TLS each `pollTransmit()` datagram carries stream bytes
 * to write to the connection in order.
 */
export class TurnClient implements DatagramEndpoint<TurnEvent> {
  readonly transport: TurnTransport;
  readonly server: SocketAddress;
  readonly drops = new DropCounters();
  private readonly peers = new PeerTable();
  private readonly local: SocketAddress;
  private readonly random: RandomSource;
  private readonly creds: LongTermCredentials;
  private readonly log: Logger;
  private readonly framer = new StreamFramer();
  private readonly flights = new Map<string, InFlight>();
  private readonly outgoing: Uint8Array[] = [];
  private readonly events: TurnEvent[] = [];
  private clientState: TurnClientState = 'idle';
  private readonly allocation: Allocation = {
    relayed: undefined,
    mapped: undefined,
    lifetimeS: 0,
    refreshAt: undefined,
    refreshing: false,
  };
  private readonly ctx: ResultContext;

  constructor(private readonly options: TurnClientOptions) {
    this.transport = options.transport ?? 'udp';
    this.server = options.server;
    this.local = options.local ?? socketAddress('0.0.0.0', 0);
    this.random = options.random ?? secureRandom;
    this.creds = new LongTermCredentials(options.username, options.password);
    this.log = options.logger ?? silentLogger;
    this.ctx = {
      peers: this.peers,
      allocation: this.allocation,
      emit: (e) => this.events.push(e),
      fail: (error) => this.fail(error),
      finish: (e) => this.finish(e),
      markAllocated: () => {
        this.clientState = 'allocated';
      },
      flushQueue: (p) => this.flushQueue(p),
      kickPending: (now) => this.kickPending(now),
    };
  }

  get state(): TurnClientState {
    return this.clientState;
  }
  /** XOR-RELAYED-ADDRESS of the allocation, once allocated. */
  get relayedAddress(): SocketAddress | undefined {
    return this.allocation.relayed;
  }
  /** XOR-MAPPED-ADDRESS (server-reflexive address), once allocated. */
  get mappedAddress(): SocketAddress | undefined {
    return this.allocation.mapped;
  }
  /** Allocation lifetime in seconds granted by the server. */
  get lifetimeS(): number {
    return this.allocation.lifetimeS;
  }

  /** Start the allocation (RFC 8656 §7.1): a first Allocate without credentials, then one with them. */
  allocate(now: Millis): void {
    if (this.clientState !== 'idle') throw new InvalidStateError(`allocate() in state ${this.clientState}`);
    this.clientState = 'allocating';
    this.startRequest(now, { kind: 'allocate' });
  }

  /** Install (and keep refreshing) a permission for the peer's IP (RFC 8656 §9). */
  createPermission(now: Millis, peer: SocketAddress): void {
    this.requireUsable('createPermission');
    const e = this.peers.permission(peer);
    if (!e.installed && !e.inFlight) this.requestPermission(now, e);
  }

  /** Stop refreshing the permission for this peer's IP (it expires at the server within 5 min). */
  removePermission(peer: SocketAddress): void {
    const e = this.peers.findPermission(peer);
    if (e && !e.inFlight) this.peers.deletePermission(e.ip);
  }

  /** Bind a channel to the peer (RFC 8656 §11); returns its number. Sends use ChannelData once bound. */
  bindChannel(now: Millis, peer: SocketAddress): number {
    this.requireUsable('bindChannel');
    const ch = this.peers.addChannel(peer);
    if (!ch) throw new InvalidStateError('no free channel numbers');
    if (!ch.bound && !ch.inFlight) this.requestChannel(now, ch);
    return ch.channel;
  }

  /**
   * Relay `data` to `peer`: ChannelData when a channel is bound, else a Send indication (RFC 8656
   * §10). Without a permission yet, one is requested and the data waits for it (bounded queue).
   */
  send(now: Millis, peer: SocketAddress, data: Uint8Array): void {
    this.requireUsable('send');
    const ch = this.peers.channelFor(peer);
    if (ch?.bound) {
      this.outgoing.push(encodeChannelData(ch.channel, data, { pad: this.transport !== 'udp' }));
      return;
    }
    const perm = this.peers.permission(peer);
    if (perm.installed) {
      this.outgoing.push(this.sendIndication(peer, data));
      return;
    }
    if (perm.queue.length >= MAX_QUEUED_PER_PEER) this.drops.add('send-queue-full');
    else perm.queue.push({ peer, data: copyBytes(data) });
    if (!perm.inFlight) this.requestPermission(now, perm);
  }

  /** Refresh the allocation now instead of at its scheduled time (no-op unless allocated and idle). */
  refresh(now: Millis): void {
    if (this.clientState !== 'allocated' || this.allocation.refreshing) return;
    this.startRequest(now, { kind: 'refresh', lifetimeS: this.options.lifetimeS ?? this.allocation.lifetimeS });
  }

  /** Release the allocation (RFC 8656 §8: Refresh with LIFETIME 0); `closed` follows. */
  close(now: Millis): void {
    const s = this.clientState;
    if (s === 'closed' || s === 'failed' || s === 'closing') return;
    for (const f of this.flights.values()) f.txn.cancel();
    this.flights.clear();
    if (s === 'allocated') {
      this.clientState = 'closing';
      this.startRequest(now, { kind: 'refresh', lifetimeS: 0 });
    } else {
      this.finish({ type: 'closed' });
    }
  }

  handleDatagram(now: Millis, datagram: Datagram): void {
    if (!sameAddress(datagram.remote, this.server)) {
      this.drops.add('not-from-server');
      return;
    }
    this.handleBytes(now, datagram.data);
  }

  /** A UDP payload from the server, or the next chunk of the TCP/TLS stream. */
  handleBytes(now: Millis, bytes: Uint8Array): void {
    if (this.transport === 'udp') {
      this.handlePacket(now, bytes);
      return;
    }
    let frames: ReturnType<StreamFramer['push']>;
    try {
      frames = this.framer.push(bytes);
    } catch (err) {
      if (!isParseError(err)) throw err;
      this.drops.add('stream-desync');
      this.fail(new TurnError('stream-error', 'transport', err.message));
      return;
    }
    for (const f of frames) {
      if (f.kind === 'stun') this.handlePacket(now, f.bytes);
      else this.handleChannelData(f.channel, f.data);
    }
  }

  /**
   * The TCP/TLS connection to the server ended (RFC 8656 §3.1: the allocation dies with it).
   * While closing this completes the close; otherwise the client fails with `stream-error`.
   */
  handleTransportClosed(_now: Millis): void {
    if (this.clientState === 'closing' || this.clientState === 'idle') this.finish({ type: 'closed' });
    else this.fail(new TurnError('stream-error', 'transport', 'connection closed'));
  }

  handleTimeout(now: Millis): void {
    for (const [id, f] of this.flights) {
      f.txn.handleTimeout(now);
      const r = f.txn.pollResult();
      if (r) {
        this.flights.delete(id);
        this.handleResult(now, f, r);
      }
    }
    if (this.clientState !== 'allocated') return;
    const a = this.allocation;
    if (a.refreshAt !== undefined && now >= a.refreshAt) this.refresh(now);
    for (const p of this.peers.permissions.values()) {
      if (p.installed && !p.inFlight && p.refreshAt !== undefined && now >= p.refreshAt) this.requestPermission(now, p);
    }
    for (const c of this.peers.channels()) {
      if (c.bound && !c.inFlight && c.refreshAt !== undefined && now >= c.refreshAt) this.requestChannel(now, c);
    }
  }

  pollTransmit(): Datagram | undefined {
    let data = this.outgoing.shift();
    if (!data) {
      for (const f of this.flights.values()) {
        data = f.txn.pollTransmit();
        if (data) break;
      }
    }
    if (!data) return undefined;
    return { local: this.local, remote: this.server, data, protocol: this.transport === 'udp' ? 'udp' : 'tcp' };
  }

  pollEvent(): TurnEvent | undefined {
    return this.events.shift();
  }

  pollTimeout(): Millis | undefined {
    let t: Millis | undefined;
    for (const f of this.flights.values()) t = earliest(t, f.txn.pollTimeout());
    if (this.clientState !== 'allocated') return t;
    if (!this.allocation.refreshing) t = earliest(t, this.allocation.refreshAt);
    for (const p of this.peers.permissions.values()) if (p.installed && !p.inFlight) t = earliest(t, p.refreshAt);
    for (const c of this.peers.channels()) if (c.bound && !c.inFlight) t = earliest(t, c.refreshAt);
    return t;
  }

  /** Move to a final state and emit its event. */
  private finish(e: TurnEvent & { type: 'failed' | 'closed' }): void {
    this.clientState = e.type;
    for (const f of this.flights.values()) f.txn.cancel();
    this.flights.clear();
    this.peers.clear();
    this.allocation.refreshAt = undefined;
    this.events.push(e);
  }

  private fail(error: TurnError): void {
    if (this.clientState === 'failed' || this.clientState === 'closed') return;
    this.log.warn('turn failed', { code: error.code, stunCode: error.stunCode, op: error.operation });
    this.finish({ type: 'failed', error });
  }

  /** Flush data queued while a permission was pending. */
  private flushQueue(p: PermissionEntry): void {
    for (const q of p.queue.splice(0)) this.outgoing.push(this.sendIndication(q.peer, q.data));
  }

  /** Start permissions and channels requested while the Allocate was in flight. */
  private kickPending(now: Millis): void {
    for (const p of this.peers.permissions.values()) if (!p.installed && !p.inFlight) this.requestPermission(now, p);
    for (const c of this.peers.channels()) if (!c.bound && !c.inFlight) this.requestChannel(now, c);
  }

  private requireUsable(what: string): void {
    const s = this.clientState;
    if (s !== 'allocated' && s !== 'allocating') throw new InvalidStateError(`${what}() in state ${s}`);
  }

  private requestPermission(now: Millis, p: PermissionEntry): void {
    if (this.clientState !== 'allocated') return; // sent by kickPending() once allocated
    p.inFlight = true;
    this.startRequest(now, { kind: 'permission', entry: p });
  }

  private requestChannel(now: Millis, c: ChannelEntry): void {
    if (this.clientState !== 'allocated') return;
    c.inFlight = true;
    this.startRequest(now, { kind: 'channel-bind', entry: c });
  }

  private sendIndication(peer: SocketAddress, data: Uint8Array): Uint8Array {
    return encodeSendIndication(peer, data, this.random.bytes(12), this.options.fingerprint ?? true);
  }

  private startRequest(now: Millis, op: Operation, staleRetries = 0): void {
    const tid = this.random.bytes(12);
    if (op.kind === 'refresh' && op.lifetimeS > 0) this.allocation.refreshing = true;
    const bytes = encodeTurnRequest(op, tid, {
      creds: this.creds,
      lifetimeS: this.options.lifetimeS,
      relayFamily: this.options.relayFamily,
      software: this.options.software,
      fingerprint: this.options.fingerprint ?? true,
    });
    const rto = this.options.rtoMs !== undefined ? { rtoMs: this.options.rtoMs } : {};
    const txn = new StunTransaction<DecodedStunMessage>(now, bytes, { ...rto, reliable: this.transport !== 'udp' });
    this.flights.set(toHex(tid), { op, txn, authenticated: this.creds.key !== undefined, staleRetries });
  }

  private handlePacket(now: Millis, bytes: Uint8Array): void {
    const r = classifyPacket(bytes);
    switch (r.kind) {
      case 'drop':
        this.drops.add(r.reason);
        return;
      case 'channel-data':
        this.handleChannelData(r.channel, r.data);
        return;
      case 'data':
        this.events.push({ type: 'data', peer: r.peer, data: r.data });
        return;
      case 'response':
        this.handleResponse(now, r.msg);
        return;
    }
  }

  private handleResponse(now: Millis, msg: DecodedStunMessage): void {
    const id = toHex(msg.transactionId);
    const f = this.flights.get(id);
    if (!f) {
      this.drops.add('unmatched-response');
      return;
    }
    // RFC 8489 §9.2.5: responses to authenticated requests must carry valid integrity when present,
    // and a success response must carry it.
    const key = this.creds.key;
    if (f.authenticated && key) {
      const hasMi = msg.attributes.some(
        (a) => a.type === Attr.MESSAGE_INTEGRITY.type || a.type === Attr.MESSAGE_INTEGRITY_SHA256.type,
      );
      if ((hasMi && !verifyIntegrity(msg.raw, key)) || (!hasMi && msg.class === 'success')) {
        this.drops.add('bad-integrity');
        return;
      }
    }
    if (!f.txn.handleResponse(msg)) {
      this.drops.add('bad-response');
      return;
    }
    this.flights.delete(id);
    const r = f.txn.pollResult();
    if (r) this.handleResult(now, f, r);
  }

  private handleResult(now: Millis, f: InFlight, r: TransactionResult<DecodedStunMessage>): void {
    try {
      if (r.type === 'success') {
        handleSuccess(this.ctx, now, f.op, r.response);
        return;
      }
      if (r.type === 'timeout') {
        handleFailure(this.ctx, now, f.op, new TurnError('timeout', operationName(f.op), 'no response'));
        return;
      }
      // RFC 8489 §9.2.5 / RFC 8656 §7.3: 401 → authenticate once; 438 → retry with the new nonce.
      if (r.code === 401 && !f.authenticated && this.creds.learn(r.response)) {
        this.startRequest(now, f.op);
        return;
      }
      if (r.code === 438 && f.staleRetries < MAX_STALE_NONCE_RETRIES && this.creds.refreshNonce(r.response)) {
        this.startRequest(now, f.op, f.staleRetries + 1);
        return;
      }
      handleFailure(this.ctx, now, f.op, errorResponseError(f.op, r.code, r.reason));
    } catch (err) {
      if (!isParseError(err)) throw err;
      handleFailure(this.ctx, now, f.op, new TurnError('bad-response', operationName(f.op), err.message));
    }
  }

  private handleChannelData(channel: number, data: Uint8Array): void {
    const ch = this.peers.channelByNumber(channel);
    // Accept data on a channel whose bind response is still on its way (RFC 8656 §12.6).
    if (!ch) {
      this.drops.add('unknown-channel');
      return;
    }
    this.events.push({ type: 'data', peer: ch.peer, data, channel });
  }
}
