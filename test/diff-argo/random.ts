/**
 * Seeded random values for the differential run against the Go controller functions: the same
 * seed gives the same cases on every machine. Values are biased towards the edges the controller
 * math is sensitive to (0, 1, the int32 limit, "0%", "100%", odd strings).
 */

export const INT32_MAX = 2 ** 31 - 1;

/** A mulberry32 generator with pick helpers. */
export class Random {
  private state: number;

  constructor(seed: number) {
    this.state = seed >>> 0;
  }

  /** Uniform in [0, 1). */
  next(): number {
    this.state = (this.state + 0x6d2b79f5) >>> 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }

  /** Integer in [min, max]. */
  int(min: number, max: number): number {
    return min + Math.floor(this.next() * (max - min + 1));
  }

  chance(p: number): boolean {
    return this.next() < p;
  }

  pick<T>(values: readonly T[]): T {
    return values[Math.floor(this.next() * values.length)];
  }

  /** `value()` with probability p, else undefined. */
  maybe<T>(p: number, value: () => T): T | undefined {
    return this.chance(p) ? value() : undefined;
  }

  list<T>(min: number, max: number, item: (i: number) => T): T[] {
    const n = this.int(min, max);
    return Array.from({ length: n }, (_, i) => item(i));
  }

  /** A replica count: mostly small, sometimes 0, 1 or beyond what Go's int32 math survives. */
  replicas(): number {
    const r = this.next();
    if (r < 0.15) return this.pick([0, 1]);
    if (r < 0.85) return this.int(2, 20);
    if (r < 0.95) return this.int(21, 10_000);
    return this.pick([1_000_000, 50_000_000, INT32_MAX]);
  }

  /** A weight in [0, max], edges included. */
  weight(max: number): number {
    const r = this.next();
    if (r < 0.25) return this.pick([0, max, 1, Math.max(0, max - 1)]);
    return this.int(0, max);
  }

  /** A maxSurge / maxUnavailable value: an int, a percent string or an odd string. */
  intOrPercent(): number | string {
    const r = this.next();
    if (r < 0.3) return this.int(0, 5);
    if (r < 0.55) return this.pick(['0%', '100%', '25%', '50%', '10%', '1%', '99%']);
    if (r < 0.7) return `${this.int(0, 100)}%`;
    if (r < 0.8) return this.pick(['25', '0', '100']);
    if (r < 0.9) return this.int(6, 30);
    return this.pick(['abc', '%', '-5%', '2.5%', '150%', ' 5%', '5%%', '']);
  }
}
