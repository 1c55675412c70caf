import type { DatagramEndpoint, SocketAddress } from '@rtcwire/common';
import { socketAddress } from '@rtcwire/common';
import type { Attachment, Host, LinkConfig, NatConfig } from '@rtcwire/netsim';
import { Network, StunServer, TurnServer } from '@rtcwire/netsim';
import type { IceAgentOptions, IceConnectionState, IceEvent } from '../../src/index.js';
import { IceAgent, parseCandidate } from '../../src/index.js';

export const STUN_ADDRESS = socketAddress('198.51.100.1', 3478);
export const TURN_ADDRESS = socketAddress('198.51.100.2', 3478);
/** Credentials of the simulated TURN server every scenario runs. */
export const TURN_CONFIG = { address: TURN_ADDRESS, username: 'alice', password: 'wonderland' } as const;

export interface SideOptions {
  readonly nat?: NatConfig;
  readonly link?: LinkConfig;
  readonly agent?: Partial<IceAgentOptions>;
  /** Do not signal this side's candidates to the peer (the peer only learns them as peer-reflexive). */
  readonly hideCandidates?: boolean;
  /** Rewrite this side's candidate lines before signalling (e.g. to hide host IPs behind mDNS names). */
  readonly mapSdp?: (sdp: string) => string;
  /** One-way signalling delay from this side to the peer (default: the scenario's). */
  readonly signalDelayMs?: number;
  /** Never signal end-of-candidates to the peer (like many trickle implementations). */
  readonly noEndOfCandidates?: boolean;
  /** This side's mDNS resolver, answering `mdns-resolve` events after 5 ms. */
  readonly resolveMdns?: (name: string) => string | undefined;
  /** Attach this endpoint instead of the bare agent (a wrapper that adds behaviour around it). */
  readonly wrap?: (agent: IceAgent) => DatagramEndpoint<IceEvent>;
}

export interface Scenario {
  readonly seed: number;
  readonly a?: SideOptions;
  readonly b?: SideOptions;
  /** One-way signalling delay for trickled candidates (default 50 ms). */
  readonly signalDelayMs?: number;
  /** Whether both sides get the STUN server (default true). */
  readonly stun?: boolean;
}

export interface Side {
  readonly agent: IceAgent;
  readonly host: Host;
  readonly att: Attachment<IceEvent>;
  readonly local: SocketAddress;
  states(): IceConnectionState[];
  received(): Uint8Array[];
}

/**
 * Two agents on a simulated network: A (controlling) at 10.0.1.2 and B (controlled) at 10.0.2.2,
 * each behind its own NAT when configured (public 192.0.2.1 / 203.0.113.1) or public otherwise,
 * a STUN server, and a signalling channel that carries candidates as SDP strings.
 */
