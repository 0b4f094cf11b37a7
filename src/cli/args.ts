import { CacheLensError } from '../core/errors';

/**
 * A small, strict argument parser: `--flag`, `--opt value`, `--opt=value`, positionals.
 * Unknown options are usage errors (exit 2), never silently ignored.
 */
export interface OptionSpec {
  /** Option names without dashes; `boolean` ones take no value. */
  boolean?: string[];
  string?: string[];
  /** Options that may repeat or take a comma list, collected in order. */
  multiple?: string[];
}

export interface ParsedArgs {
  flags: Set<string>;
  options: Map<string, string[]>;
  positionals: string[];
}

export function parseArgs(argv: string[], spec: OptionSpec): ParsedArgs {
  const booleans = new Set(spec.boolean ?? []);
  const strings = new Set([...(spec.string ?? []), ...(spec.multiple ?? [])]);
  const flags = new Set<string>();
  const options = new Map<string, string[]>();
  const positionals: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '--') { positionals.push(...argv.slice(i + 1)); break; }
    if (!arg.startsWith('--') || arg === '-') { positionals.push(arg); continue; }
    const eq = arg.indexOf('=');
    const name = arg.slice(2, eq === -1 ? undefined : eq);
    if (booleans.has(name)) {
      if (eq !== -1) throw usage(`--${name} takes no value`);
      flags.add(name);
    } else if (strings.has(name)) {
      let value: string | undefined;
      if (eq !== -1) value = arg.slice(eq + 1);
      else value = argv[++i];
      if (value === undefined) throw usage(`--${name} needs a value`);
      const list = options.get(name) ?? [];
      list.push(value);
      options.set(name, list);
    } else {
      throw usage(`unknown option --${name}`);
    }
  }
  return { flags, options, positionals };
}

/** The last value of an option (later ones win), or undefined. */
export function opt(args: ParsedArgs, name: string): string | undefined {
  const v = args.options.get(name);
  return v?.[v.length - 1];
}

/** All values of a repeatable option, comma lists split. */
export function optList(args: ParsedArgs, name: string): string[] {
  return (args.options.get(name) ?? []).flatMap((v) => v.split(',')).map((s) => s.trim()).filter((s) => s !== '');
}

export function intOpt(args: ParsedArgs, name: string, fallback?: number): number | undefined {
  const v = opt(args, name);
  if (v === undefined) return fallback;
  const n = Number(v);
  if (!Number.isFinite(n) || !Number.isInteger(n)) throw usage(`--${name} must be a whole number, got "${v}"`);
  return n;
}

export function usage(message: string): CacheLensError {
  return new CacheLensError('usage', message);
}
