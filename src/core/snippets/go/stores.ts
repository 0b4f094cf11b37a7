import type { RenderContext } from '../types';

export type GoCapability = 'add' | 'release' | 'pubsub';

/**
 * One adapter type per client, so each pattern is written once against Get / Set / Del
 * (+ Add, Release, Publish / Subscribe). Get reports a miss with ok == false: an empty value is a hit.
 */
export function renderGoStore(ctx: RenderContext, caps: GoCapability[]): { imports: string[]; code: string } {
  return ctx.client === 'go-redis' ? goRedis(ctx, caps) : gomemcache(ctx, caps);
}

function goRedis(ctx: RenderContext, caps: GoCapability[]): { imports: string[]; code: string } {
  const S = `${ctx.opts.entity}Store`;
  const m: string[] = [`// Get returns ok == false on a miss (go-redis reports it as redis.Nil).
func (s *${S}) Get(ctx context.Context, key string) (value string, ok bool, err error) {
	value, err = s.rdb.Get(ctx, key).Result()
	if errors.Is(err, redis.Nil) {
		return "", false, nil
	}
	if err != nil {
		return "", false, err
	}
	return value, true, nil
}

func (s *${S}) Set(ctx context.Context, key, value string, ttl time.Duration) error {
	return s.rdb.Set(ctx, key, value, ttl).Err()
}

func (s *${S}) Del(ctx context.Context, key string) error {
	return s.rdb.Del(ctx, key).Err()
}`];
  if (caps.includes('add')) m.push(`// Add is SET key value PX ttl NX, one atomic command; true when this caller created the key.
func (s *${S}) Add(ctx context.Context, key, value string, ttl time.Duration) (bool, error) {
	return s.rdb.SetNX(ctx, key, value, ttl).Result()
}`);
  if (caps.includes('release')) m.push(`// Release deletes the key only if it still holds token; false when someone else holds it now.
func (s *${S}) Release(ctx context.Context, key, token string) (bool, error) {
	n, err := releaseLock.Run(ctx, s.rdb, []string{key}, token).Int()
	return n == 1, err
}`);
  if (caps.includes('pubsub')) m.push(`func (s *${S}) Publish(ctx context.Context, channel, message string) error {
	return s.rdb.Publish(ctx, channel, message).Err()
}

// Subscribe listens on its own connection until the returned function is called.
func (s *${S}) Subscribe(ctx context.Context, channel string, onMessage func(string)) (func() error, error) {
	sub := s.rdb.Subscribe(ctx, channel)
	if _, err := sub.Receive(ctx); err != nil {
		_ = sub.Close()
		return nil, err
	}
	go func() {
		for msg := range sub.Channel() {
			onMessage(msg.Payload)
		}
	}()
	return sub.Close, nil
}`);
  const lua = caps.includes('release')
    ? `// releaseLock deletes the lock only while it still holds the caller's token: compare-and-delete in one step.
var releaseLock = redis.NewScript(\`if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('del', KEYS[1]) else return 0 end\`)

`
    : '';
  return {
    imports: ['"errors"', '"github.com/redis/go-redis/v9"'],
    code: `${lua}// ${S} holds the cache operations this file needs, over go-redis v9.
type ${S} struct {
	rdb redis.UniversalClient
}

func New${S}(rdb redis.UniversalClient) *${S} {
	return &${S}{rdb: rdb}
}

${m.join('\n\n')}
`,
  };
}

function gomemcache(ctx: RenderContext, caps: GoCapability[]): { imports: string[]; code: string } {
  const S = `${ctx.opts.entity}Store`;
  const m: string[] = [`// Get returns ok == false on a miss (gomemcache reports it as ErrCacheMiss).
func (s *${S}) Get(_ context.Context, key string) (value string, ok bool, err error) {
	item, err := s.mc.Get(key)
	if errors.Is(err, memcache.ErrCacheMiss) {
		return "", false, nil
	}
	if err != nil {
		return "", false, err
	}
	return string(item.Value), true, nil
}

func (s *${S}) Set(_ context.Context, key, value string, ttl time.Duration) error {
	return s.mc.Set(&memcache.Item{Key: key, Value: []byte(value), Expiration: expiry(ttl)})
}

func (s *${S}) Del(_ context.Context, key string) error {
	err := s.mc.Delete(key)
	if errors.Is(err, memcache.ErrCacheMiss) {
		return nil
	}
	return err
}`];
  if (caps.includes('add')) m.push(`// Add stores only if the key is absent; gomemcache reports an existing key as ErrNotStored.
func (s *${S}) Add(_ context.Context, key, value string, ttl time.Duration) (bool, error) {
	err := s.mc.Add(&memcache.Item{Key: key, Value: []byte(value), Expiration: expiry(ttl)})
	if errors.Is(err, memcache.ErrNotStored) {
		return false, nil
	}
	return err == nil, err
}`);
  if (caps.includes('release')) m.push(`// Release deletes the key only if it still holds token: Get returns the CAS id, and a
// CompareAndSwap with a negative expiration expires the item at once, only if nobody changed it.
func (s *${S}) Release(_ context.Context, key, token string) (bool, error) {
	item, err := s.mc.Get(key)
	if errors.Is(err, memcache.ErrCacheMiss) {
		return false, nil
	}
	if err != nil {
		return false, err
	}
	if string(item.Value) != token {
		return false, nil
	}
	item.Value = nil
	item.Expiration = -1
	err = s.mc.CompareAndSwap(item)
	if errors.Is(err, memcache.ErrCASConflict) || errors.Is(err, memcache.ErrCacheMiss) || errors.Is(err, memcache.ErrNotStored) {
		return false, nil
	}
	return err == nil, err
}`);
  return {
    imports: ['"errors"', '"github.com/bradfitz/gomemcache/memcache"'],
    code: `// expiry converts a TTL to memcached's form: over 30 days it must be an absolute unix time.
func expiry(ttl time.Duration) int32 {
	seconds := int64(ttl / time.Second)
	if seconds < 1 {
		seconds = 1
	}
	if seconds > 2592000 {
		return int32(time.Now().Unix() + seconds)
	}
	return int32(seconds)
}

// ${S} holds the cache operations this file needs, over gomemcache.
type ${S} struct {
	mc *memcache.Client
}

func New${S}(mc *memcache.Client) *${S} {
	return &${S}{mc: mc}
}

${m.join('\n\n')}
`,
  };
}
