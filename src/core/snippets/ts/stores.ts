import type { TsContext } from './common';

/** Extra operations a pattern may need beyond get / set / del. */
export type TsCapability = 'add' | 'release' | 'pubsub';

/**
 * One small adapter class per client, so every pattern is written once against
 * get / set / del (+ add, release, publish / subscribe when it needs them).
 * A missing key is `null`; an empty string is a value.
 */
export function renderTsStore(c: TsContext, caps: TsCapability[]): { imports: string; code: string } {
  switch (c.client) {
    case 'ioredis': return ioredisStore(c, caps);
    case 'node-redis': return nodeRedisStore(c, caps);
    case 'memjs': return memjsStore(c, caps);
    default: throw new Error(`no TypeScript store for ${c.client}`);
  }
}

const RELEASE_LUA = `// Deletes the lock only while it still holds the caller's token: a compare-and-delete in one step.
const RELEASE_LOCK = "if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('del', KEYS[1]) else return 0 end";
`;

function field(c: TsContext, name: string, type: string): string {
  return c.t(`  private readonly ${name}: ${type};\n`);
}

function ioredisStore(c: TsContext, caps: TsCapability[]): { imports: string; code: string } {
  const { t, exp } = c;
  const m: string[] = [];
  m.push(`  async get(key${t(': string')})${t(': Promise<string | null>')} {
    return this.redis.get(key);
  }

  async set(key${t(': string')}, value${t(': string')}, ttlSeconds${t(': number')})${t(': Promise<void>')} {
    await this.redis.set(key, value, 'EX', ttlSeconds);
  }

  async del(key${t(': string')})${t(': Promise<void>')} {
    await this.redis.del(key);
  }`);
  if (caps.includes('add')) m.push(`  /** SET key value PX ttl NX: one atomic command; true when this caller created the key. */
  async add(key${t(': string')}, value${t(': string')}, ttlMs${t(': number')})${t(': Promise<boolean>')} {
    return (await this.redis.set(key, value, 'PX', ttlMs, 'NX')) === 'OK';
  }`);
  if (caps.includes('release')) m.push(`  /** Deletes the key only if it still holds \`token\`; false when someone else holds it now. */
  async release(key${t(': string')}, token${t(': string')})${t(': Promise<boolean>')} {
    return (await this.redis.eval(RELEASE_LOCK, 1, key, token)) === 1;
  }`);
  if (caps.includes('pubsub')) m.push(`  async publish(channel${t(': string')}, message${t(': string')})${t(': Promise<void>')} {
    await this.redis.publish(channel, message);
  }

  /** Subscribing needs its own connection; the returned function closes it. */
  async subscribe(channel${t(': string')}, onMessage${t(': (message: string) => void')})${t(': Promise<() => Promise<void>>')} {
    const subscriber = this.redis.duplicate();
    subscriber.on('message', (from${t(': string')}, message${t(': string')}) => {
      if (from === channel) onMessage(message);
    });
    await subscriber.subscribe(channel);
    return async () => {
      await subscriber.quit();
    };
  }`);
  return {
    imports: c.typed ? `import type { Redis } from 'ioredis';\n` : '',
    code: `${caps.includes('release') ? RELEASE_LUA + '\n' : ''}/** The cache operations this file needs, over ioredis. */
${exp}class ${c.storeClass} {
${field(c, 'redis', 'Redis')}
  constructor(redis${t(': Redis')}) {
    this.redis = redis;
  }

${m.join('\n\n')}
}
`,
  };
}

