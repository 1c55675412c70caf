import { execFile } from 'node:child_process';
import { existsSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

// The examples/ programs, run the way their README says (tsx), for a few seconds each. Each exits
// non-zero when no media got through.
const run = promisify(execFile);
const root = join(import.meta.dirname, '..', '..');

async function example(name: string, ...args: string[]): Promise<string> {
  const { stdout } = await run(process.execPath, ['--import', 'tsx', `examples/${name}/src/main.ts`, ...args], {
    cwd: root,
    timeout: 90_000,
  });
  return stdout;
}

describe('examples', () => {
  it('send-to-chrome: Chrome decodes what rtcwire sends', async () => {
    const out = await example('send-to-chrome', '--seconds', '2');
    console.log(out);
    expect(out).toMatch(/rtcwire: connected/);
    const decoded = [...out.matchAll(/Chrome decoded (\d+) VP8 frames/g)].map((m) => Number(m[1]));
    expect(decoded.at(-1)).toBeGreaterThan(0);
  }, 120_000);

  it('receive-from-chrome: rtcwire writes Chrome’s camera to an IVF file', async () => {
    const file = join(tmpdir(), `rtcwire-example-${process.pid}.ivf`);
    try {
      const out = await example('receive-from-chrome', '--seconds', '2', '--out', file);
      console.log(out);
      const written = Number(/wrote (\d+) frames/.exec(out)?.[1] ?? 0);
      expect(written).toBeGreaterThan(0);
      expect(out).toMatch(/, 0 incomplete/);
      expect(existsSync(file)).toBe(true);
    } finally {
      rmSync(file, { force: true });
    }
  }, 120_000);
});
