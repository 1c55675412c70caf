/** The unwrapped value of 16-bit sequence number `wire` closest to the unwrapped `reference`. */
export function nearestUnwrapped(wire: number, reference: number): number {
  const base = reference - (reference & 0xffff) + (wire & 0xffff);
  if (base - reference > 0x8000) return base - 0x10000;
  if (reference - base > 0x8000) return base + 0x10000;
  return base;
}
