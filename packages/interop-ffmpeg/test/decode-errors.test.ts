import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { decodeErrors } from '../src/index.js';

const dir = mkdtempSync(join(tmpdir(), 'rtcwire-decode-errors-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('decodeErrors', () => {
  // ffmpeg exits 0 after decode errors: only its stderr tells, so a damaged file must not read as clean.
  it('is empty for a clean VP8 WebM and names the damage in a corrupted copy', () => {
    const clean = join(dir, 'clean.webm');
    execFileSync('ffmpeg', [
      ...['-nostdin', '-v', 'error', '-f', 'lavfi', '-i', 'testsrc=size=320x240:rate=30:duration=2'],
      ...['-c:v', 'libvpx', '-b:v', '400k', '-g', '60', clean],
    ]);
    expect(decodeErrors(clean)).toBe('');
    const bytes = readFileSync(clean);
    // Overwrite a run inside the frame data after the keyframe (past the headers), keeping the file's structure.
    for (let i = Math.floor(bytes.length * 0.3); i < Math.floor(bytes.length * 0.3) + 400; i++) bytes[i] = 0xff;
    const damaged = join(dir, 'damaged.webm');
    writeFileSync(damaged, bytes);
    expect(decodeErrors(damaged)).not.toBe('');
  });

  it('reports a missing file', () => {
    expect(decodeErrors(join(dir, 'none.webm'))).toMatch(/No such file|exited/);
  });
});
