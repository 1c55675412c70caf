import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ChromeSession } from '@rtcwire/interop-chrome';
import { decodeErrors } from '@rtcwire/interop-ffmpeg';
import { afterAll, describe, expect, it } from 'vitest';
import { freePort } from './harness/ports.js';

/** First and last packet time of each stream, from ffprobe (works without a Duration element). */
function streamSpans(file: string): Record<string, { first: number; last: number; packets: number }> {
  const out = execFileSync(
    'ffprobe',
    ['-v', 'error', '-show_entries', 'packet=stream_index,pts_time', '-of', 'csv=p=0', file],
    { encoding: 'utf8' },
  );
  const spans: Record<string, { first: number; last: number; packets: number }> = {};
  for (const line of out.trim().split('\n')) {
    const [index, pts] = line.split(',');
    const t = Number(pts);
    const s = spans[index as string] ?? { first: t, last: t, packets: 0 };
    spans[index as string] = s;
    s.first = Math.min(s.first, t);
    s.last = Math.max(s.last, t);
    s.packets++;
  }
  return spans;
}

// Issue 6 acceptance: the recorder process is killed with SIGKILL 6 s into a 10 s publish; the partial
// file decodes with no error and holds at least 5 s of both streams.
describe('recording survives SIGKILL', () => {
  const dir = mkdtempSync(join(tmpdir(), 'rtcwire-crash-'));
  let recorder: ChildProcess | undefined;
  let chrome: ChromeSession | undefined;
  afterAll(async () => {
    recorder?.kill('SIGKILL');
    await chrome?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('leaves a playable file with ≥5 s of audio and video', async () => {
    const port = await freePort();
    recorder = spawn(
      process.execPath,
      [
        '--conditions=rtcwire-source',
        '--import',
        'tsx',
        'packages/cli/src/main.ts',
        'record',
        '--listen',
        `127.0.0.1:${port}`,
        '--out',
        dir,
        '--json',
      ],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    );
    await new Promise<void>((resolve, reject) => {
      let err = '';
      recorder?.stderr?.on('data', (d: Buffer) => {
        err += d.toString();
        if (err.includes('WHIP endpoint')) resolve();
      });
      recorder?.once('exit', (code) => reject(new Error(`recorder exited ${code}: ${err}`)));
    });
    chrome = await ChromeSession.launch();
    const page = await chrome.createPeer({ video: true, audio: true, direction: 'sendonly' });
    await page.whipPublish(`http://127.0.0.1:${port}/whip`);
    await page.waitForConnectionState('connected');
    await new Promise((r) => setTimeout(r, 6000));
    recorder.kill('SIGKILL');
    await new Promise((r) => recorder?.once('exit', r));

    const files = readdirSync(dir).filter((f) => f.endsWith('.webm'));
    expect(files).toHaveLength(1);
    const file = join(dir, files[0] as string);
    expect(decodeErrors(file)).toBe('');
    const spans = Object.values(streamSpans(file));
    console.log('after SIGKILL at 6 s:', JSON.stringify(spans));
    expect(spans).toHaveLength(2);
    for (const s of spans) expect(s.last).toBeGreaterThanOrEqual(5);
  }, 90_000);
});
