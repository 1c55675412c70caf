import type { IceConnectionState } from './types.js';

const ORDER: readonly IceConnectionState[] = ['new', 'checking', 'connected', 'completed'];

/**
 * The state events to emit for a change `from` → `to`: the W3C order new → checking → connected →
 * completed is never skipped (e.g. new → connected emits checking first); other changes are direct.
 */
export function stateSteps(from: IceConnectionState, to: IceConnectionState): IceConnectionState[] {
  if (from === to) return [];
  const a = ORDER.indexOf(from);
  const b = ORDER.indexOf(to);
  if (a < 0 || b <= a + 1) return [to];
  return ORDER.slice(a + 1, b + 1);
}
