import makeMdns from 'multicast-dns';
import { monotonicClock } from './clock.js';

export interface MdnsResolverOptions {
  /** Default time to wait for an answer. */
  readonly timeoutMs?: number;
  /** Multicast group and port; 224.0.0.251:5353 by default (RFC 6762 §3). Tests use another port. */
  readonly ip?: string;
  readonly port?: number;
  /** Outgoing interface address for multicast; all interfaces when absent. */
  readonly interface?: string;
}

/** A `.local` name did not resolve in time. */
export class MdnsTimeoutError extends Error {
  override readonly name = 'MdnsTimeoutError';
  constructor(
    readonly hostname: string,
    readonly timeoutMs: number,
  ) {
    super(`mDNS: no answer for ${hostname} within ${timeoutMs} ms`);
  }
}

interface Pending {
  readonly name: string;
  readonly resolve: (address: string) => void;
  readonly reject: (err: Error) => void;
  timer: ReturnType<typeof setTimeout>;
  retry: ReturnType<typeof setTimeout> | undefined;
}

/**
 * Resolves `.local` host names with one-shot multicast DNS queries (RFC 6762 §5.1), as needed for
 * ICE candidates that hide their address behind an mDNS name (draft-ietf-mmusic-mdns-ice-candidates).
 * Answers are cached for their TTL. `resolve` suits the ICE agent's resolver hook.
 */
export class MdnsResolver {
  private readonly mdns: makeMdns.MulticastDNS;
  private readonly pending = new Set<Pending>();
  private readonly cache = new Map<string, { address: string; expiresAt: number }>();
  private readonly timeoutMs: number;
  private closed = false;

  constructor(options: MdnsResolverOptions = {}) {
    this.timeoutMs = options.timeoutMs ?? 3000;
    this.mdns = makeMdns({
      ...(options.ip ? { ip: options.ip } : {}),
      ...(options.port ? { port: options.port } : {}),
      ...(options.interface ? { interface: options.interface } : {}),
    });
    this.mdns.on('response', (packet) => this.onResponse(packet));
    // Socket errors surface as failed lookups (timeouts); they must not crash the process.
    this.mdns.on('error', () => {});
    this.mdns.on('warning', () => {});
  }

  /** The IPv4 or IPv6 address for `hostname` (must end in `.local`). */
  resolve(hostname: string, timeoutMs = this.timeoutMs): Promise<string> {
    if (this.closed) return Promise.reject(new Error('mDNS resolver is closed'));
    const name = hostname.toLowerCase().replace(/\.$/, '');
    if (!name.endsWith('.local')) return Promise.reject(new Error(`not an mDNS name: ${hostname}`));
    const cached = this.cache.get(name);
    if (cached && cached.expiresAt > monotonicClock.now()) return Promise.resolve(cached.address);
    return new Promise((resolve, reject) => {
      const p: Pending = {
        name,
        resolve,
        reject,
        timer: setTimeout(() => this.settle(p, new MdnsTimeoutError(hostname, timeoutMs)), timeoutMs),
        retry: undefined,
      };
      this.pending.add(p);
      this.query(p, 1000);
    });
  }

  close(): Promise<void> {
    if (this.closed) return Promise.resolve();
    this.closed = true;
    for (const p of [...this.pending]) this.settle(p, new Error('mDNS resolver closed'));
    return new Promise((resolve) => this.mdns.destroy(() => resolve()));
  }

  /** RFC 6762 §5.2 spirit: repeat an unanswered query with doubling intervals until the timeout. */
  private query(p: Pending, nextMs: number): void {
    this.mdns.query({
      questions: [
        { name: p.name, type: 'A' },
        { name: p.name, type: 'AAAA' },
      ],
    });
    p.retry = setTimeout(() => this.query(p, nextMs * 2), nextMs);
  }

  private onResponse(packet: {
    answers?: readonly unknown[] | undefined;
    additionals?: readonly unknown[] | undefined;
  }): void {
    for (const record of [...(packet.answers ?? []), ...(packet.additionals ?? [])]) {
      const r = record as { name?: unknown; type?: unknown; data?: unknown; ttl?: unknown };
      if (typeof r.name !== 'string' || typeof r.data !== 'string') continue;
      if (r.type !== 'A' && r.type !== 'AAAA') continue;
      const name = r.name.toLowerCase();
      const ttlS = typeof r.ttl === 'number' ? r.ttl : 120;
      // RFC 6762 §10.1: a TTL of zero is a goodbye; forget the name.
      if (ttlS === 0) {
        this.cache.delete(name);
        continue;
      }
      this.cache.set(name, { address: r.data, expiresAt: monotonicClock.now() + ttlS * 1000 });
      for (const p of [...this.pending]) if (p.name === name) this.settle(p, r.data);
    }
  }

  private settle(p: Pending, result: string | Error): void {
    if (!this.pending.delete(p)) return;
    clearTimeout(p.timer);
    if (p.retry) clearTimeout(p.retry);
    if (typeof result === 'string') p.resolve(result);
    else p.reject(result);
  }
}
