/**
 * Runs benchmark files, each in its own Node process (so JIT state and GC of one cannot skew
 * another): every bench/*.bench.ts by default, or the names given (`srtp`, `srtp.bench.ts`, …).
 * Each file prints JSON lines on stdout. Usage: npm run bench [-- name ...]
 */
import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const dir = dirname(fileURLToPath(import.meta.url));
const all = readdirSync(dir)
  .filter((f) => f.endsWith('.bench.ts'))
  .sort();
const wanted = process.argv.slice(2);
const files =
  wanted.length === 0
    ? all
    : wanted.map((w) => {
        const f = w.endsWith('.bench.ts') ? w : `${w.replace(/\.ts$/, '')}.bench.ts`;
        if (!all.includes(f)) {
          console.error(`unknown bench ${w}; available: ${all.join(', ')}`);
          process.exit(2);
        }
        return f;
      });

let failed = 0;
for (const f of files) {
  console.error(`# ${f}`);
  const r = spawnSync(process.execPath, ['--import', 'tsx', '--conditions', 'rtcwire-source', join(dir, f)], {
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  if (r.status !== 0) {
    console.error(`# ${f} exited with ${r.status ?? r.signal}`);
    failed++;
  }
}
process.exit(failed === 0 ? 0 : 1);
