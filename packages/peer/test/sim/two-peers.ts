import { seededRandom, socketAddress } from '@rtcwire/common';
import { type GeneratedCertificate, generateCertificate } from '@rtcwire/dtls';
import { type Attachment, type LinkConfig, Network } from '@rtcwire/netsim';
import { PeerConnectionCore, type PeerCoreOptions, type PeerEvent } from '../../src/index.js';

/** Two engines on a seeded simulated network, signalling through scheduled callbacks (50 ms apart). */
export interface TwoPeers {
  net: Network;
  a: PeerConnectionCore;
  b: PeerConnectionCore;
  aEvents: PeerEvent[];
  bEvents: PeerEvent[];
  aAttachment: Attachment<PeerEvent>;
  bAttachment: Attachment<PeerEvent>;
}

let certs: [GeneratedCertificate, GeneratedCertificate] | undefined;

export async function certificates(): Promise<[GeneratedCertificate, GeneratedCertificate]> {
  certs ??= [await generateCertificate({ now: new Date() }), await generateCertificate({ now: new Date() })];
  return certs;
}

export async function twoPeers(
  seed: number,
  link: LinkConfig = { latencyMs: 10 },
  extra: Partial<PeerCoreOptions> = {},
): Promise<TwoPeers> {
  const [certA, certB] = await certificates();
  const net = new Network({ seed });
  const hostA = net.addHost('a', { addresses: ['10.0.0.1'], link });
  const hostB = net.addHost('b', { addresses: ['10.0.0.2'], link });
  const addrA = socketAddress('10.0.0.1', 5000);
  const addrB = socketAddress('10.0.0.2', 6000);
  const options = (cert: GeneratedCertificate, addr: ReturnType<typeof socketAddress>, s: number): PeerCoreOptions => ({
    random: seededRandom(s),
    certificate: cert,
    localAddresses: [addr],
    wallClockMs: (now) => 1_700_000_000_000 + now,
    ...extra,
  });
  const a = new PeerConnectionCore(options(certA, addrA, seed * 2 + 1));
  const b = new PeerConnectionCore(options(certB, addrB, seed * 2 + 2));
  const aEvents: PeerEvent[] = [];
  const bEvents: PeerEvent[] = [];
  // Trickle: each side's candidates reach the other 50 ms later.
  const relay = (from: PeerEvent[], to: PeerConnectionCore) => (event: PeerEvent, nowMs: number) => {
    from.push(event);
    if (event.type === 'ice-candidate') {
      const c = event.candidate;
      net.schedule(nowMs + 50, () => {
        if (
          to.signalingState !== 'closed' &&
          (to.currentRemoteDescription || to.signalingState === 'have-remote-offer')
        )
          to.addIceCandidate(net.now, c, event.sdpMid);
      });
    }
  };
  const aAttachment = net.attach(hostA, a, { addresses: [addrA], onEvent: relay(aEvents, b) });
  const bAttachment = net.attach(hostB, b, { addresses: [addrB], onEvent: relay(bEvents, a) });
  return { net, a, b, aEvents, bEvents, aAttachment, bAttachment };
}

/** a offers, b answers; descriptions travel 50 ms each way. */
export function negotiate(p: TwoPeers): void {
  const { net, a, b } = p;
  net.schedule(0, () => {
    const offer = a.createOffer();
    a.setLocalDescription(net.now, 'offer', offer);
    net.schedule(net.now + 50, () => {
      b.setRemoteDescription(net.now, 'offer', offer);
      const answer = b.createAnswer();
      b.setLocalDescription(net.now, 'answer', answer);
      net.schedule(net.now + 50, () => a.setRemoteDescription(net.now, 'answer', answer));
    });
  });
}
