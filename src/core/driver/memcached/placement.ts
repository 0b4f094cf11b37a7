/**
 * Where a new key is written in a pool. We follow memjs (`hashCode(key) % servers`), the client
 * CacheLens itself uses for SASL, so keys written from the editor land where memjs apps look.
 * Keys that already exist are always written back to the server that holds them.
 */
export function memjsHashCode(text: string): number {
  let h = 0;
  for (let i = 0; i < text.length; i++) h = (31 * h + text.charCodeAt(i)) << 0;
  return Math.abs(h);
}

export function memjsServerIndex(key: Buffer, servers: number): number {
  return servers <= 1 ? 0 : memjsHashCode(key.toString('utf8')) % servers;
}
