import { execFileSync } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Coturn, startCoturn } from './harness/coturn.js';

// Checks the harness itself with coturn's own client before our TURN tests rely on it.
describe('coturn harness', () => {
  let turn: Coturn;
  beforeAll(async () => {
    turn = await startCoturn();
  });
  afterAll(async () => {
    await turn?.stop();
  });

  it("answers coturn's own STUN client", () => {
    const out = execFileSync('turnutils_stunclient', ['-p', String(turn.port), '127.0.0.1'], { encoding: 'utf8' });
    expect(out).toMatch(/UDP reflexive addr: 127\.0\.0\.1:\d+/);
  });
});
