#!/usr/bin/env node
// Enforces ARCHITECTURE.md rule 5: packages import only downward, only through a package's public
// entry ("@rtcwire/x", never "@rtcwire/x/src/..."), only packages they declare as dependencies, and
// never another package's files by relative path. Each package states its layer in package.json
// ("rtcwire": { "layer": N }). Test-only devDependencies (werift, node-dtls-client) may never be
// imported from a package's src/.
import { readFileSync, readdirSync, statSync, existsSync } from 'node:fs';
import { join, relative, resolve, dirname } from 'node:path';

const root = resolve(dirname(new URL(import.meta.url).pathname), '..');
const pkgsDir = join(root, 'packages');
const packages = new Map();
for (const dir of readdirSync(pkgsDir)) {
  const file = join(pkgsDir, dir, 'package.json');
  if (!existsSync(file)) continue;
  const pkg = JSON.parse(readFileSync(file, 'utf8'));
  packages.set(pkg.name, { dir: join(pkgsDir, dir), pkg, layer: pkg.rtcwire?.layer });
}

const testOnly = new Set(['werift', 'werift-rtp', 'werift-ice', 'werift-dtls', 'node-dtls-client', 'vitest', 'fast-check']);
const problems = [];

function* tsFiles(dir) {
  if (!existsSync(dir)) return;
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (name === 'node_modules' || name === 'dist') continue;
    if (statSync(p).isDirectory()) yield* tsFiles(p);
    else if (/\.(ts|mts|js|mjs)$/.test(name)) yield p;
  }
}

const importRe = /(?:^|\n)\s*(?:import|export)[^'"`;]*?from\s*['"]([^'"]+)['"]|import\(\s*['"]([^'"]+)['"]\s*\)/g;

for (const [name, { dir, pkg, layer }] of packages) {
  if (typeof layer !== 'number') {
    problems.push(`${name}: package.json lacks "rtcwire": { "layer": N }`);
    continue;
  }
  const declared = new Set([...Object.keys(pkg.dependencies ?? {}), ...Object.keys(pkg.peerDependencies ?? {})]);
  const devDeclared = new Set(Object.keys(pkg.devDependencies ?? {}));
  for (const sub of ['src', 'test']) {
    for (const file of tsFiles(join(dir, sub))) {
      const text = readFileSync(file, 'utf8');
      for (const m of text.matchAll(importRe)) {
        const spec = m[1] ?? m[2];
        const where = relative(root, file);
        if (spec.startsWith('.')) {
          const target = resolve(dirname(file), spec);
          if (!target.startsWith(dir + '/')) problems.push(`${where}: relative import '${spec}' leaves its package`);
          continue;
        }
        if (spec.startsWith('node:')) continue;
        const base = spec.startsWith('@') ? spec.split('/').slice(0, 2).join('/') : spec.split('/')[0];
        if (sub === 'src' && testOnly.has(base)) problems.push(`${where}: imports test-only '${base}' from src`);
        const target = packages.get(base);
        if (!target) continue;
        if (spec !== base) problems.push(`${where}: deep import '${spec}' (use '${base}')`);
        if (base === name) continue;
        if (target.layer >= layer && sub === 'src') {
          problems.push(`${where}: layer ${layer} package imports '${base}' (layer ${target.layer}); only lower layers allowed`);
        }
        if (!declared.has(base) && !(sub === 'test' && devDeclared.has(base))) {
          problems.push(`${where}: imports '${base}' without declaring it in ${sub === 'test' ? 'dependencies or devDependencies' : 'dependencies'}`);
        }
      }
    }
  }
}

if (problems.length > 0) {
  console.error(`check-layers: ${problems.length} problem(s)`);
  for (const p of problems) console.error(`  ${p}`);
  process.exit(1);
}
console.log(`check-layers: ${packages.size} packages, imports respect the layers`);
