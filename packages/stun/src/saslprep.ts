import { InvalidArgumentError } from '@rtcwire/common';

/**
 * SASLprep (RFC 4013) as STUN (RFC 5389 §15.3/15.4, RFC 5769 §2.4) prepares passwords and realms:
 * map RFC 3454 B.1 characters to nothing, C.1.2 non-ASCII spaces to U+0020, then NFKC; prohibit
 * control characters (C.2). ASCII strings pass through unchanged.
 */
// RFC 3454 B.1: commonly mapped to nothing.
const MAP_TO_NOTHING = new Set([
  0x00ad, 0x034f, 0x1806, 0x180b, 0x180c, 0x180d, 0x200b, 0x200c, 0x200d, 0x2060, 0xfeff,
]);
const isMappedToNothing = (cp: number): boolean => MAP_TO_NOTHING.has(cp) || (cp >= 0xfe00 && cp <= 0xfe0f);
// RFC 3454 C.1.2: non-ASCII space characters.
const NON_ASCII_SPACE = /[\u00a0\u1680\u2000-\u200b\u202f\u205f\u3000]/g;
// RFC 3454 C.2.1/C.2.2 (subset): control characters.
const CONTROL =
  /[\u0000-\u001f\u007f-\u009f\u06dd\u070f\u180e\u200e\u200f\u2028\u2029\u2061-\u2063\u206a-\u206f\ufff9-\ufffc]/;

export function saslPrep(input: string): string {
  // Fast path: printable ASCII is unchanged by every step.
  if (/^[\u0020-\u007e]*$/.test(input)) return input;
  const out = input
    .replace(NON_ASCII_SPACE, ' ')
    .replace(/[^\u0000-\u007f]/gu, (ch) => (isMappedToNothing(ch.codePointAt(0) as number) ? '' : ch))
    .normalize('NFKC');
  if (CONTROL.test(out)) throw new InvalidArgumentError('SASLprep: prohibited control character');
  return out;
}
