import type { EncodedFrame, RTCPeerConnection } from 'rtcwire';

/**
 * Counts the whole VP8 frames each received track delivers, keyed by its transceiver's mid (set as
 * `pc.ontrack`; `onTrack` sees each mid as its track arrives). The map fills as frames come in.
 */
export function countVp8FramesByMid(pc: RTCPeerConnection, onTrack?: (mid: string) => void): Map<string, number> {
  const frames = new Map<string, number>();
  pc.ontrack = (e) => {
    const mid = String(e.transceiver.mid);
    onTrack?.(mid);
    e.track.addEventListener('frame', (ev) => {
      if ((ev as CustomEvent<EncodedFrame>).detail.codec === 'VP8') frames.set(mid, (frames.get(mid) ?? 0) + 1);
    });
  };
  return frames;
}
