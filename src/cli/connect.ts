import { openDriver } from '../core/driver/index';
import type { CacheDriver } from '../core/driver/types';
import { CacheLensError } from '../core/errors';
import { opt, type ParsedArgs } from './args';
import type { CliIO } from './io';

/** The connection URL of a command: `--url`, else $CACHELENS_URL, else a usage error. */
export function resolveUrl(args: ParsedArgs, io: CliIO): string {
  const url = opt(args, 'url') ?? io.env.CACHELENS_URL;
  if (!url) throw new CacheLensError('usage', 'no connection: pass --url URL or set CACHELENS_URL');
  return url;
}

/** Opens the command's connection, runs `fn`, and always closes the connection. */
export async function withDriver<T>(args: ParsedArgs, io: CliIO, fn: (driver: CacheDriver) => Promise<T>): Promise<T> {
  const driver = await openDriver(resolveUrl(args, io));
  try {
    return await fn(driver);
  } finally {
    await driver.close().catch(() => undefined);
  }
}
