import type { RandomSource, SocketAddress } from '@rtcwire/common';
import { socketAddress } from '@rtcwire/common';

/** RFC 4787 §4.1 mapping behaviour / §5 filtering behaviour. */
export type NatDependence = 'endpoint-independent' | 'address-dependent' | 'address-and-port-dependent';

/** The classic names, each a (mapping, filtering) pair per RFC 4787 §3 / RFC 3489 terminology. */
export type NatType = 'full-cone' | 'address-restricted' | 'port-restricted' | 'symmetric';

export interface NatConfig {
  /** Classic preset; `mapping`/`filtering` override it. */
  readonly type?: NatType;
  readonly mapping?: NatDependence;
  readonly filtering?: NatDependence;
  /** Idle time after which a mapping is removed (RFC 4787 REQ-5: at least 120 s; default 120 000). */
  readonly mappingTimeoutMs?: number;
  /** Whether inbound traffic refreshes a mapping (RFC 4787 REQ-6 leaves it open; default false). */
  readonly inboundRefresh?: boolean;
  /** Keep the internal port as the external port when it is free (default false: random ports). */
  readonly preservePort?: boolean;
}

const PRESETS: Record<NatType, { mapping: NatDependence; filtering: NatDependence }> = {
  'full-cone': { mapping: 'endpoint-independent', filtering: 'endpoint-independent' },
  'address-restricted': { mapping: 'endpoint-independent', filtering: 'address-dependent' },
  'port-restricted': { mapping: 'endpoint-independent', filtering: 'address-and-port-dependent' },
  symmetric: { mapping: 'address-and-port-dependent', filtering: 'address-and-port-dependent' },
};

interface Mapping {
  readonly key: string;
  readonly internal: SocketAddress;
  readonly externalPort: number;
  /** Remote keys (`ip` and `ip|port`) this mapping has sent to: the filter's permissions. */
  readonly sentTo: Set<string>;
  lastActiveMs: number;
}

/** A NAT box: one public IP in front of private hosts. Pure bookkeeping; the Network routes. */
export class Nat {
  readonly mapping: NatDependence;
  readonly filtering: NatDependence;
  readonly mappingTimeoutMs: number;
  private readonly inboundRefresh: boolean;
  private readonly preservePort: boolean;
  private readonly byKey = new Map<string, Mapping>();
  private readonly byPort = new Map<number, Mapping>();

  constructor(
    readonly name: string,
    readonly publicAddress: string,
    config: NatConfig,
    private readonly random: RandomSource,
  ) {
    const preset = PRESETS[config.type ?? 'port-restricted'];
    this.mapping = config.mapping ?? preset.mapping;
    this.filtering = config.filtering ?? preset.filtering;
    this.mappingTimeoutMs = config.mappingTimeoutMs ?? 120_000;
    this.inboundRefresh = config.inboundRefresh ?? false;
    this.preservePort = config.preservePort ?? false;
  }

  /** Number of live mappings at `nowMs`. */
  mappingCount(nowMs: number): number {
    this.expire(nowMs);
    return this.byKey.size;
  }

  /** Translate an outbound datagram's source; creates or refreshes a mapping. */
  outbound(nowMs: number, internal: SocketAddress, remote: SocketAddress): SocketAddress {
    this.expire(nowMs);
    const key = `${internal.address}|${internal.port}|${depKey(this.mapping, remote)}`;
    let m = this.byKey.get(key);
    if (!m) {
      m = { key, internal, externalPort: this.allocatePort(internal.port), sentTo: new Set(), lastActiveMs: nowMs };
      this.byKey.set(key, m);
      this.byPort.set(m.externalPort, m);
    }
    m.lastActiveMs = nowMs;
    m.sentTo.add(remote.address);
    m.sentTo.add(`${remote.address}|${remote.port}`);
    return socketAddress(this.publicAddress, m.externalPort);
  }

  /**
   * Translate an inbound datagram to `externalPort` from `remote`: the internal destination, or a
   * reason it is dropped.
   */
  inbound(
    nowMs: number,
    externalPort: number,
    remote: SocketAddress,
  ): { internal: SocketAddress } | { dropped: 'nat-no-mapping' | 'nat-filtered' } {
    this.expire(nowMs);
    const m = this.byPort.get(externalPort);
    if (!m) return { dropped: 'nat-no-mapping' };
    // RFC 4787 §5: filtering decides which remote endpoints may use an existing mapping.
    if (this.filtering !== 'endpoint-independent' && !m.sentTo.has(depKey(this.filtering, remote))) {
      return { dropped: 'nat-filtered' };
    }
    if (this.inboundRefresh) m.lastActiveMs = nowMs;
    return { internal: m.internal };
  }

  private expire(nowMs: number): void {
    for (const m of this.byKey.values()) {
      if (nowMs - m.lastActiveMs >= this.mappingTimeoutMs) {
        this.byKey.delete(m.key);
        this.byPort.delete(m.externalPort);
      }
    }
  }

  private allocatePort(internalPort: number): number {
    if (this.preservePort && !this.byPort.has(internalPort)) return internalPort;
    for (;;) {
      const p = 1024 + (this.random.uint32() % (65536 - 1024));
      if (!this.byPort.has(p)) return p;
    }
  }
}

function depKey(dep: NatDependence, remote: SocketAddress): string {
  switch (dep) {
    case 'endpoint-independent':
      return '*';
    case 'address-dependent':
      return remote.address;
    case 'address-and-port-dependent':
      return `${remote.address}|${remote.port}`;
  }
}
