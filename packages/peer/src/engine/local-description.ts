import { formatCandidate, type IceAgent, type IceCandidate } from '@rtcwire/ice';
import {
  isRejected,
  mediaCandidates,
  mediaEndOfCandidates,
  mediaMid,
  type SessionDescription,
  writeSdp,
} from '@rtcwire/sdp';
import { buildDescription, type SectionPlan } from '../jsep/description.js';
import type { Transceiver } from './transceiver.js';
import { transportSection } from './transport-change.js';

/** What our next local description is made of: the sections planned by JSEP plus the transport's state. */
export interface LocalDescriptionInput {
  readonly sessionId: string;
  readonly sessionVersion: number;
  readonly sections: readonly SectionPlan[];
  readonly setup: 'actpass' | 'active' | 'passive';
  readonly bundleTag: string | undefined;
  readonly agent: IceAgent | undefined;
  readonly relayOnly: boolean | undefined;
  /** Our ICE credentials before there is an agent. */
  readonly ufrag: string;
  readonly pwd: string;
  /** Our certificate fingerprint, as `"<algorithm> <value>"`. */
  readonly fingerprint: string;
}

/** Our local SessionDescription (an offer or an answer) from the planned sections and the ICE agent's state. */
export function describeLocal(input: LocalDescriptionInput): SessionDescription {
  const agent = input.agent;
  const candidates = agent ? advertisedCandidates(agent, input.relayOnly).map((c) => formatCandidate(c)) : [];
  const selected = agent?.localCandidates[0];
  return buildDescription({
    sessionId: input.sessionId,
    sessionVersion: input.sessionVersion,
    sections: input.sections,
    ...(input.bundleTag !== undefined ? { bundleTag: input.bundleTag } : {}),
    transport: {
      // The agent's current credentials: an ICE restart (ours, or the remote's new ufrag) replaces them.
      iceUfrag: agent?.localParameters.usernameFragment ?? input.ufrag,
      icePwd: agent?.localParameters.password ?? input.pwd,
      iceLite: false,
      fingerprints: [parseSdpFingerprint(input.fingerprint)],
      setup: input.setup,
      candidates,
      endOfCandidates: agent?.gatheringState === 'complete',
      ...(selected ? { defaultAddress: { address: selected.address, port: selected.port } } : {}),
    },
  });
}

/**
 * The applied local description with the candidates gathered since (and end-of-candidates once gathering
 * completed), as browsers report `localDescription` — what non-trickle signalling (WHIP) sends.
 */
export function withGatheredCandidates(
  desc: SessionDescription,
  agent: IceAgent | undefined,
  relayOnly: boolean | undefined,
): string {
  const first = transportSection(desc);
  if (!agent || !first || isRejected(first)) return writeSdp(desc);
  const known = new Set(mediaCandidates(first));
  const extra = advertisedCandidates(agent, relayOnly)
    .map((c) => formatCandidate(c).replace(/^candidate:/, ''))
    .filter((c) => !known.has(c));
  const copy: SessionDescription = {
    ...desc,
    media: desc.media.map((m) => ({ ...m, attributes: [...m.attributes] })),
  };
  const target = copy.media[desc.media.indexOf(first)] as (typeof copy.media)[number];
  const at = target.attributes.findIndex((a) => a.name === 'ice-ufrag');
  target.attributes.splice(Math.max(at, 0), 0, ...extra.map((value) => ({ name: 'candidate', value })));
  if (agent.gatheringState === 'complete' && !mediaEndOfCandidates(target))
    target.attributes.splice(at < 0 ? extra.length : at + extra.length, 0, { name: 'end-of-candidates' });
  return writeSdp(copy);
}

/**
 * Where trickled candidates belong: the BUNDLE-tag section (it can move, transport-change.ts) of `desc` — the
 * remote offer we are answering (our answer keeps its tag) or else our description — or, without one, the first
 * live transceiver's mid on line 0.
 */
export function candidateTarget(
  desc: SessionDescription | undefined,
  transceivers: readonly Transceiver[],
): { sdpMid: string | null; sdpMLineIndex: number | null } {
  const section = desc && transportSection(desc);
  if (desc && section && !isRejected(section))
    return { sdpMid: mediaMid(section) ?? null, sdpMLineIndex: desc.media.indexOf(section) };
  return { sdpMid: transceivers.find((t) => t.mid !== null && !t.stopped)?.mid ?? null, sdpMLineIndex: 0 };
}

/** The local candidates we signal: all of them, or only relayed ones under a relay-only policy. */
function advertisedCandidates(agent: IceAgent, relayOnly: boolean | undefined): IceCandidate[] {
  return agent.localCandidates.filter((c) => !relayOnly || c.type === 'relay');
}

function parseSdpFingerprint(text: string): { algorithm: string; value: string } {
  const [algorithm = 'sha-256', value = ''] = text.split(' ');
  return { algorithm, value };
}