function nodeRedisStore(c: TsContext, caps: TsCapability[]): { imports: string; code: string } {
  const { t, exp } = c;
  const m: string[] = [];
  m.push(`  async get(key${t(': string')})${t(': Promise<string | null>')} {
    return this.client.get(key);
  }

  async set(key${t(': string')}, value${t(': string')}, ttlSeconds${t(': number')})${t(': Promise<void>')} {
    await this.client.set(key, value, { EX: ttlSeconds });
  }

  async del(key${t(': string')})${t(': Promise<void>')} {
    await this.client.del(key);
  }`);
  if (caps.includes('add')) m.push(`  /** SET key value PX ttl NX: one atomic command; true when this caller created the key. */
  async add(key${t(': string')}, value${t(': string')}, ttlMs${t(': number')})${t(': Promise<boolean>')} {
    return (await this.client.set(key, value, { PX: ttlMs, NX: true })) === 'OK';
  }`);
  if (caps.includes('release')) m.push(`  /** Deletes the key only if it still holds \`token\`; false when someone else holds it now. */
  async release(key${t(': string')}, token${t(': string')})${t(': Promise<boolean>')} {
    return (await this.client.eval(RELEASE_LOCK, { keys: [key], arguments: [token] })) === 1;
  }`);
  if (caps.includes('pubsub')) m.push(`  async publish(channel${t(': string')}, message${t(': string')})${t(': Promise<void>')} {
    await this.client.publish(channel, message);
  }

  /** Subscribing needs its own connection; the returned function closes it. */
  async subscribe(channel${t(': string')}, onMessage${t(': (message: string) => void')})${t(': Promise<() => Promise<void>>')} {
    const subscriber = this.client.duplicate();
    await subscriber.connect();
    await subscriber.subscribe(channel, (message${t(': string')}) => onMessage(message));
    return async () => {
      await subscriber.quit();
    };
  }`);
  // node-redis v4's bare RedisClientType does not accept what createClient() returns (its
  // default generics differ), so the store is typed as exactly that return type.
  const alias = c.typed ? `/** The client type createClient() returns; change it if you add modules or scripts. */
${exp}type RedisClient = ReturnType<typeof createClient>;

` : '';
  return {
    imports: c.typed ? `import type { createClient } from 'redis';\n` : '',
    code: `${caps.includes('release') ? RELEASE_LUA + '\n' : ''}${alias}/** The cache operations this file needs, over node-redis (a connected client). */
${exp}class ${c.storeClass} {
${field(c, 'client', 'RedisClient')}
  constructor(client${t(': RedisClient')}) {
    this.client = client;
  }

${m.join('\n\n')}
}
`,
  };
}

function memjsStore(c: TsContext, caps: TsCapability[]): { imports: string; code: string } {
  const { t, exp } = c;
  const m: string[] = [];
  m.push(`  async get(key${t(': string')})${t(': Promise<string | null>')} {
    const { value } = await this.mc.get(key);
    return value === null ? null : value.toString('utf8');
  }

  async set(key${t(': string')}, value${t(': string')}, ttlSeconds${t(': number')})${t(': Promise<void>')} {
    await this.mc.set(key, value, { expires: expiry(ttlSeconds) });
  }

  async del(key${t(': string')})${t(': Promise<void>')} {
    await this.mc.delete(key);
  }`);
  if (caps.includes('add')) m.push(`  /** memcached add: stores only if the key is absent; true when this caller created it. */
  async add(key${t(': string')}, value${t(': string')}, ttlMs${t(': number')})${t(': Promise<boolean>')} {
    return this.mc.add(key, value, { expires: expiry(Math.max(1, Math.ceil(ttlMs / 1000))) });
  }`);
  if (caps.includes('release')) m.push(`  /**
   * Deletes the key only if it still holds \`token\`: read it with its CAS id, then send a binary
   * DELETE carrying that CAS, which the server refuses if anyone changed the key in between.
   * (memjs has no CAS API, so this uses its raw request helpers.)
   */
  async release(key${t(': string')}, token${t(': string')})${t(': Promise<boolean>')} {
    const got = await this.raw(key, Utils.makeRequestBuffer(OP_GET, key, '', '', 0));
    if (got.header.status !== 0 || got.val.toString('utf8') !== token) return false;
    const request = Utils.makeRequestBuffer(OP_DELETE, key, '', '', 0);
    got.header.cas.copy(request, 16);
    const deleted = await this.raw(key, request);
    return deleted.header.status === 0;
  }

  ${t('private ')}raw(key${t(': string')}, request${t(': Buffer')})${t(': Promise<Response>')} {
    this.mc.incrSeq();
    const seq = this.mc.seq;
    request.writeUInt32BE(seq, 12);
    return new Promise((resolve, reject) => {
      this.mc.perform(key, request, seq, (error${t(': Error | null')}, response${t('?: Response')}) => {
        if (error || !response) reject(error ?? new Error('memcached: no response'));
        else resolve(response);
      });
    });
  }`);
  const valueImports = caps.includes('release');
  let imports = '';
  if (c.typed) imports = valueImports ? `import { Utils, type Client, type Response } from 'memjs';\n` : `import type { Client } from 'memjs';\n`;
  else if (valueImports) imports = `const { Utils } = require('memjs');\n`;
  const opcodes = valueImports ? `\n// Binary protocol opcodes used by release().\nconst OP_GET = 0x00;\nconst OP_DELETE = 0x04;\n` : '';
  return {
    imports,
    code: `/** memcached reads a TTL over 30 days as an absolute unix time, so long TTLs are converted. */
function expiry(ttlSeconds${t(': number')})${t(': number')} {
  return ttlSeconds > 2592000 ? Math.floor(Date.now() / 1000) + ttlSeconds : ttlSeconds;
}
${opcodes}
/** The cache operations this file needs, over memjs. */
${exp}class ${c.storeClass} {
${field(c, 'mc', 'Client')}
  constructor(mc${t(': Client')}) {
    this.mc = mc;
  }

${m.join('\n\n')}
}
`,
  };
}
