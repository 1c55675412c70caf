import type { PeerConnectionCore } from '@rtcwire/peer';

type Stats = Record<string, unknown> & { id: string; type: string; timestamp: number };

/**
 * A getStats() report with the W3C webrtc-stats names: transport, candidate-pair, local-candidate,
 * remote-candidate, certificate, codec, inbound-rtp, outbound-rtp, remote-inbound-rtp. Timestamps are the engine's ms clock.
 */
export function buildStatsReport(core: PeerConnectionCore, now: number): Map<string, Stats> {
  const out = new Map<string, Stats>();
  const add = (s: Stats): void => {
    out.set(s.id, s);
  };
  const info = core.secureTransport.connectionInfo;
  const agent = core.iceAgent;
  const selected = agent?.pairs.find((p) => p.selected);
  const candidateId = (kind: 'L' | 'R', c: { address: string; port: number }): string =>
    `${kind}${c.address}:${c.port}`;
  for (const p of agent?.pairs ?? []) {
    const lid = candidateId('L', p.pair.local);
    const rid = candidateId('R', p.pair.remote);
    add({
      id: lid,
      type: 'local-candidate',
      timestamp: now,
      address: p.pair.local.address,
      port: p.pair.local.port,
      protocol: 'udp',
      candidateType: p.pair.local.type,
      priority: p.pair.local.priority,
    });
    add({
      id: rid,
      type: 'remote-candidate',
      timestamp: now,
      address: p.pair.remote.address,
      port: p.pair.remote.port,
      protocol: 'udp',
      candidateType: p.pair.remote.type,
      priority: p.pair.remote.priority,
    });
    add({
      id: `CP${lid}_${rid}`,
      type: 'candidate-pair',
      timestamp: now,
      localCandidateId: lid,
      remoteCandidateId: rid,
      state: p.state,
      nominated: p.nominated,
      selected: p.selected,
      priority: Number(p.priority),
      ...p.stats,
      // webrtc-stats §7.17: the send-side bandwidth estimate, on the pair media uses.
      ...(p.selected && core.mediaEngine.availableOutgoingBitrate !== undefined
        ? { availableOutgoingBitrate: core.mediaEngine.availableOutgoingBitrate }
        : {}),
    });
  }
  add({
    id: 'T01',
    type: 'transport',
    timestamp: now,
    dtlsState: core.secureTransport.dtlsState,
    iceState: core.iceConnectionState,
    ...(selected
      ? {
          selectedCandidatePairId: `CP${candidateId('L', selected.pair.local)}_${candidateId('R', selected.pair.remote)}`,
        }
      : {}),
    ...(info
      ? {
          tlsVersion: 'FEFD',
          dtlsCipher: info.cipherSuite,
          srtpCipher: info.srtpProfile?.name.replace(/^SRTP_/, ''),
          dtlsRole: info.role,
        }
      : {}),
    localCertificateId: 'CERT-local',
  });
  add({
    id: 'CERT-local',
    type: 'certificate',
    timestamp: now,
    fingerprint: core.localCertificateFingerprint.split(' ')[1],
    fingerprintAlgorithm: 'sha-256',
  });
  if (info?.peerFingerprint) {
    const [alg, fp] = info.peerFingerprint.split(' ');
    add({ id: 'CERT-remote', type: 'certificate', timestamp: now, fingerprint: fp, fingerprintAlgorithm: alg });
  }
  for (const t of core.transceivers) {
    if (!t.mid) continue;
    for (const c of t.codecs) {
      add({
        id: `C${t.mid}_${c.payloadType}`,
        type: 'codec',
        timestamp: now,
        transportId: 'T01',
        payloadType: c.payloadType,
        mimeType: `${t.kind}/${c.name}`,
        clockRate: c.clockRate,
        ...(c.channels !== undefined ? { channels: c.channels } : {}),
        ...(c.parameters.size > 0 ? { sdpFmtpLine: [...c.parameters].map(([k, v]) => `${k}=${v}`).join(';') } : {}),
      });
    }
    const codecId = t.codecs[0] ? `C${t.mid}_${t.codecs[0].payloadType}` : undefined;
    for (const [ssrc, stream] of t.receiver.streams) {
      const s = stream.stats();
      if (s.packetsReceived === 0) continue;
      add({
        id: `IT${t.mid}_${ssrc}`,
        type: 'inbound-rtp',
        timestamp: now,
        ssrc,
        kind: t.kind,
        mid: t.mid,
        transportId: 'T01',
        ...(codecId ? { codecId } : {}),
        packetsReceived: s.packetsReceived,
        bytesReceived: s.bytesReceived,
        packetsLost: s.packetsLost,
        packetsDuplicated: s.packetsDuplicated,
        jitter: s.jitter,
        retransmittedPacketsReceived: s.retransmittedPacketsReceived,
        pliCount: s.pliCount,
        firCount: s.firCount,
        nackCount: s.nackCount,
      });
    }
    const sent = t.sender.stream.stats();
    const remote = t.sender.stream.statistics;
    if (sent.packetsSent > 0) {
      add({
        id: `OT${t.mid}_${t.sender.ssrc}`,
        type: 'outbound-rtp',
        timestamp: now,
        ssrc: t.sender.ssrc,
        kind: t.kind,
        mid: t.mid,
        transportId: 'T01',
        ...(codecId ? { codecId } : {}),
        packetsSent: sent.packetsSent,
        bytesSent: sent.bytesSent,
        retransmittedPacketsSent: sent.retransmittedPacketsSent,
        retransmittedBytesSent: sent.retransmittedBytesSent,
        nackCount: sent.nackCount,
        pliCount: sent.pliCount,
        firCount: sent.firCount,
        ...(remote.reportsReceived > 0 ? { remoteId: `RI${t.mid}_${t.sender.ssrc}` } : {}),
      });
    }
    if (remote.reportsReceived > 0) {
      // webrtc-stats §8.8 RTCRemoteInboundRtpStreamStats: what the remote's RTCP report blocks say about us.
      add({
        id: `RI${t.mid}_${t.sender.ssrc}`,
        type: 'remote-inbound-rtp',
        timestamp: now,
        ssrc: t.sender.ssrc,
        kind: t.kind,
        transportId: 'T01',
        ...(codecId ? { codecId } : {}),
        localId: `OT${t.mid}_${t.sender.ssrc}`,
        packetsLost: remote.packetsLost,
        fractionLost: remote.fractionLost,
        jitter: remote.jitter,
        ...(remote.roundTripTimeMs !== undefined ? { roundTripTime: remote.roundTripTimeMs / 1000 } : {}),
        totalRoundTripTime: remote.totalRoundTripTimeMs / 1000,
        roundTripTimeMeasurements: remote.roundTripTimeMeasurements,
        reportsReceived: remote.reportsReceived,
      });
    }
  }
  return out;
}
