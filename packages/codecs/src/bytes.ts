/** Split `length` bytes into the fewest chunks of at most `max`, sized as evenly as possible. */
export function evenChunkSizes(length: number, max: number): number[] {
  const count = Math.max(1, Math.ceil(length / max));
  const base = Math.floor(length / count);
  const extra = length % count;
  const sizes: number[] = [];
  for (let i = 0; i < count; i++) sizes.push(base + (i < extra ? 1 : 0));
  return sizes;
}
