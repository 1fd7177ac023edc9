/**
 * Percentiles by linear interpolation between closest ranks (Hyndman and Fan type 7, the default
 * of R, NumPy and Excel's PERCENTILE.INC): for sorted x₁..xₙ and p in [0, 1], h = (n − 1)·p and
 * the percentile is x⌊h⌋ + (h − ⌊h⌋)·(x⌊h⌋+1 − x⌊h⌋) (0-based). Stated here because benchmark
 * figures must be reproducible by hand.
 * @example percentile([1, 2, 3, 4, 5], 0.1) === 1.4
 */
export function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) throw new RangeError('no values to take a percentile of');
  const h = (sorted.length - 1) * p;
  const lower = Math.floor(h);
  const upper = Math.min(lower + 1, sorted.length - 1);
  return sorted[lower] + (h - lower) * (sorted[upper] - sorted[lower]);
}

/**
 * Where a value stands among others, 0..100: the share below it plus half the share equal to it
 * (the mid-rank definition, so a value equal to every other one stands at 50).
 * @example percentileRank([1, 2, 3, 4], 3) === 62.5
 */
export function percentileRank(values: readonly number[], value: number): number {
  if (values.length === 0) throw new RangeError('no values to rank against');
  const below = values.filter((v) => v < value).length;
  const equal = values.filter((v) => v === value).length;
  return (100 * (below + equal / 2)) / values.length;
}

/** 32-bit FNV-1a of a string: a stable seed from an id. */
export function seedOf(text: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return hash >>> 0;
}

/** Re-exported: the bootstrap's generator is the platform's one seeded generator. */
export { seededRandom } from '@maatlat/shared/domain';