export function twoAgents(s: Scenario) {
  const net = new Network({ seed: s.seed });
  const stunHost = net.addHost('stun', { addresses: [STUN_ADDRESS.address] });
  net.attach(stunHost, new StunServer(), { addresses: [STUN_ADDRESS], name: 'stun' });
  const turnHost = net.addHost('turn', { addresses: [TURN_ADDRESS.address] });
  const turn = new TurnServer({ listen: TURN_ADDRESS, username: TURN_CONFIG.username, password: TURN_CONFIG.password });
  net.attach(turnHost, turn, { addresses: [TURN_ADDRESS], anyPort: true, name: 'turn' });
  const delay = s.signalDelayMs ?? 50;
  const stunServers = s.stun === false ? [] : [STUN_ADDRESS];

  const make = (
    name: string,
    opts: SideOptions | undefined,
    privateIp: string,
    publicIp: string,
    controlling: boolean,
  ) => {
    const nat = opts?.nat ? net.addNat(`${name}-nat`, publicIp, opts.nat) : undefined;
    const ip = nat ? privateIp : publicIp;
    const host = net.addHost(name, {
      addresses: [ip],
      ...(nat ? { nat } : {}),
      ...(opts?.link ? { link: opts.link } : {}),
    });
    const local = socketAddress(ip, 40000);
    const agent = new IceAgent({
      random: net.random,
      controlling,
      localAddresses: [local],
      stunServers,
      ...opts?.agent,
    });
    return { host, local, agent };
  };
  const A = make('a', s.a, '10.0.1.2', '192.0.2.1', true);
  const B = make('b', s.b, '10.0.2.2', '203.0.113.1', false);

  const signal = (self: IceAgent, to: IceAgent, opts: SideOptions | undefined) => (e: IceEvent, now: number) => {
    const d = opts?.signalDelayMs ?? delay;
    if (e.type === 'mdns-resolve' && opts?.resolveMdns) {
      const answer = opts.resolveMdns(e.name);
      net.schedule(now + 5, () => self.resolveMdns(net.now, e.name, answer));
    }
    if (opts?.hideCandidates) return;
    if (e.type === 'local-candidate') {
      const sdp = opts?.mapSdp ? opts.mapSdp(e.sdp) : e.sdp;
      net.schedule(now + d, () => to.addRemoteCandidate(net.now, parseCandidate(sdp)));
    } else if (e.type === 'end-of-candidates' && !opts?.noEndOfCandidates) {
      net.schedule(now + d, () => to.endOfRemoteCandidates(net.now));
    }
  };
  const attA = net.attach(A.host, s.a?.wrap?.(A.agent) ?? A.agent, {
    addresses: [A.local],
    name: 'a',
    onEvent: signal(A.agent, B.agent, s.a),
  });
  const attB = net.attach(B.host, s.b?.wrap?.(B.agent) ?? B.agent, {
    addresses: [B.local],
    name: 'b',
    onEvent: signal(B.agent, A.agent, s.b),
  });

  const side = (x: typeof A, att: Attachment<IceEvent>): Side => ({
    agent: x.agent,
    host: x.host,
    att,
    local: x.local,
    states: () => stateSequence(att),
    received: () => att.events.flatMap((e) => (e.event.type === 'data' ? [e.event.data] : [])),
  });
  const a = side(A, attA);
  const b = side(B, attB);

  /** Exchange credentials and start gathering on both sides (offer/answer at t = now). */
  const start = () => {
    a.agent.setRemoteParameters(net.now, b.agent.localParameters);
    b.agent.setRemoteParameters(net.now, a.agent.localParameters);
    a.agent.gather(net.now);
    b.agent.gather(net.now);
  };
  const bothIn =
    (...states: IceConnectionState[]) =>
    () =>
      states.includes(a.agent.state) && states.includes(b.agent.state);
  /** ICE restart initiated by A: new credentials both ways (B restarts on seeing A's new ufrag). */
  const restart = () => {
    a.agent.restart(net.now);
    b.agent.setRemoteParameters(net.now, a.agent.localParameters);
    a.agent.setRemoteParameters(net.now, b.agent.localParameters);
  };
  return { net, a, b, turn, start, restart, bothIn };
}

export function stateSequence(att: Attachment<IceEvent>): IceConnectionState[] {
  return att.events.flatMap((e) => (e.event.type === 'state' ? [e.event.state] : []));
}

/** The agents never left a deadline at or before `now` after handling a timeout (the node driver flags that). */
export function expectNoStaleDeadlines(...sides: readonly Side[]): void {
  for (const s of sides) {
    if (s.att.staleDeadlines !== 0) throw new Error(`${s.att.name}: ${s.att.staleDeadlines} stale deadline(s)`);
  }
}

/** Check that a state sequence follows the W3C order new → checking → connected → completed. */
export function assertW3cOrder(states: readonly IceConnectionState[]): void {
  const rank: Partial<Record<IceConnectionState, number>> = { checking: 1, connected: 2, completed: 3 };
  let prev = 0;
  for (const st of states) {
    const r = rank[st];
    if (r === undefined) {
      prev = st === 'disconnected' ? 2 : 0;
      continue;
    }
    if (r > prev + 1) throw new Error(`state ${st} skipped a step in ${states.join(' → ')}`);
    prev = r;
  }
}
