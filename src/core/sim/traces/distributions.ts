import { CacheLensError } from '../../errors';
import { parseNumber } from './spec';

/**
 * Per-object attributes (size, TTL) of synthetic traces. They are a pure function of
 * (seed, id) through a hash, so an object keeps its size and TTL on every request and no
 * per-object table is needed.
 */
export type ObjectValue = (id: number) => number;

/** A well-mixed 32-bit hash of (seed, id, salt) as a float in [0, 1). */
export function objectUniform(seed: number, id: number, salt: number): number {
  let h = Math.imul(id ^ Math.imul(seed, 0x9e3779b1), 0x85ebca6b) ^ Math.imul(salt + 1, 0xc2b2ae35);
  h ^= h >>> 16;
  h = Math.imul(h, 0x7feb352d);
  h ^= h >>> 15;
  h = Math.imul(h, 0x846ca68b);
  h ^= h >>> 16;
  return (h >>> 0) / 4294967296;
}

/**
 * Parses `100`, `uniform(64,4096)` or `lognormal(mu,sigma)` (of ln bytes) into a per-object
 * function. `what` names the parameter in errors.
 */
export function parseDistribution(what: string, raw: string, seed: number, salt: number): ObjectValue {
  const fixed = parseNumber(raw);
  if (fixed !== undefined) {
    if (fixed < 0) throw new CacheLensError('usage', `${what} must not be negative`);
    return () => fixed;
  }
  const m = /^\s*(uniform|lognormal)\s*\(\s*([^,]+)\s*,\s*([^)]+)\)\s*$/i.exec(raw);
  const a = m ? parseNumber(m[2]) : undefined;
  const b = m ? parseNumber(m[3]) : undefined;
  if (!m || a === undefined || b === undefined) {
    throw new CacheLensError('usage', `${what}="${raw}": expected a number, uniform(min,max) or lognormal(mu,sigma)`);
  }
  if (m[1].toLowerCase() === 'uniform') {
    if (b < a) throw new CacheLensError('usage', `${what}=uniform(min,max) needs min <= max`);
    return (id) => Math.floor(a + objectUniform(seed, id, salt) * (b - a + 1));
  }
  // Box-Muller from two independent hashes of the id.
  return (id) => {
    const u1 = objectUniform(seed, id, salt) || 1e-12;
    const u2 = objectUniform(seed, id, salt + 7);
    const z = Math.sqrt(-2 * Math.log(u1)) * Math.cos(2 * Math.PI * u2);
    return Math.max(1, Math.round(Math.exp(a + b * z)));
  };
}
