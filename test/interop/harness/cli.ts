import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../../../', import.meta.url));

/**
 * How to spawn the `rtcwire` CLI as a real process: the compiled bin when `npm test` has just built it
 * (RTCWIRE_TEST_USE_DIST=1, set by scripts/test.sh after `tsc -b`: starts in ~100 ms), else the
 * TypeScript sources through tsx (always current, but seconds per start on a loaded machine).
 */
export function cliSpawnArgs(args: readonly string[]): { command: string; argv: string[]; cwd: string } {
  if (process.env.RTCWIRE_TEST_USE_DIST === '1') {
    return { command: process.execPath, argv: [`${root}packages/cli/bin/rtcwire.js`, ...args], cwd: root };
  }
  const tsx = `${root}node_modules/tsx/dist/loader.mjs`;
  return { command: process.execPath, argv: ['--conditions=rtcwire-source', '--import', tsx, `${root}packages/cli/src/main.ts`, ...args], cwd: root };
}
