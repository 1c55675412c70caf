/**
 * Page JavaScript for renegotiation tests where Chrome offers: one `step` per offer — 'start' (two canvas video
 * tracks, sendonly), 'stop' (stop transceiver `stopIndex`), 'add' (a third track), anything else (re-offer) —
 * then the offer after ICE gathering (2 s at most). It evaluates to `{ sdp, transceivers }`, the latter as
 * `mid:currentDirection` per transceiver. Evaluate as `(${chromeOfferSteps(…)})(${JSON.stringify(step)})`.
 */
/** Page JavaScript defining `canvasTrack()`: a 320x240 canvas video track whose colour changes every frame. */
export const CANVAS_TRACK_JS = `const canvasTrack = () => {
    const canvas = document.createElement('canvas');
    canvas.width = 320; canvas.height = 240;
    const ctx = canvas.getContext('2d');
    let n = 0;
    setInterval(() => { ctx.fillStyle = 'hsl(' + (n++ * 7) % 360 + ',80%,50%)'; ctx.fillRect(0, 0, 320, 240); }, 33);
    return canvas.captureStream(30).getVideoTracks()[0];
  };`;

export function chromeOfferSteps(stopIndex: number): string {
  return `async (step) => {
  ${CANVAS_TRACK_JS}
  if (step === 'start') {
    window.offerStepsPc = new RTCPeerConnection({ iceServers: [] });
    window.offerStepsPc.addTransceiver(canvasTrack(), { direction: 'sendonly' });
    window.offerStepsPc.addTransceiver(canvasTrack(), { direction: 'sendonly' });
  }
  const pc = window.offerStepsPc;
  if (step === 'stop') pc.getTransceivers()[${stopIndex}].stop();
  if (step === 'add') pc.addTransceiver(canvasTrack(), { direction: 'sendonly' });
  await pc.setLocalDescription(await pc.createOffer());
  if (pc.iceGatheringState !== 'complete')
    await new Promise((resolve) => {
      const t = setTimeout(resolve, 2000);
      pc.addEventListener('icegatheringstatechange', () => {
        if (pc.iceGatheringState === 'complete') { clearTimeout(t); resolve(); }
      });
    });
  return { sdp: pc.localDescription.sdp, transceivers: pc.getTransceivers().map((t) => t.mid + ':' + t.currentDirection) };
}`;
}
