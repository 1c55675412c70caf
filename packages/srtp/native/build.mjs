// Install-time build of the optional native fast path (see ../README.md, "Native fast path").
// Never fails the install: when no compiler or headers are available the package falls back to
// node:crypto automatically. Set RTCWIRE_SRTP_NATIVE=0 to skip the build.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const pkgDir = join(dirname(fileURLToPath(import.meta.url)), '..');

function findNodeGyp() {
  const candidates = [
    process.env.npm_config_node_gyp,
    join(dirname(process.execPath), '../lib/node_modules/npm/node_modules/node-gyp/bin/node-gyp.js'),
    join(dirname(process.execPath), 'node_modules/npm/node_modules/node-gyp/bin/node-gyp.js'),
  ];
  return candidates.find((p) => p !== undefined && p !== '' && existsSync(p));
}

if (process.env.RTCWIRE_SRTP_NATIVE === '0') {
  console.log('@rtcwire/srtp: RTCWIRE_SRTP_NATIVE=0, skipping native build (node:crypto fallback).');
  process.exit(0);
}
const nodeGyp = findNodeGyp();
if (nodeGyp === undefined) {
  console.warn('@rtcwire/srtp: node-gyp not found; using the node:crypto fallback.');
  process.exit(0);
}
const args = [nodeGyp, 'rebuild'];
// Prefer the headers installed next to this node binary (works offline); else node-gyp downloads them.
const prefix = join(dirname(process.execPath), '..');
if (existsSync(join(prefix, 'include/node/common.gypi'))) args.push(`--nodedir=${prefix}`);
const r = spawnSync(process.execPath, args, { cwd: pkgDir, stdio: 'inherit' });
if (r.status !== 0) {
  console.warn('@rtcwire/srtp: native build failed; using the node:crypto fallback (slower).');
}
process.exit(0);
