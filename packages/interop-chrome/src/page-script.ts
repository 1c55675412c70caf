/**
 * The script the harness page runs. It exposes `window.rtcwireHarness`, a small registry of
 * RTCPeerConnections that the Node side drives with `page.evaluate`. Kept as plain browser
 * JavaScript in a string so it needs no bundler.
 */
export const PAGE_SCRIPT = String.raw`
(() => {
  const peers = new Map();

  function syntheticStream(video, audio) {
    const tracks = [];
    if (video) {
      const canvas = document.createElement('canvas');
      canvas.width = 320; canvas.height = 240;
      const ctx = canvas.getContext('2d');
      let n = 0;
      setInterval(() => {
        n++;
        ctx.fillStyle = 'hsl(' + (n * 7) % 360 + ',80%,50%)';
        ctx.fillRect(0, 0, 320, 240);
        ctx.fillStyle = '#fff';
        ctx.font = '40px sans-serif';
        ctx.fillText(String(n), 20, 120);
      }, 33);
      tracks.push(...canvas.captureStream(30).getVideoTracks());
    }
    if (audio) {
      const ac = new AudioContext();
      const osc = ac.createOscillator();
      const dest = ac.createMediaStreamDestination();
      osc.connect(dest); osc.start();
      tracks.push(...dest.stream.getAudioTracks());
    }
    return new MediaStream(tracks);
  }

  // 'sync-markers': every 1000 ms a 100 ms white full frame on an otherwise black canvas and, starting at
  // the same instant, a 100 ms 1 kHz tone on otherwise silent audio. The tone is scheduled sample-exactly
  // on the AudioContext clock; the canvas follows that clock through performance.now(), mapped by the
  // smallest (performance.now() - currentTime) of the last second: currentTime advances once per rendered
  // block, so the smallest difference is the moment a block was handed to the track. Rendering is bursty
  // (blocks of 10-70 ms were seen on a loaded machine) and settles during the first seconds, hence a
  // sliding window rather than the minimum since start. Draws run every 4 ms; Chrome captures the canvas
  // at most 30 times a second, so a flash reaches the video track 0-33 ms (one frame) after it is drawn.
  async function syncMarkerStream(video, audio) {
    const PERIOD = 1, LENGTH = 0.1, FIRST = 0.5, COUNT = 600, WINDOW = 1000;
    const ac = new AudioContext({ sampleRate: 48000 });
    await ac.resume();
    const t0 = ac.currentTime + FIRST;
    const tracks = [];
    let timer;
    if (audio) {
      const osc = ac.createOscillator();
      osc.frequency.value = 1000;
      const gain = ac.createGain();
      gain.gain.setValueAtTime(0, 0);
      for (let k = 0; k < COUNT; k++) {
        gain.gain.setValueAtTime(0.5, t0 + k * PERIOD);
        gain.gain.setValueAtTime(0, t0 + k * PERIOD + LENGTH);
      }
      const dest = ac.createMediaStreamDestination();
      osc.connect(gain).connect(dest); osc.start();
      tracks.push(...dest.stream.getAudioTracks());
    }
    if (video) {
      const canvas = document.createElement('canvas');
      canvas.width = 320; canvas.height = 240;
      const ctx = canvas.getContext('2d');
      const recent = []; // [performance.now(), performance.now() - currentTime] over the last WINDOW ms
      timer = setInterval(() => {
        const now = performance.now();
        recent.push([now, now - ac.currentTime * 1000]);
        while (recent[0][0] < now - WINDOW) recent.shift();
        const perfMinusCtxMs = Math.min(...recent.map((r) => r[1]));
        const ctxNow = (now - perfMinusCtxMs) / 1000 - t0;
        const phase = ctxNow - Math.floor(ctxNow / PERIOD) * PERIOD;
        ctx.fillStyle = ctxNow >= 0 && phase < LENGTH ? '#fff' : '#000';
        ctx.fillRect(0, 0, 320, 240);
      }, 4);
      tracks.push(...canvas.captureStream(30).getVideoTracks());
    }
    const stream = new MediaStream(tracks);
    stream.rtcwireStop = () => { clearInterval(timer); ac.close(); };
    return stream;
  }

  async function media(opts) {
    if (!opts.video && !opts.audio) return new MediaStream();
    if (opts.source === 'synthetic') return syntheticStream(opts.video, opts.audio);
    if (opts.source === 'sync-markers') return syncMarkerStream(opts.video, opts.audio);
    const video = opts.video ? (opts.width ? { width: opts.width, height: opts.height, frameRate: opts.frameRate || 30 } : true) : false;
    return navigator.mediaDevices.getUserMedia({ video, audio: !!opts.audio });
  }

  function preferCodec(transceiver, mimeType) {
    if (!mimeType || !RTCRtpReceiver.getCapabilities) return;
    const kind = transceiver.receiver.track.kind;
    const caps = RTCRtpReceiver.getCapabilities(kind);
    if (!caps) return;
    const wanted = caps.codecs.filter((c) => c.mimeType.toLowerCase() === mimeType.toLowerCase());
    if (wanted.length === 0) throw new Error('codec not offered by this browser: ' + mimeType);
    const rest = caps.codecs.filter((c) => /rtx|red|ulpfec/i.test(c.mimeType));
    transceiver.setCodecPreferences([...wanted, ...rest]);
  }

  function waitGathering(pc, timeoutMs) {
    if (pc.iceGatheringState === 'complete') return Promise.resolve();
    return new Promise((resolve) => {
      const t = setTimeout(resolve, timeoutMs);
      pc.addEventListener('icegatheringstatechange', () => {
        if (pc.iceGatheringState === 'complete') { clearTimeout(t); resolve(); }
      });
    });
  }

  window.rtcwireHarness = {
    async create(id, opts) {
      const pc = new RTCPeerConnection(opts.config || { iceServers: [] });
      const entry = { pc, candidates: [], tracks: [], states: [], stream: null };
      pc.onicecandidate = (e) => entry.candidates.push(e.candidate ? e.candidate.toJSON() : null);
      pc.ontrack = (e) => entry.tracks.push({ kind: e.track.kind, id: e.track.id, mid: e.transceiver.mid });
      pc.onconnectionstatechange = () => entry.states.push(pc.connectionState);
      peers.set(id, entry);
      const stream = await media(opts);
      entry.stream = stream;
      for (const track of stream.getTracks()) {
        const tr = pc.addTransceiver(track, { direction: opts.direction || 'sendrecv', streams: [stream] });
        preferCodec(tr, track.kind === 'video' ? opts.videoCodec : opts.audioCodec);
      }
      for (const kind of opts.recvOnly || []) {
        const tr = pc.addTransceiver(kind, { direction: 'recvonly' });
        preferCodec(tr, kind === 'video' ? opts.videoCodec : opts.audioCodec);
      }
      return true;
    },
    async createOffer(id, waitMs) {
      const { pc } = peers.get(id);
      await pc.setLocalDescription(await pc.createOffer());
      await waitGathering(pc, waitMs);
      return pc.localDescription.sdp;
    },
    async answer(id, offerSdp, waitMs) {
      const { pc } = peers.get(id);
      await pc.setRemoteDescription({ type: 'offer', sdp: offerSdp });
      await pc.setLocalDescription(await pc.createAnswer());
      await waitGathering(pc, waitMs);
      return pc.localDescription.sdp;
    },
    async setAnswer(id, sdp) {
      await peers.get(id).pc.setRemoteDescription({ type: 'answer', sdp });
      return true;
    },
    async addIceCandidate(id, candidate) {
      await peers.get(id).pc.addIceCandidate(candidate);
      return true;
    },
    candidates(id) { return peers.get(id).candidates; },
    tracks(id) { return peers.get(id).tracks; },
    state(id) {
      const { pc, states } = peers.get(id);
      return { connectionState: pc.connectionState, iceConnectionState: pc.iceConnectionState,
        signalingState: pc.signalingState, iceGatheringState: pc.iceGatheringState, history: states };
    },
    async stats(id) {
      const report = await peers.get(id).pc.getStats();
      return Array.from(report.values());
    },
    async stopSending(id) {
      const { pc } = peers.get(id);
      for (const sender of pc.getSenders()) await sender.replaceTrack(null);
      return true;
    },
    async whipPublish(id, url, token) {
      const { pc } = peers.get(id);
      await pc.setLocalDescription(await pc.createOffer());
      await waitGathering(pc, 2000);
      const headers = { 'Content-Type': 'application/sdp' };
      if (token) headers.Authorization = 'Bearer ' + token;
      const res = await fetch(url, { method: 'POST', headers, body: pc.localDescription.sdp });
      if (res.status !== 201) throw new Error('WHIP POST failed: ' + res.status + ' ' + (await res.text()));
      const location = new URL(res.headers.get('Location'), url).toString();
      await pc.setRemoteDescription({ type: 'answer', sdp: await res.text() });
      return location;
    },
    close(id) {
      const entry = peers.get(id);
      if (!entry) return false;
      if (entry.stream) for (const t of entry.stream.getTracks()) t.stop();
      if (entry.stream && entry.stream.rtcwireStop) entry.stream.rtcwireStop();
      entry.pc.close();
      peers.delete(id);
      return true;
    },
  };
})();
`;

export const PAGE_HTML = `<!doctype html>
<html><head><meta charset="utf-8"><title>rtcwire interop</title></head>
<body><p>rtcwire interop harness</p><script src="/harness.js"></script></body></html>
`;
