import type { RenderContext } from '../types';

/**
 * TypeScript and JavaScript share one template family: `t()` keeps type-only text in TypeScript
 * and drops it in JavaScript, so both outputs come from the same source and cannot drift.
 */
export interface TsContext extends RenderContext {
  typed: boolean;
  t(typeText: string): string;
  /** `export ` in TypeScript; JavaScript exports through module.exports at the end. */
  exp: string;
  E: string;
  storeClass: string;
}

export function tsContext(ctx: RenderContext): TsContext {
  const typed = ctx.lang === 'typescript';
  return {
    ...ctx,
    typed,
    t: (s) => (typed ? s : ''),
    exp: typed ? 'export ' : '',
    E: ctx.opts.entity,
    storeClass: `${ctx.opts.entity}Store`,
  };
}

/** The entity type, its (de)serialization and the TTL jitter, shared by every pattern. */
export function tsBasics(c: TsContext, opts: { codec: boolean }): string {
  const { t, E, exp } = c;
  const json = c.opts.serializer === 'json';
  const lines: string[] = [];
  if (c.typed && opts.codec) {
    lines.push(json
      ? `/** Replace with your own type; it must survive JSON.stringify / JSON.parse. */\nexport type ${E} = Record<string, unknown>;`
      : `/** Values are stored as they are: plain strings. */\nexport type ${E} = string;`);
  }
  lines.push(`${exp}const TTL_SECONDS = ${c.opts.ttl};`);
  lines.push(`${exp}const KEY_PREFIX = '${c.opts.prefix}';`);
  lines.push('');
  if (opts.codec) lines.push(`function encode(value${t(`: ${E}`)})${t(': string')} {\n  return ${json ? 'JSON.stringify(value)' : 'value'};\n}\n`);
  if (opts.codec) lines.push(`function decode(text${t(': string')})${t(`: ${E}`)} {\n  return ${json ? `JSON.parse(text)${t(` as ${E}`)}` : 'text'};\n}`);
  lines.push(`
/** Up to 10% random extra TTL, so entries written together do not all expire together. */
function withJitter(ttlSeconds${t(': number')})${t(': number')} {
  return ttlSeconds + Math.floor(Math.random() * Math.max(1, Math.floor(ttlSeconds / 10)));
}`);
  return lines.join('\n') + '\n';
}

export function tsSleep(c: TsContext): string {
  return `function sleep(ms${c.t(': number')})${c.t(': Promise<void>')} {\n  return new Promise((resolve) => setTimeout(resolve, ms));\n}\n`;
}

/** The loader's signature, as a parameter type. */
export function loaderType(c: TsContext): string {
  return c.t(`: (id: string) => Promise<${c.E} | null>`);
}

/** JavaScript needs an explicit export list; TypeScript exported inline. */
export function tsExports(c: TsContext, names: string[]): string {
  return c.typed ? '' : `\nmodule.exports = { ${names.join(', ')} };\n`;
}
