/** Parses an INFO reply into flat `field -> value` pairs (section headers and blank lines dropped). */
export function parseInfo(text: string): Record<string, string> {
  const fields: Record<string, string> = {};
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) continue;
    const colon = line.indexOf(':');
    if (colon > 0) fields[line.slice(0, colon)] = line.slice(colon + 1);
  }
  return fields;
}

/** `7.0.15` -> 7; 0 when unknown. */
export function majorVersion(fields: Record<string, string>): number {
  const v = /^(\d+)\./.exec(fields.redis_version ?? '');
  return v ? Number(v[1]) : 0;
}
