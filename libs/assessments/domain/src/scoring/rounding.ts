/**
 * Reported numbers are rounded to two decimals, half away from zero, on the decimal value:
 * 2.675 becomes 2.68 (binary floating point alone would give 2.67). Intermediate results keep full
 * precision; only what is reported is rounded.
 * @example round2(2.675) === 2.68; round2(1 / 3) === 0.33; round2(-1.005) === -1.01
 */
export function round2(value: number): number {
  if (!Number.isFinite(value)) throw new RangeError(`cannot round ${value}`);
  const sign = value < 0 ? -1 : 1;
  // Shifting through the decimal string form avoids 1.005 * 100 === 100.49999999999999.
  const shifted = Number(`${Math.abs(value)}e2`);
  return sign * Number(`${Math.round(shifted)}e-2`) || 0;
}
