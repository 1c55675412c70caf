// After `tsc -b`: make the CLI entry executable so `npx rtcwire` works straight after `npm ci`.
import { chmodSync, existsSync } from 'node:fs';

const bin = new URL('../packages/cli/dist/main.js', import.meta.url);
if (existsSync(bin)) chmodSync(bin, 0o755);
