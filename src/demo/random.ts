/**
 * Deterministic randomness. Every stream is keyed by a string (seed + what it is for), so a value never
 * depends on how many other values were drawn before it — that is what makes participant results identical
 * whatever order or filter they are read with.
 */

// Aliased once: inside jest's vm sandbox every global lookup (Math.*) costs several times more, and these
// run tens of millions of times per large region.
const { imul, sqrt, log, cos, sin, floor, exp, PI } = Math;

/** FNV-1a over the UTF-16 code units, finished with the murmur3 avalanche so nearby keys diverge. */
export function hashString(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = imul(h, 0x01000193);
  }
  h ^= h >>> 16;
  h = imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/** mulberry32: tiny, fast and good enough for simulation (not for cryptography). */
export class Rng {
  private state: number;
  private spareNormal: number | null = null;

  constructor(seed: number) {
    this.state = seed >>> 0;
  }

  /** Uniform in [0, 1). */
  next(): number {
    let t = (this.state = (this.state + 0x6d2b79f5) | 0);
    t = imul(t ^ (t >>> 15), t | 1);
    t ^= t + imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }

  /** Integer in [min, max], both inclusive. */
  int(min: number, max: number): number {
    return min + floor(this.next() * (max - min + 1));
  }

  uniform(min: number, max: number): number {
    return min + this.next() * (max - min);
  }

  chance(probability: number): boolean {
    return this.next() < probability;
  }

  /** Standard normal (Box–Muller, second value kept for the next call). */
  normal(): number {
    if (this.spareNormal !== null) {
      const spare = this.spareNormal;
      this.spareNormal = null;
      return spare;
    }
    let u = this.next();
    while (u <= 1e-12) u = this.next();
    const radius = sqrt(-2 * log(u));
    const angle = 2 * PI * this.next();
    this.spareNormal = radius * sin(angle);
    return radius * cos(angle);
  }

  pick<T>(items: readonly T[]): T {
    return items[floor(this.next() * items.length)];
  }

  /** Fisher–Yates on a copy. */
  shuffle<T>(items: readonly T[]): T[] {
    const copy = items.slice();
    for (let i = copy.length - 1; i > 0; i--) {
      const j = floor(this.next() * (i + 1));
      [copy[i], copy[j]] = [copy[j], copy[i]];
    }
    return copy;
  }
}

/** A stream for one purpose, e.g. rngFor(seed, 'results', schoolId, assessmentKey). */
export function rngFor(seed: number, ...purpose: (string | number)[]): Rng {
  return new Rng(hashString(`${seed}\u0001${purpose.join('\u0001')}`));
}

export function logistic(x: number): number {
  return 1 / (1 + exp(-x));
}

export function clamp(value: number, min: number, max: number): number {
  return value < min ? min : value > max ? max : value;
}

export function round(value: number, digits: number): number {
  const factor = 10 ** digits;
  return Math.round(value * factor) / factor;
}
