import { type ChildProcess, spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { RTCConfiguration } from 'rtcwire';

const root = fileURLToPath(new URL('../../../', import.meta.url));
const CHILD = fileURLToPath(new URL('./peer-process-child.ts', import.meta.url));

/**
 * An rtcwire RTCPeerConnection (answering side) in a child process, so that what the test process does —
 * driving Chromium through Playwright, parsing its getStats — never delays the peer's packet handling. This
 * matters for measurements that depend on arrival times: transport-cc feedback reports when each packet
 * arrived, and an event loop blocked for a few hundred ms while Chrome's first bandwidth probes arrive
 * spoils the probe's receive rate (seen in chrome-twcc-bitrate.test.ts).
 */
export class PeerProcess {
  private nextId = 1;
  private readonly pending = new Map<
    number,
    { resolve: (v: Record<string, unknown>) => void; reject: (e: Error) => void }
  >();
  private stderr = '';

  private constructor(private readonly child: ChildProcess) {
    let out = '';
    child.stdout?.on('data', (d: Buffer) => {
      out += d.toString();
      for (let nl = out.indexOf('\n'); nl >= 0; nl = out.indexOf('\n')) {
        const line = out.slice(0, nl).trim();
        out = out.slice(nl + 1);
        if (!line.startsWith('{')) continue;
        const m = JSON.parse(line) as Record<string, unknown> & { id: number; error?: string };
        const p = this.pending.get(m.id);
        this.pending.delete(m.id);
        if (m.error !== undefined) p?.reject(new Error(`peer process: ${m.error}`));
        else p?.resolve(m);
      }
    });
    child.stderr?.on('data', (d: Buffer) => {
      this.stderr += d.toString();
    });
    child.once('exit', (code) => {
      for (const p of this.pending.values()) p.reject(new Error(`peer process exited with ${code}: ${this.stderr}`));
      this.pending.clear();
    });
  }

  /** Spawn the child (TypeScript sources through tsx, like cliSpawnArgs). */
  static start(): PeerProcess {
    const tsx = `${root}node_modules/tsx/dist/loader.mjs`;
    const child = spawn(process.execPath, ['--conditions=rtcwire-source', '--import', tsx, CHILD], {
      cwd: root,
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    return new PeerProcess(child);
  }

  private request(cmd: string, args: Record<string, unknown> = {}): Promise<Record<string, unknown>> {
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      this.child.stdin?.write(`${JSON.stringify({ id, cmd, ...args })}\n`);
    });
  }

  /** Create the peer with `config`, apply Chrome's offer, return our answer (gathering complete). */
  async answer(offer: string, config: RTCConfiguration): Promise<string> {
    return String((await this.request('answer', { offer, config })).sdp);
  }

  async waitConnected(timeoutMs = 15_000): Promise<void> {
    await this.request('connected', { timeoutMs });
  }

  /** The peer's getStats() entries. */
  async stats(): Promise<(Record<string, unknown> & { type: string })[]> {
    return (await this.request('stats')).stats as (Record<string, unknown> & { type: string })[];
  }

  async close(): Promise<void> {
    if (this.child.exitCode !== null) return;
    const exited = new Promise((r) => this.child.once('exit', r));
    await this.request('close').catch(() => undefined);
    const timer = setTimeout(() => this.child.kill('SIGKILL'), 5000);
    await exited;
    clearTimeout(timer);
  }
}
