import { InvalidArgumentError } from '@rtcwire/common';

/**
 * Text ⇄ bytes for IP addresses, without node:net (the codec is sans-IO). IPv6 text is produced
 * in the RFC 5952 canonical form, so decode(encode(a)) is stable.
 */

/** Parse dotted-quad IPv4 text into 4 bytes; undefined when malformed. */
export function parseIPv4(text: string): Uint8Array | undefined {
  const parts = text.split('.');
  if (parts.length !== 4) return undefined;
  const out = new Uint8Array(4);
  for (let i = 0; i < 4; i++) {
    const p = parts[i] as string;
    if (!/^\d{1,3}$/.test(p)) return undefined;
    const v = Number(p);
    if (v > 255) return undefined;
    out[i] = v;
  }
  return out;
}

/** Parse IPv6 text (with `::` and an optional trailing dotted quad) into 16 bytes. */
export function parseIPv6(text: string): Uint8Array | undefined {
  let s = text;
  const zone = s.indexOf('%');
  if (zone >= 0) s = s.slice(0, zone);
  const words: number[] = [];
  const halves = s.split('::');
  if (halves.length > 2) return undefined;
  const parseHalf = (half: string, allowV4: boolean): number[] | undefined => {
    if (half === '') return [];
    const groups = half.split(':');
    const out: number[] = [];
    for (let i = 0; i < groups.length; i++) {
      const g = groups[i] as string;
      if (allowV4 && i === groups.length - 1 && g.includes('.')) {
        const v4 = parseIPv4(g);
        if (!v4) return undefined;
        out.push(((v4[0] as number) << 8) | (v4[1] as number), ((v4[2] as number) << 8) | (v4[3] as number));
      } else {
        if (!/^[0-9a-fA-F]{1,4}$/.test(g)) return undefined;
        out.push(Number.parseInt(g, 16));
      }
    }
    return out;
  };
  if (halves.length === 2) {
    const head = parseHalf(halves[0] as string, false);
    const tail = parseHalf(halves[1] as string, true);
    if (!head || !tail || head.length + tail.length > 7) return undefined;
    words.push(...head, ...new Array<number>(8 - head.length - tail.length).fill(0), ...tail);
  } else {
    const all = parseHalf(s, true);
    if (all?.length !== 8) return undefined;
    words.push(...all);
  }
  const out = new Uint8Array(16);
  for (let i = 0; i < 8; i++) {
    out[i * 2] = (words[i] as number) >> 8;
    out[i * 2 + 1] = (words[i] as number) & 0xff;
  }
  return out;
}

export function formatIPv4(b: Uint8Array): string {
  return `${b[0]}.${b[1]}.${b[2]}.${b[3]}`;
}

/** RFC 5952 §4: lower case, no leading zeros, the longest run (≥ 2) of zero words as `::`. */
export function formatIPv6(b: Uint8Array): string {
  const words: number[] = [];
  for (let i = 0; i < 8; i++) words.push(((b[i * 2] as number) << 8) | (b[i * 2 + 1] as number));
  let bestStart = -1;
  let bestLen = 0;
  for (let i = 0; i < 8; ) {
    if (words[i] !== 0) {
      i++;
      continue;
    }
    let j = i;
    while (j < 8 && words[j] === 0) j++;
    if (j - i > bestLen) {
      bestStart = i;
      bestLen = j - i;
    }
    i = j;
  }
  const hex = (ws: number[]): string => ws.map((w) => w.toString(16)).join(':');
  if (bestLen < 2) return hex(words);
  return `${hex(words.slice(0, bestStart))}::${hex(words.slice(bestStart + bestLen))}`;
}

/** Bytes of an IPv4 or IPv6 address text; throws InvalidArgumentError (local misuse) when malformed. */
export function ipToBytes(address: string): Uint8Array {
  const b = address.includes(':') ? parseIPv6(address) : parseIPv4(address);
  if (!b) throw new InvalidArgumentError(`not an IP address: ${address}`);
  return b;
}
