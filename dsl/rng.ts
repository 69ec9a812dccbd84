// A small seeded PRNG (splitmix64 on bigint state, 32-bit outputs) for reproducible stimulus. Not used by step:
// stimulus generation is host-side code, so it may use any JavaScript.
export class Rng {
  private s: bigint;
  constructor(seed: number | bigint) {
    this.s = BigInt.asUintN(64, BigInt(seed) ^ 0x9e3779b97f4a7c15n);
  }
  /** Uniform 32-bit unsigned integer. */
  u32(): number {
    this.s = BigInt.asUintN(64, this.s + 0x9e3779b97f4a7c15n);
    let z = this.s;
    z = BigInt.asUintN(64, (z ^ (z >> 30n)) * 0xbf58476d1ce4e5b9n);
    z = BigInt.asUintN(64, (z ^ (z >> 27n)) * 0x94d049bb133111ebn);
    return Number((z ^ (z >> 31n)) & 0xffffffffn);
  }
  /** Uniform integer in [0, n), n <= 2^32. */
  below(n: number): number {
    return Math.floor((this.u32() / 2 ** 32) * n);
  }
  /** true with probability p. */
  chance(p: number): boolean {
    return this.u32() / 2 ** 32 < p;
  }
  /** Uniform bigint of `bits` bits. */
  bits(bits: number): bigint {
    let v = 0n;
    for (let b = 0; b < bits; b += 32) v = (v << 32n) | BigInt(this.u32());
    return BigInt.asUintN(bits, v);
  }
}
