/**
 * Mulberry32: a small seeded generator of uniform numbers in [0, 1), the same sequence on every
 * run and machine. Replays depend on it (bootstrap intervals seeded from an assessment id, the HTTP
 * fuzz seeded from its run's seed), so it lives once, here.
 */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
