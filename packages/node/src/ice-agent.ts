import { type RandomSource, type SocketAddress, secureRandom } from '@rtcwire/common';
import { IceAgent, type IceAgentOptions, type IceCandidate, type IceEvent, type IceParameters } from '@rtcwire/ice';
import { Driver, type DriverOptions } from './driver.js';
import { type InterfaceFilter, listLocalAddresses } from './interfaces.js';
import { MdnsResolver } from './mdns-resolver.js';
import { UdpTransport } from './udp-transport.js';

export interface NodeIceAgentOptions extends Omit<IceAgentOptions, 'localAddresses' | 'random'>, DriverOptions {
  /** Secure randomness by default. */
  readonly random?: RandomSource;
  /** Bind host sockets on exactly these IP addresses (e.g. `['127.0.0.1']`). */
  readonly addresses?: readonly string[];
  /** Otherwise: the interface addresses this filter accepts (loopback only when opted in). */
  readonly interfaces?: InterfaceFilter;
  /** Port range for host sockets (each socket walks it until a port is free). */
  readonly portRange?: { readonly min: number; readonly max: number };
  /** Resolver for remote `.local` candidates; one is created on first use unless `false`. */
  readonly mdns?: MdnsResolver | false;
  /** How long one mDNS lookup may take (default 3000 ms). */
  readonly mdnsTimeoutMs?: number;
}

/**
 * An `IceAgent` on real sockets: one UDP socket per allowed local address, the agent run by a
 * `Driver`, and `.local` remote candidates answered by an mDNS resolver. Every method calls the
 * agent with the current time and then drains it.
 */
export class NodeIceAgent {
  private ownsMdns = false;
  private mdns: MdnsResolver | undefined;

  private constructor(
    readonly agent: IceAgent,
    readonly driver: Driver<IceEvent>,
    private readonly options: NodeIceAgentOptions,
  ) {
    if (options.mdns) this.mdns = options.mdns;
    driver.on('mdns-resolve', (e) => void this.resolveMdns(e.name));
  }

  static async create(options: NodeIceAgentOptions): Promise<NodeIceAgent> {
    const addresses = options.addresses ?? listLocalAddresses(options.interfaces).map((a) => a.address);
    if (addresses.length === 0) throw new Error('no usable local address for ICE (check the interface filter)');
    const transports: UdpTransport[] = [];
    try {
      for (const address of addresses) {
        transports.push(
          await UdpTransport.bind({ address, ...(options.portRange ? { portRange: options.portRange } : {}) }),
        );
      }
    } catch (err) {
      await Promise.all(transports.map((t) => t.close()));
      throw err;
    }
    const localAddresses: SocketAddress[] = transports.map((t) => t.local);
    const {
      addresses: _a,
      interfaces: _i,
      portRange: _p,
      mdns: _m,
      mdnsTimeoutMs: _t,
      clock,
      timers,
      logger,
      ...rest
    } = options;
    const agent = new IceAgent({
      ...rest,
      ...(logger ? { logger } : {}),
      random: options.random ?? secureRandom,
      localAddresses,
    });
    const driverOptions: DriverOptions = {
      ...(clock ? { clock } : {}),
      ...(timers ? { timers } : {}),
      ...(logger ? { logger } : {}),
    };
    return new NodeIceAgent(agent, new Driver(agent, transports, driverOptions), options);
  }

  get localParameters(): IceParameters {
    return this.agent.localParameters;
  }

  gather(): void {
    this.driver.act((_e, now) => this.agent.gather(now));
  }

  setRemoteParameters(params: IceParameters): void {
    this.driver.act((_e, now) => this.agent.setRemoteParameters(now, params));
  }

  addRemoteCandidate(candidate: IceCandidate): void {
    this.driver.act((_e, now) => this.agent.addRemoteCandidate(now, candidate));
  }

  endOfRemoteCandidates(): void {
    this.driver.act((_e, now) => this.agent.endOfRemoteCandidates(now));
  }

  /** ICE restart (RFC 8445 §9): new local credentials; signal them and the new candidates. */
  restart(): void {
    this.driver.act((_e, now) => this.agent.restart(now));
  }

  /** Send on the selected pair; false when there is none yet. */
  send(data: Uint8Array): boolean {
    return this.driver.act(() => this.agent.send(data));
  }

  async close(): Promise<void> {
    if (!this.driver.isClosed) this.driver.act(() => this.agent.close());
    await this.driver.close();
    if (this.ownsMdns) await this.mdns?.close();
  }

  private async resolveMdns(name: string): Promise<void> {
    if (this.options.mdns === false) {
      this.answer(name, undefined);
      return;
    }
    if (!this.mdns) {
      this.mdns = new MdnsResolver();
      this.ownsMdns = true;
    }
    let address: string | undefined;
    try {
      address = await this.mdns.resolve(name, this.options.mdnsTimeoutMs ?? 3000);
    } catch {
      address = undefined; // the agent counts unresolved names as drops
    }
    this.answer(name, address);
  }

  private answer(name: string, address: string | undefined): void {
    if (this.driver.isClosed) return;
    this.driver.act((_e, now) => this.agent.resolveMdns(now, name, address));
  }
}
