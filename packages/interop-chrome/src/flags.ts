/**
 * Chromium command-line flags for headless WebRTC tests as root on a machine without internet
 * (see shared/PEERS.md). `ignoreDefaultArgs: true` keeps Playwright from adding its own
 * `--disable-features=` list, so we pass `--remote-debugging-pipe` ourselves.
 */
export interface ChromeFlagOptions {
  userDataDir: string;
  /** Use Chrome's fake capture devices (a test pattern and a beep). Default true. */
  fakeDevices?: boolean;
  /** Allow 127.0.0.1 host candidates. Default true. */
  loopbackCandidates?: boolean;
  /**
   * Keep host addresses hidden behind `<uuid>.local` mDNS names. Chrome reveals real addresses once a page
   * holds media permission, so this mode drops the auto-granting fake UI: pages then publish synthetic
   * media (canvas + WebAudio), which needs no permission. Default false.
   */
  mdnsHostCandidates?: boolean;
  /** A .y4m file for the fake camera and/or a .wav file for the fake microphone. */
  fakeVideoFile?: string;
  fakeAudioFile?: string;
  extra?: readonly string[];
}

export function chromeFlags(o: ChromeFlagOptions): string[] {
  const args = [
    '--headless',
    '--no-sandbox',
    '--disable-gpu',
    '--disable-quic',
    '--no-first-run',
    '--disable-background-networking',
    '--disable-component-update',
    '--disable-sync',
    '--disable-dev-shm-usage',
    '--remote-debugging-pipe',
    `--user-data-dir=${o.userDataDir}`,
  ];
  args.push('--autoplay-policy=no-user-gesture-required');
  if (o.fakeDevices ?? true) args.push('--use-fake-device-for-media-stream');
  if (o.loopbackCandidates ?? true) args.push('--allow-loopback-in-peer-connection');
  if (!o.mdnsHostCandidates) {
    args.push('--use-fake-ui-for-media-stream', '--disable-features=WebRtcHideLocalIpsWithMdns');
  }
  if (o.fakeVideoFile) args.push(`--use-file-for-fake-video-capture=${o.fakeVideoFile}`);
  if (o.fakeAudioFile) args.push(`--use-file-for-fake-audio-capture=${o.fakeAudioFile}`);
  args.push(...(o.extra ?? []), 'about:blank');
  return args;
}
