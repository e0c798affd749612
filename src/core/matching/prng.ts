/**
 * mulberry32: a tiny seeded 32-bit generator, enough for reproducible simulations and test cases
 * (not for anything adversarial). Same seed, same sequence, on every platform.
 */
export interface Prng {
  /** Next unsigned 32-bit integer. */
  nextU32(): number;
  /** Uniform in [0, 1). */
  next(): number;
  /** Uniform integer in [lo, hi] (inclusive), for safe-integer bounds. */
  int(lo: number, hi: number): number;
  /** Uniform bigint in [lo, hi] (inclusive), built from as many 32-bit draws as the range needs. */
  bigint(lo: bigint, hi: bigint): bigint;
}

export function mulberry32(seed: number): Prng {
  let state = seed >>> 0;
  const nextU32 = (): number => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return (t ^ (t >>> 14)) >>> 0;
  };
  const next = (): number => nextU32() / 2 ** 32;
  const int = (lo: number, hi: number): number => {
    if (hi < lo) throw new RangeError(`int: empty range [${lo}, ${hi}]`);
    return lo + Math.floor(next() * (hi - lo + 1));
  };
  const bigint = (lo: bigint, hi: bigint): bigint => {
    if (hi < lo) throw new RangeError(`bigint: empty range [${lo}, ${hi}]`);
    const span = hi - lo + 1n;
    let bits = 0n;
    let value = 0n;
    // 64 extra bits make the modulo bias negligible
    while (1n << bits < span << 64n) {
      value = (value << 32n) | BigInt(nextU32());
      bits += 32n;
    }
    return lo + (value % span);
  };
  return { nextU32, next, int, bigint };
}

/** Derives an independent seed for a sub-stream (e.g. one per provider). */
export function deriveSeed(seed: number, stream: number): number {
  return (Math.imul(seed ^ 0x9e3779b9, 0x85ebca6b) ^ Math.imul(stream + 1, 0xc2b2ae35)) >>> 0;
}
