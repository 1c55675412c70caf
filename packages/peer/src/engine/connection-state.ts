import type { DtlsState } from '@rtcwire/dtls';
import type { IceConnectionState } from '@rtcwire/ice';
import type { PeerConnectionState } from './types.js';

/**
 * W3C RTCPeerConnectionState from the ICE and DTLS transports (webrtc-pc §4.4.3). `srtpReady` is whether the
 * DTLS-SRTP keys are in place; `current` is the state so far (kept when nothing above decides).
 */
export function peerConnectionState(
  ice: IceConnectionState,
  dtls: DtlsState,
  srtpReady: boolean,
  current: PeerConnectionState,
): PeerConnectionState {
  if (ice === 'failed' || dtls === 'failed') return 'failed';
  if (ice === 'disconnected') return 'disconnected';
  if ((ice === 'connected' || ice === 'completed') && dtls === 'connected' && srtpReady) return 'connected';
  if (
    ice === 'checking' ||
    dtls === 'handshaking' ||
    ((ice === 'connected' || ice === 'completed') && dtls !== 'connected')
  )
    return 'connecting';
  return current === 'new' ? 'new' : current;
}
