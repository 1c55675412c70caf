import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Browser, type Page, chromium } from 'playwright-core';
import { type ChromeFlagOptions, chromeFlags } from './flags.js';
import { type PageServer, startPageServer } from './page-server.js';

export const CHROMIUM_PATH = '/usr/bin/chromium';

export interface LaunchOptions extends Omit<ChromeFlagOptions, 'userDataDir'> {
  executablePath?: string;
  /** Forward the page's console to this function (e.g. console.log) for debugging. */
  onConsole?: (line: string) => void;
}

export interface PeerOptions {
  /** Send the fake camera / microphone (or synthetic media). */
  video?: boolean;
  audio?: boolean;
  /**
   * `fake-devices` (getUserMedia), `synthetic` (canvas + WebAudio; needs no media permission) or
   * `sync-markers` (black canvas and silence, with a 100 ms white flash and a 100 ms 1 kHz tone starting
   * together every 1000 ms, for audio/video sync measurements; also needs no permission).
   */
  source?: 'fake-devices' | 'synthetic' | 'sync-markers';
  width?: number;
  height?: number;
  frameRate?: number;
  /** Direction of the sending transceivers (default sendrecv). */
  direction?: 'sendrecv' | 'sendonly';
  /** Add receive-only transceivers of these kinds. */
  recvOnly?: readonly ('audio' | 'video')[];
  /** Put this codec first with setCodecPreferences, e.g. 'video/H264', 'video/VP9', 'video/AV1'. */
  videoCodec?: string;
  audioCodec?: string;
  /** RTCConfiguration; default `{ iceServers: [] }`. */
  config?: Record<string, unknown>;
}

export interface PageStateSnapshot {
  connectionState: string;
  iceConnectionState: string;
  signalingState: string;
  iceGatheringState: string;
  history: string[];
}

export type StatsEntry = Record<string, unknown> & { id: string; type: string };

let nextPeerId = 1;

/** One RTCPeerConnection inside the Chrome page. */
export class ChromePeer {
  constructor(
    readonly page: Page,
    readonly id: string,
  ) {}

  /** Create an offer and wait (up to `gatherMs`) for ICE gathering to complete; returns the SDP. */
  createOffer(gatherMs = 2000): Promise<string> {
    return this.page.evaluate(([id, ms]) => window.rtcwireHarness.createOffer(id, ms), [this.id, gatherMs] as const);
  }

  /** Apply a remote offer, answer it, wait for gathering; returns the answer SDP. */
  answer(offerSdp: string, gatherMs = 2000): Promise<string> {
    return this.page.evaluate(([id, sdp, ms]) => window.rtcwireHarness.answer(id, sdp, ms), [
      this.id,
      offerSdp,
      gatherMs,
    ] as const);
  }

  async setAnswer(sdp: string): Promise<void> {
    await this.page.evaluate(([id, s]) => window.rtcwireHarness.setAnswer(id, s), [this.id, sdp] as const);
  }

  async addIceCandidate(
    candidate: { candidate: string; sdpMid?: string | null; sdpMLineIndex?: number | null } | null,
  ): Promise<void> {
    await this.page.evaluate(([id, c]) => window.rtcwireHarness.addIceCandidate(id, c), [this.id, candidate] as const);
  }

  /** Local candidates gathered so far (null marks end-of-candidates). */
  candidates(): Promise<({ candidate: string; sdpMid: string | null; sdpMLineIndex: number | null } | null)[]> {
    return this.page.evaluate((id) => window.rtcwireHarness.candidates(id), this.id);
  }

  tracks(): Promise<{ kind: string; id: string; mid: string | null }[]> {
    return this.page.evaluate((id) => window.rtcwireHarness.tracks(id), this.id);
  }

  state(): Promise<PageStateSnapshot> {
    return this.page.evaluate((id) => window.rtcwireHarness.state(id), this.id);
  }

  /** `pc.getStats()` as plain objects. */
  stats(): Promise<StatsEntry[]> {
    return this.page.evaluate((id) => window.rtcwireHarness.stats(id), this.id) as Promise<StatsEntry[]>;
  }

  /** Stats entries of one type, e.g. 'inbound-rtp'. */
  async statsOfType(type: string): Promise<StatsEntry[]> {
    return (await this.stats()).filter((s) => s.type === type);
  }

