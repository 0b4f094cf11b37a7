import { CacheLensError } from '../../errors';

/**
 * The synthetic trace spec language:
 *
 *     spec      := kind [':' item (',' item)*]
 *     item      := name '=' value | mixture          (commas inside parentheses do not split)
 *     mixture   := term ('+' term)*                   (only for kind `mix`)
 *     term      := kind ['(' name '=' value (',' name '=' value)* ')'] ['*' weight]
 *
 * e.g. `zipf:alpha=1.0,objects=1000000,requests=10000000,seed=42` or
 * `mix:zipf(alpha=0.9)*0.8+scan*0.2,requests=100000`.
 */
export interface SpecParams {
  kind: string;
  params: Map<string, string>;
}

export interface MixTerm extends SpecParams {
  weight: number;
}

export interface ParsedSpec extends SpecParams {
  /** The components of a `mix`, in order; empty for other kinds. */
  terms: MixTerm[];
}

export function parseTraceSpec(spec: string): ParsedSpec {
  const text = spec.trim();
  const colon = text.indexOf(':');
  const kind = (colon === -1 ? text : text.slice(0, colon)).trim().toLowerCase();
  if (!/^[a-z][a-z0-9-]*$/.test(kind)) throw bad(spec, `"${kind}" is not a trace kind`);
  const params = new Map<string, string>();
  const terms: MixTerm[] = [];
  const body = colon === -1 ? '' : text.slice(colon + 1);
  for (const item of splitTopLevel(body, ',', spec)) {
    if (item === '') continue;
    const eq = topLevelIndex(item, '=');
    if (eq !== -1) {
      params.set(item.slice(0, eq).trim().toLowerCase(), item.slice(eq + 1).trim());
    } else if (kind === 'mix') {
      if (terms.length) throw bad(spec, 'a mix has one mixture expression (join components with "+")');
      for (const t of splitTopLevel(item, '+', spec)) terms.push(parseTerm(t, spec));
    } else {
      throw bad(spec, `"${item}" should look like name=value`);
    }
  }
  if (kind === 'mix' && terms.length === 0) throw bad(spec, 'a mix needs components, e.g. mix:zipf(alpha=0.9)*0.8+scan*0.2');
  return { kind, params, terms };
}

function parseTerm(term: string, spec: string): MixTerm {
  const m = /^\s*([a-z][a-z0-9-]*)\s*(?:\((.*)\))?\s*(?:\*\s*([0-9.eE+-]+))?\s*$/i.exec(term);
  if (!m) throw bad(spec, `cannot read the mixture component "${term.trim()}"`);
  const params = new Map<string, string>();
  for (const item of splitTopLevel(m[2] ?? '', ',', spec)) {
    if (item === '') continue;
    const eq = topLevelIndex(item, '=');
    if (eq === -1) throw bad(spec, `"${item}" should look like name=value`);
    params.set(item.slice(0, eq).trim().toLowerCase(), item.slice(eq + 1).trim());
  }
  const weight = m[3] === undefined ? 1 : Number(m[3]);
  if (!Number.isFinite(weight) || weight <= 0) throw bad(spec, `the weight of "${m[1]}" must be a positive number`);
  return { kind: m[1].toLowerCase(), params, weight };
}

/** Splits on `sep` outside parentheses; items are trimmed. */
export function splitTopLevel(s: string, sep: string, spec = s): string[] {
  const out: string[] = [];
  let depth = 0;
  let from = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s[i];
    if (c === '(') depth++;
    else if (c === ')') { depth--; if (depth < 0) throw bad(spec, 'unbalanced ")"'); }
    else if (c === sep && depth === 0) { out.push(s.slice(from, i).trim()); from = i + 1; }
  }
  if (depth !== 0) throw bad(spec, 'unbalanced "("');
  out.push(s.slice(from).trim());
  return out;
}

function topLevelIndex(s: string, ch: string): number {
  let depth = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s[i];
    if (c === '(') depth++;
    else if (c === ')') depth--;
    else if (c === ch && depth === 0) return i;
  }
  return -1;
}

/** Reads a number parameter, accepting `1e6`, `1_000_000` and `10M`/`10k` shorthands. */
export function numParam(p: Map<string, string>, name: string, fallback: number, check: { min?: number; max?: number; integer?: boolean } = {}): number {
  const raw = p.get(name);
  if (raw === undefined) return fallback;
  const v = parseNumber(raw);
  if (v === undefined) throw new CacheLensError('usage', `trace parameter ${name}="${raw}" is not a number`);
  if (check.integer && !Number.isInteger(v)) throw new CacheLensError('usage', `trace parameter ${name} must be a whole number, got ${raw}`);
  if (check.min !== undefined && v < check.min) throw new CacheLensError('usage', `trace parameter ${name} must be at least ${check.min}, got ${raw}`);
  if (check.max !== undefined && v > check.max) throw new CacheLensError('usage', `trace parameter ${name} must be at most ${check.max}, got ${raw}`);
  return v;
}

export function parseNumber(raw: string): number | undefined {
  const m = /^\s*([0-9]*\.?[0-9]+(?:e[+-]?[0-9]+)?)\s*([kmg]?)\s*$/i.exec(raw.replace(/_/g, ''));
  if (!m) return undefined;
  const mult = { '': 1, k: 1e3, m: 1e6, g: 1e9 }[m[2].toLowerCase() as '' | 'k' | 'm' | 'g'];
  return Number(m[1]) * mult;
}

function bad(spec: string, why: string): CacheLensError {
  return new CacheLensError('usage', `bad trace spec "${spec}": ${why}`);
}
