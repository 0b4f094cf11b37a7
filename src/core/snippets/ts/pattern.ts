import type { TsContext } from './common';
import type { TsCapability } from './stores';

/** One pattern in the TypeScript/JavaScript family. */
export interface TsPattern {
  caps: TsCapability[];
  /** Node built-in imports, e.g. { crypto: ['randomUUID'] }. */
  nodeImports?: Record<string, string[]>;
  needsSleep?: boolean;
  /** The pattern never decodes (memoize stores its own envelope). */
  noDecode?: boolean;
  body(c: TsContext): string;
  exports(c: TsContext): string[];
}