  /** Publish this peer's media to a WHIP endpoint (RFC 9725); returns the session resource URL. */
  /** Stop every sender (replaceTrack(null)): no more media goes out; stats then hold final counts. */
  async stopSending(): Promise<void> {
    await this.page.evaluate((id) => window.rtcwireHarness.stopSending(id), this.id);
  }

  whipPublish(url: string, token?: string): Promise<string> {
    return this.page.evaluate(([id, u, t]) => window.rtcwireHarness.whipPublish(id, u, t), [
      this.id,
      url,
      token,
    ] as const);
  }

  /** Poll until the connection state is `state` (or throw after `timeoutMs`, with the state history). */
  async waitForConnectionState(state: string, timeoutMs = 15_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const s = await this.state();
      if (s.connectionState === state) return;
      if (s.connectionState === 'failed' && state !== 'failed') {
        throw new Error(`Chrome peer failed (history: ${s.history.join(' → ')})`);
      }
      if (Date.now() > deadline) {
        throw new Error(`Chrome peer not ${state} after ${timeoutMs} ms: ${JSON.stringify(s)}`);
      }
      await new Promise((r) => setTimeout(r, 100));
    }
  }

  async close(): Promise<void> {
    await this.page.evaluate((id) => window.rtcwireHarness.close(id), this.id);
  }
}

/** A headless Chromium with one harness page, ready to create peers. */
export class ChromeSession {
  private constructor(
    readonly browser: Browser,
    readonly page: Page,
    private readonly server: PageServer,
    private readonly userDataDir: string,
  ) {}

  static async launch(options: LaunchOptions = {}): Promise<ChromeSession> {
    const executablePath = options.executablePath ?? CHROMIUM_PATH;
    if (!existsSync(executablePath)) {
      throw new Error(
        `Chromium not found at ${executablePath}: run 'npm test' or 'bash scripts/install-system-deps.sh'`,
      );
    }
    const userDataDir = mkdtempSync(join(tmpdir(), 'rtcwire-chrome-'));
    const server = await startPageServer();
    let browser: Browser | undefined;
    try {
      browser = await chromium.launch({
        executablePath,
        ignoreDefaultArgs: true,
        args: chromeFlags({ ...options, userDataDir }),
        timeout: 30_000,
      });
      const page = await browser.newPage();
      if (options.onConsole) {
        const log = options.onConsole;
        page.on('console', (m) => log(`[chrome] ${m.text()}`));
      }
      await page.goto(server.url);
      await page.waitForFunction(() => typeof window.rtcwireHarness === 'object');
      return new ChromeSession(browser, page, server, userDataDir);
    } catch (err) {
      await browser?.close().catch(() => {});
      await server.close();
      rmSync(userDataDir, { recursive: true, force: true });
      throw err;
    }
  }

  /** Create an RTCPeerConnection in the page, with media as asked. */
  async createPeer(options: PeerOptions = {}): Promise<ChromePeer> {
    const id = `pc${nextPeerId++}`;
    await this.page.evaluate(([pid, o]) => window.rtcwireHarness.create(pid, o), [id, options] as const);
    return new ChromePeer(this.page, id);
  }

  async close(): Promise<void> {
    await this.browser.close().catch(() => {});
    await this.server.close();
    rmSync(this.userDataDir, { recursive: true, force: true });
  }
}

// The page-side API, as seen from page.evaluate callbacks.
declare global {
  interface Window {
    rtcwireHarness: {
      create(id: string, opts: PeerOptions): Promise<boolean>;
      createOffer(id: string, waitMs: number): Promise<string>;
      answer(id: string, sdp: string, waitMs: number): Promise<string>;
      setAnswer(id: string, sdp: string): Promise<boolean>;
      addIceCandidate(id: string, c: unknown): Promise<boolean>;
      candidates(id: string): ({ candidate: string; sdpMid: string | null; sdpMLineIndex: number | null } | null)[];
      tracks(id: string): { kind: string; id: string; mid: string | null }[];
      state(id: string): PageStateSnapshot;
      stats(id: string): Promise<Record<string, unknown>[]>;
      stopSending(id: string): Promise<boolean>;
      whipPublish(id: string, url: string, token?: string): Promise<string>;
      close(id: string): boolean;
    };
  }
}
