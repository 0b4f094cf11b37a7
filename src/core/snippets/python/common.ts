import { snake } from '../options';
import type { RenderContext } from '../types';
import type { PyCapability } from './stores';

/** One pattern in the Python family. */
export interface PyPattern {
  caps: PyCapability[];
  /** Standard-library imports the body needs, e.g. "import threading". */
  imports: string[];
  /** The pattern keeps its own envelope and never uses the entity codec. */
  noCodec?: boolean;
  body(p: PyContext): string;
}

export interface PyContext extends RenderContext {
  E: string;
  /** The loader and writer names in snake_case. */
  L: string;
  W: string;
}

export function pyContext(ctx: RenderContext): PyContext {
  return { ...ctx, E: ctx.opts.entity, L: snake(ctx.opts.loader), W: snake(ctx.opts.writer) };
}

/** The entity type, its (de)serialization and the TTL jitter, shared by every pattern. */
export function pyBasics(p: PyContext, codec: boolean): string {
  const json = p.opts.serializer === 'json';
  const lines: string[] = [];
  if (codec) lines.push(json ? `# Replace with your own type; it must survive json.dumps / json.loads.\n${p.E} = Dict[str, Any]` : `# Values are stored as they are: plain strings.\n${p.E} = str`);
  lines.push(`TTL_SECONDS = ${p.opts.ttl}`);
  lines.push(`KEY_PREFIX = "${p.opts.prefix}"`);
  if (codec) {
    lines.push(`\n\ndef _encode(value: ${p.E}) -> str:\n    return ${json ? 'json.dumps(value, separators=(",", ":"))' : 'value'}\n\n\ndef _decode(text: str) -> ${p.E}:\n    return ${json ? 'json.loads(text)' : 'text'}`);
  }
  lines.push(`

def _with_jitter(ttl_seconds: int) -> int:
    """Up to 10% random extra TTL, so entries written together do not all expire together."""
    return ttl_seconds + random.randrange(max(1, ttl_seconds // 10))`);
  return lines.join('\n') + '\n';
}
