/** A minimal page served at `/`: camera + microphone → WHIP, for trying the recorder in a browser. */
export const PUBLISHER_PAGE = `<!doctype html>
<html><head><meta charset="utf-8"><title>rtcwire recorder — publish</title>
<style>body{font:16px system-ui;margin:2rem;max-width:40rem}video{width:100%;background:#000}</style></head>
<body>
<h1>Publish to the rtcwire recorder</h1>
<p><label>Token (if the server needs one): <input id="token"></label></p>
<p><button id="start">Start publishing</button> <button id="stop" disabled>Stop</button> <span id="status"></span></p>
<video id="preview" autoplay muted playsinline></video>
<script>
let pc, resource;
const status = (t) => { document.getElementById('status').textContent = t; };
document.getElementById('start').onclick = async () => {
  const stream = await navigator.mediaDevices.getUserMedia({ video: true, audio: true });
  document.getElementById('preview').srcObject = stream;
  pc = new RTCPeerConnection();
  for (const track of stream.getTracks()) pc.addTransceiver(track, { direction: 'sendonly' });
  pc.onconnectionstatechange = () => status(pc.connectionState);
  await pc.setLocalDescription(await pc.createOffer());
  await new Promise((r) => { if (pc.iceGatheringState === 'complete') r(); pc.onicegatheringstatechange = () => pc.iceGatheringState === 'complete' && r(); setTimeout(r, 2000); });
  const headers = { 'Content-Type': 'application/sdp' };
  const token = document.getElementById('token').value;
  if (token) headers.Authorization = 'Bearer ' + token;
  const res = await fetch('/whip', { method: 'POST', headers, body: pc.localDescription.sdp });
  if (res.status !== 201) { status('WHIP error ' + res.status + ': ' + await res.text()); return; }
  resource = new URL(res.headers.get('Location'), location.href);
  await pc.setRemoteDescription({ type: 'answer', sdp: await res.text() });
  document.getElementById('stop').disabled = false;
};
document.getElementById('stop').onclick = async () => {
  const headers = {};
  const token = document.getElementById('token').value;
  if (token) headers.Authorization = 'Bearer ' + token;
  if (resource) await fetch(resource, { method: 'DELETE', headers });
  pc?.close();
  status('stopped — the recording is finalized');
  document.getElementById('stop').disabled = true;
};
</script></body></html>
`;
