/**
 * H.264 profile-level-id (RFC 6184 §8.1): profile_idc, profile-iop (constraint flags) and level_idc.
 * Two offers are compatible when they name the same *profile*; levels may differ (an answerer may
 * answer with its own level when level-asymmetry-allowed=1, RFC 6184 §8.2.2).
 */
export type H264Profile = 'constrained-baseline' | 'baseline' | 'main' | 'high' | 'constrained-high';

// Patterns of (profile_idc, profile-iop) per profile, as used by browsers: 'x' = any bit.
// Derived from H.264 Annex A constraint semantics: constraint_set1 on Baseline means Constrained Baseline, etc.
const PATTERNS: readonly [number, string, H264Profile][] = [
  [0x42, 'x1xx0000', 'constrained-baseline'],
  [0x4d, '1xxx0000', 'constrained-baseline'],
  [0x58, '11xx0000', 'constrained-baseline'],
  [0x42, 'x0xx0000', 'baseline'],
  [0x58, '10xx0000', 'baseline'],
  [0x4d, '0x0x0000', 'main'],
  [0x64, '00000000', 'high'],
  [0x64, '00001100', 'constrained-high'],
];

export interface H264ProfileLevel {
  profile: H264Profile;
  level: number;
}

/** Parse a profile-level-id hex string; undefined when malformed or of an unknown profile. Default 42000a. */
export function parseProfileLevelId(text: string | undefined): H264ProfileLevel | undefined {
  const hex = text ?? '42000a';
  if (!/^[0-9a-fA-F]{6}$/.test(hex)) return undefined;
  const idc = Number.parseInt(hex.slice(0, 2), 16);
  const iop = Number.parseInt(hex.slice(2, 4), 16);
  const level = Number.parseInt(hex.slice(4, 6), 16);
  const bits = iop.toString(2).padStart(8, '0');
  for (const [pIdc, pattern, profile] of PATTERNS) {
    if (pIdc !== idc) continue;
    if ([...pattern].every((c, i) => c === 'x' || c === bits[i])) return { profile, level };
  }
  return undefined;
}
