import type { Pattern, RenderContext } from '../types';
import type { GoCapability } from './stores';

/** Every pattern for Go, written once against the adapter in stores.ts. */
export interface GoPattern {
  caps: GoCapability[];
  body(g: GoContext): string;
}

export interface GoContext extends RenderContext {
  E: string;
  S: string;
  /** The loader and writer as unexported Go field names. */
  L: string;
  W: string;
}

const getOrLoad = (g: GoContext, recv: string) => `	if cached, ok, err := ${recv}.store.Get(ctx, KeyPrefix+id); err != nil {
		return zero${g.E}, false, err
	} else if ok {
		// Only a missing key is a miss: an empty value is a cached value.
		v, err := decode(cached)
		return v, err == nil, err
	}
	loaded, found, err := ${recv}.${g.L}(ctx, id)
	if err != nil || !found {
		return loaded, found, err
	}
	return loaded, true, ${recv}.fill(ctx, id, loaded)`;

const fill = (g: GoContext, type: string) => `func (c *${type}) fill(ctx context.Context, id string, value ${g.E}) error {
	text, err := encode(value)
	if err != nil {
		return err
	}
	return c.store.Set(ctx, KeyPrefix+id, text, withJitter(c.ttl))
}`;

export const GO_PATTERNS: Record<Pattern, GoPattern> = {
  'cache-aside': {
    caps: [],
    body: (g) => `type ${g.E}CacheAside struct {
	store *${g.S}
	${g.L} ${g.E}Loader
	${g.W} ${g.E}Writer
	ttl time.Duration
}

func New${g.E}CacheAside(store *${g.S}, ${g.L} ${g.E}Loader, ${g.W} ${g.E}Writer) *${g.E}CacheAside {
	return &${g.E}CacheAside{store: store, ${g.L}: ${g.L}, ${g.W}: ${g.W}, ttl: TTL}
}

func (c *${g.E}CacheAside) Get(ctx context.Context, id string) (${g.E}, bool, error) {
${getOrLoad(g, 'c')}
}

// Update writes the source of truth first, then drops the cached copy so the next read reloads.
func (c *${g.E}CacheAside) Update(ctx context.Context, id string, value ${g.E}) error {
	if err := c.${g.W}(ctx, id, value); err != nil {
		return err
	}
	return c.store.Del(ctx, KeyPrefix+id)
}

${fill(g, `${g.E}CacheAside`)}
`,
  },
  'read-through': {
    caps: [],
    body: (g) => `type call struct {
	done  chan struct{}
	value ${g.E}
	found bool
	err   error
}

// ${g.E}ReadThrough is the only read path: it loads on a miss, and concurrent misses share one load.
type ${g.E}ReadThrough struct {
	store    *${g.S}
	${g.L} ${g.E}Loader
	ttl      time.Duration
	mu       sync.Mutex
	inFlight map[string]*call
}

func New${g.E}ReadThrough(store *${g.S}, ${g.L} ${g.E}Loader) *${g.E}ReadThrough {
	return &${g.E}ReadThrough{store: store, ${g.L}: ${g.L}, ttl: TTL, inFlight: map[string]*call{}}
}

func (c *${g.E}ReadThrough) Get(ctx context.Context, id string) (${g.E}, bool, error) {
	if cached, ok, err := c.store.Get(ctx, KeyPrefix+id); err != nil {
		return zero${g.E}, false, err
	} else if ok {
		v, err := decode(cached)
		return v, err == nil, err
	}
	c.mu.Lock()
	if pending, ok := c.inFlight[id]; ok {
		c.mu.Unlock()
		<-pending.done
		return pending.value, pending.found, pending.err
	}
	pending := &call{done: make(chan struct{})}
	c.inFlight[id] = pending
	c.mu.Unlock()

	pending.value, pending.found, pending.err = c.${g.L}(ctx, id)
	if pending.err == nil && pending.found {
		pending.err = c.fill(ctx, id, pending.value)
	}
	c.mu.Lock()
	delete(c.inFlight, id)
	c.mu.Unlock()
	close(pending.done)
	return pending.value, pending.found, pending.err
}

// Invalidate is called by writers after they changed the source of truth.
func (c *${g.E}ReadThrough) Invalidate(ctx context.Context, id string) error {
	return c.store.Del(ctx, KeyPrefix+id)
}

${fill(g, `${g.E}ReadThrough`)}
`,
  },
  'write-through': {
    caps: [],
    body: (g) => `type ${g.E}WriteThrough struct {
	store *${g.S}
	${g.L} ${g.E}Loader
	${g.W} ${g.E}Writer
	ttl time.Duration
}

func New${g.E}WriteThrough(store *${g.S}, ${g.L} ${g.E}Loader, ${g.W} ${g.E}Writer) *${g.E}WriteThrough {
	return &${g.E}WriteThrough{store: store, ${g.L}: ${g.L}, ${g.W}: ${g.W}, ttl: TTL}
}

func (c *${g.E}WriteThrough) Get(ctx context.Context, id string) (${g.E}, bool, error) {
${getOrLoad(g, 'c')}
}

// Save commits to the database first: if that fails the cache is untouched and still agrees.
// Only then the cache is written; if that fails, the entry is deleted so the next read reloads.
func (c *${g.E}WriteThrough) Save(ctx context.Context, id string, value ${g.E}) error {
	if err := c.${g.W}(ctx, id, value); err != nil {
		return err
	}
	if err := c.fill(ctx, id, value); err != nil {
		if delErr := c.store.Del(ctx, KeyPrefix+id); delErr != nil {
			return fmt.Errorf("cache write failed (%v) and so did the delete; the TTL bounds staleness: %w", err, delErr)
		}
		return err
	}
	return nil
}

${fill(g, `${g.E}WriteThrough`)}
`,
  },
  'write-behind': {
    caps: [],
    body: (g) => `// Entry is one queued write.
type Entry struct {
	ID    string
	Value ${g.E}
}

// BatchWriter writes a batch to the source of truth, all or nothing.
type BatchWriter func(ctx context.Context, batch []Entry) error

// ErrQueueFull is returned by Save when the queue stayed full for EnqueueTimeout.
var ErrQueueFull = errors.New("write-behind: queue full")

type WriteBehindOptions struct {
	MaxQueue       int           // distinct pending ids before Save waits (back-pressure)
	BatchSize      int           // entries per BatchWriter call
	FlushInterval  time.Duration // how often the background flusher runs
	MaxRetries     int           // retries of one batch before it is re-queued and OnError is called
	BaseBackoff    time.Duration
	EnqueueTimeout time.Duration
	OnError        func(err error, ids []string)
}

// ${g.E}WriteBehind acknowledges writes once queued and cached; a goroutine flushes batches.
// Call Close on shutdown: it flushes every acknowledged write.
type ${g.E}WriteBehind struct {
	store    *${g.S}
	${g.L} ${g.E}Loader
	write    BatchWriter
	opts     WriteBehindOptions
	ttl      time.Duration
	mu       sync.Mutex
	queue    map[string]${g.E} // a second write to a queued id replaces its value (coalescing)
	order    []string          // queue order of the ids in queue
	inFlight map[string]${g.E} // taken by the running flush, readable until persisted
	flushMu  sync.Mutex
	closed   bool
	stop     chan struct{}
	stopped  chan struct{}
}

func New${g.E}WriteBehind(store *${g.S}, ${g.L} ${g.E}Loader, write BatchWriter, opts WriteBehindOptions) *${g.E}WriteBehind {
	if opts.MaxQueue <= 0 {
		opts.MaxQueue = 10000
	}
	if opts.BatchSize <= 0 {
		opts.BatchSize = 100
	}
	if opts.FlushInterval <= 0 {
		opts.FlushInterval = time.Second
	}
	if opts.BaseBackoff <= 0 {
		opts.BaseBackoff = 100 * time.Millisecond
	}
	if opts.EnqueueTimeout <= 0 {
		opts.EnqueueTimeout = 5 * time.Second
	}
	if opts.OnError == nil {
		opts.OnError = func(err error, ids []string) {
			log.Printf("write-behind: batch of %d still failing, kept queued: %v", len(ids), err)
		}
	}
	w := &${g.E}WriteBehind{store: store, ${g.L}: ${g.L}, write: write, opts: opts, ttl: TTL,
		queue: map[string]${g.E}{}, inFlight: map[string]${g.E}{}, stop: make(chan struct{}), stopped: make(chan struct{})}
	go w.run()
	return w
}

// Pending is the number of distinct ids acknowledged but not yet in the database.
func (w *${g.E}WriteBehind) Pending() int {
	w.mu.Lock()
	defer w.mu.Unlock()
	return len(w.queue) + len(w.inFlight)
}

func (w *${g.E}WriteBehind) Get(ctx context.Context, id string) (${g.E}, bool, error) {
	w.mu.Lock()
	if v, ok := w.queue[id]; ok {
		w.mu.Unlock()
		return v, true, nil
	}
	if v, ok := w.inFlight[id]; ok {
		w.mu.Unlock()
		return v, true, nil
	}
	w.mu.Unlock()
	c := w
${getOrLoad(g, 'c')}
}

// Save waits while the queue is full and returns ErrQueueFull after EnqueueTimeout.
func (w *${g.E}WriteBehind) Save(ctx context.Context, id string, value ${g.E}) error {
	deadline := time.Now().Add(w.opts.EnqueueTimeout)
	for {
		w.mu.Lock()
		if w.closed {
			w.mu.Unlock()
			return errors.New("write-behind: closed, write refused")
		}
		if _, queued := w.queue[id]; queued || len(w.queue) < w.opts.MaxQueue {
			if !queued {
				w.order = append(w.order, id)
			}
			w.queue[id] = value
			w.mu.Unlock()
			break
		}
		w.mu.Unlock()
		if time.Now().After(deadline) {
			return ErrQueueFull
		}
		time.Sleep(10 * time.Millisecond)
	}
	if err := w.fill(ctx, id, value); err != nil {
		// The write stays queued and reads see it; a stale shared copy must not outlive it.
		_ = w.store.Del(ctx, KeyPrefix+id)
		return err
	}
	return nil
}

// Flush writes everything queued so far; it returns the error of a batch that still failed.
func (w *${g.E}WriteBehind) Flush(ctx context.Context) error {
	w.flushMu.Lock()
	defer w.flushMu.Unlock()
	for {
		w.mu.Lock()
		n := len(w.order)
		if n == 0 {
			w.mu.Unlock()
			return nil
		}
		if n > w.opts.BatchSize {
			n = w.opts.BatchSize
		}
		batch := make([]Entry, 0, n)
		for _, id := range w.order[:n] {
			batch = append(batch, Entry{ID: id, Value: w.queue[id]})
			w.inFlight[id] = w.queue[id]
			delete(w.queue, id)
		}
		w.order = w.order[n:]
		w.mu.Unlock()

		err := w.writeWithRetry(ctx, batch)
		w.mu.Lock()
		ids := make([]string, 0, len(batch))
		superseded := map[string]bool{}
		for _, e := range batch {
			delete(w.inFlight, e.ID)
			ids = append(ids, e.ID)
			_, newer := w.queue[e.ID]
			superseded[e.ID] = newer
			if err != nil && !newer {
				// Put it back: nothing acknowledged is dropped.
				w.queue[e.ID] = e.Value
				w.order = append(w.order, e.ID)
			}
		}
		w.mu.Unlock()
		if err != nil {
			w.opts.OnError(err, ids)
			return err
		}
		// Re-assert the persisted values in the cache unless a newer write is already queued.
		for _, e := range batch {
			if !superseded[e.ID] {
				_ = w.fill(ctx, e.ID, e.Value)
			}
		}
	}
}

// Close stops accepting writes and flushes; call it on shutdown so no acknowledged write is lost.
func (w *${g.E}WriteBehind) Close(ctx context.Context) error {
	w.mu.Lock()
	already := w.closed
	w.closed = true
	w.mu.Unlock()
	if !already {
		close(w.stop)
		<-w.stopped
	}
	return w.Flush(ctx)
}

func (w *${g.E}WriteBehind) run() {
	defer close(w.stopped)
	ticker := time.NewTicker(w.opts.FlushInterval)
	defer ticker.Stop()
	for {
		select {
		case <-w.stop:
			return
		case <-ticker.C:
			// A failed flush was reported through OnError and re-queued; the next tick retries.
			_ = w.Flush(context.Background())
		}
	}
}

func (w *${g.E}WriteBehind) writeWithRetry(ctx context.Context, batch []Entry) error {
	for attempt := 0; ; attempt++ {
		err := w.write(ctx, batch)
		if err == nil || attempt >= w.opts.MaxRetries {
			return err
		}
		// Exponential backoff with jitter, so many writers do not retry in lockstep.
		backoff := time.Duration(float64(w.opts.BaseBackoff) * math.Pow(2, float64(attempt)) * (0.5 + rand.Float64()))
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(backoff):
		}
	}
}

${fill(g, `${g.E}WriteBehind`)}
`,
  },
  'tag-invalidation': {
    caps: ['add'],
    body: (g) => `const (
	TagPrefix = KeyPrefix + "tag:"
	// TagTTL outlives the entries stamped with it; an evicted version only causes misses.
	TagTTL = TTL * 10
)

type taggedEntry struct {
	V    string            \`json:"v"\`
	Tags map[string]string \`json:"tags"\`
}

type ${g.E}TagCache struct {
	store *${g.S}
	${g.L} ${g.E}Loader
	ttl time.Duration
}

func New${g.E}TagCache(store *${g.S}, ${g.L} ${g.E}Loader) *${g.E}TagCache {
	return &${g.E}TagCache{store: store, ${g.L}: ${g.L}, ttl: TTL}
}

// Get reads an entry that depends on tags; it is a miss once any of them was invalidated.
func (c *${g.E}TagCache) Get(ctx context.Context, id string, tags []string) (${g.E}, bool, error) {
	versions := make(map[string]string, len(tags))
	for _, tag := range tags {
		v, err := c.version(ctx, tag)
		if err != nil {
			return zero${g.E}, false, err
		}
		versions[tag] = v
	}
	if cached, ok, err := c.store.Get(ctx, KeyPrefix+id); err != nil {
		return zero${g.E}, false, err
	} else if ok {
		var entry taggedEntry
		if err := json.Unmarshal([]byte(cached), &entry); err == nil && sameVersions(entry.Tags, versions) {
			v, err := decode(entry.V)
			return v, err == nil, err
		}
	}
	loaded, found, err := c.${g.L}(ctx, id)
	if err != nil || !found {
		return loaded, found, err
	}
	text, err := encode(loaded)
	if err != nil {
		return loaded, true, err
	}
	stamped, err := json.Marshal(taggedEntry{V: text, Tags: versions})
	if err != nil {
		return loaded, true, err
	}
	return loaded, true, c.store.Set(ctx, KeyPrefix+id, string(stamped), withJitter(c.ttl))
}

// InvalidateTag gives tag a new random version: every entry stamped with the old one misses.
func (c *${g.E}TagCache) InvalidateTag(ctx context.Context, tag string) error {
	return c.store.Set(ctx, TagPrefix+tag, randomToken(), TagTTL)
}

func (c *${g.E}TagCache) version(ctx context.Context, tag string) (string, error) {
	if v, ok, err := c.store.Get(ctx, TagPrefix+tag); err != nil || ok {
		return v, err
	}
	// First use, or the version was evicted: a fresh random version cannot match any old entry.
	if _, err := c.store.Add(ctx, TagPrefix+tag, randomToken(), TagTTL); err != nil {
		return "", err
	}
	v, _, err := c.store.Get(ctx, TagPrefix+tag)
	return v, err
}

func sameVersions(stored, current map[string]string) bool {
	for tag, v := range current {
		if stored[tag] != v {
			return false
		}
	}
	return true
}
`,
  },
  'event-invalidation': {
    caps: ['pubsub'],
    body: (g) => `// Channel carries the ids whose cached entries must go.
const Channel = KeyPrefix + "invalidate"

type ${g.E}EventInvalidation struct {
	store *${g.S}
	${g.L} ${g.E}Loader
	ttl time.Duration
}

func New${g.E}EventInvalidation(store *${g.S}, ${g.L} ${g.E}Loader) *${g.E}EventInvalidation {
	return &${g.E}EventInvalidation{store: store, ${g.L}: ${g.L}, ttl: TTL}
}

func (c *${g.E}EventInvalidation) Get(ctx context.Context, id string) (${g.E}, bool, error) {
${getOrLoad(g, 'c')}
}

// PublishChange is the producer side: call it after the source of truth changed id.
func (c *${g.E}EventInvalidation) PublishChange(ctx context.Context, id string) error {
	return c.store.Publish(ctx, Channel, id)
}

// Listen is the consumer side: it deletes the entry of every announced id until stop is called.
// Pub/sub is at-most-once: an event missed while disconnected is covered only by the TTL.
func (c *${g.E}EventInvalidation) Listen(ctx context.Context, onInvalidated func(id string)) (stop func() error, err error) {
	return c.store.Subscribe(ctx, Channel, func(id string) {
		if err := c.store.Del(context.Background(), KeyPrefix+id); err != nil {
			log.Printf("event invalidation: could not delete %s, the TTL will expire it: %v", KeyPrefix+id, err)
			return
		}
		if onInvalidated != nil {
			onInvalidated(id)
		}
	})
}

${fill(g, `${g.E}EventInvalidation`)}
`,
  },
  'stampede-lock': {
    caps: ['add', 'release'],
    body: (g) => `// ErrLockTimeout means another caller's load did not finish within WaitTimeout.
var ErrLockTimeout = errors.New("stampede lock: gave up waiting")

type ${g.E}StampedeLock struct {
	store *${g.S}
	${g.L} ${g.E}Loader
	ttl   time.Duration
	// LockTTL must exceed the slowest load: a lock that expires mid-load lets a second loader in.
	LockTTL     time.Duration
	WaitTimeout time.Duration
}

func New${g.E}StampedeLock(store *${g.S}, ${g.L} ${g.E}Loader) *${g.E}StampedeLock {
	return &${g.E}StampedeLock{store: store, ${g.L}: ${g.L}, ttl: TTL, LockTTL: 10 * time.Second, WaitTimeout: 15 * time.Second}
}

func (c *${g.E}StampedeLock) Get(ctx context.Context, id string) (${g.E}, bool, error) {
	key, lockKey := KeyPrefix+id, KeyPrefix+"lock:"+id
	deadline := time.Now().Add(c.WaitTimeout)
	pause := 5 * time.Millisecond
	for {
		if cached, ok, err := c.store.Get(ctx, key); err != nil {
			return zero${g.E}, false, err
		} else if ok {
			v, err := decode(cached)
			return v, err == nil, err
		}
		token := randomToken()
		acquired, err := c.store.Add(ctx, lockKey, token, c.LockTTL)
		if err != nil {
			return zero${g.E}, false, err
		}
		if acquired {
			return c.loadHoldingLock(ctx, id, lockKey, token)
		}
		if time.Now().After(deadline) {
			return zero${g.E}, false, fmt.Errorf("%w for %s", ErrLockTimeout, key)
		}
		select {
		case <-ctx.Done():
			return zero${g.E}, false, ctx.Err()
		case <-time.After(pause):
		}
		if pause < 100*time.Millisecond {
			pause *= 2
		}
	}
}

func (c *${g.E}StampedeLock) loadHoldingLock(ctx context.Context, id, lockKey, token string) (${g.E}, bool, error) {
	// Compare-and-delete: if our lock expired and another caller holds it now, it stays.
	defer func() { _, _ = c.store.Release(context.Background(), lockKey, token) }()
	// Someone may have filled the cache between our miss and our lock.
	if cached, ok, err := c.store.Get(ctx, KeyPrefix+id); err != nil {
		return zero${g.E}, false, err
	} else if ok {
		v, err := decode(cached)
		return v, err == nil, err
	}
	loaded, found, err := c.${g.L}(ctx, id)
	if err != nil || !found {
		return loaded, found, err
	}
	return loaded, true, c.fill(ctx, id, loaded)
}

${fill(g, `${g.E}StampedeLock`)}
`,
  },
  'stampede-xfetch': {
    caps: [],
    body: (g) => `type xfetchEntry struct {
	V      string  \`json:"v"\`
	Delta  float64 \`json:"delta"\`  // seconds the last computation took
	Expiry float64 \`json:"expiry"\` // unix seconds
}

type ${g.E}XFetch struct {
	store *${g.S}
	${g.L} ${g.E}Loader
	ttl   time.Duration
	// Beta 1 is optimal in the XFetch paper; larger refreshes earlier, 0 never refreshes early.
	Beta   float64
	Random func() float64
}

func New${g.E}XFetch(store *${g.S}, ${g.L} ${g.E}Loader) *${g.E}XFetch {
	return &${g.E}XFetch{store: store, ${g.L}: ${g.L}, ttl: TTL, Beta: 1, Random: rand.Float64}
}

func (c *${g.E}XFetch) Get(ctx context.Context, id string) (${g.E}, bool, error) {
	if cached, ok, err := c.store.Get(ctx, KeyPrefix+id); err != nil {
		return zero${g.E}, false, err
	} else if ok {
		var entry xfetchEntry
		if err := json.Unmarshal([]byte(cached), &entry); err == nil {
			// XFetch: -ln(random) is exponentially distributed, so early refreshes get likelier near expiry.
			now := float64(time.Now().UnixNano()) / 1e9
			if now-entry.Delta*c.Beta*math.Log(c.Random()) < entry.Expiry {
				v, err := decode(entry.V)
				return v, err == nil, err
			}
		}
	}
	started := time.Now()
	loaded, found, err := c.${g.L}(ctx, id)
	if err != nil || !found {
		return loaded, found, err
	}
	text, err := encode(loaded)
	if err != nil {
		return loaded, true, err
	}
	ttl := withJitter(c.ttl)
	now := time.Now()
	stamped, err := json.Marshal(xfetchEntry{V: text, Delta: now.Sub(started).Seconds(), Expiry: float64(now.Add(ttl).UnixNano()) / 1e9})
	if err != nil {
		return loaded, true, err
	}
	return loaded, true, c.store.Set(ctx, KeyPrefix+id, string(stamped), ttl)
}
`,
  },
  'multi-level': {
    caps: [],
    body: (g) => `type lruEntry struct {
	key       string
	value     ${g.E}
	expiresAt time.Time
}

// BoundedLRU is a thread-safe LRU with a per-entry TTL; every operation is O(1).
type BoundedLRU struct {
	mu      sync.Mutex
	max     int
	ttl     time.Duration
	order   *list.List
	entries map[string]*list.Element
}

func NewBoundedLRU(max int, ttl time.Duration) *BoundedLRU {
	if max < 1 {
		max = 1
	}
	return &BoundedLRU{max: max, ttl: ttl, order: list.New(), entries: map[string]*list.Element{}}
}

func (l *BoundedLRU) Len() int {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.order.Len()
}

func (l *BoundedLRU) Get(key string) (${g.E}, bool) {
	l.mu.Lock()
	defer l.mu.Unlock()
	el, ok := l.entries[key]
	if !ok {
		return zero${g.E}, false
	}
	e := el.Value.(*lruEntry)
	if time.Now().After(e.expiresAt) {
		l.order.Remove(el)
		delete(l.entries, key)
		return zero${g.E}, false
	}
	l.order.MoveToFront(el)
	return e.value, true
}

func (l *BoundedLRU) Set(key string, value ${g.E}) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if el, ok := l.entries[key]; ok {
		l.order.Remove(el)
	}
	l.entries[key] = l.order.PushFront(&lruEntry{key: key, value: value, expiresAt: time.Now().Add(l.ttl)})
	if l.order.Len() > l.max {
		oldest := l.order.Back()
		l.order.Remove(oldest)
		delete(l.entries, oldest.Value.(*lruEntry).key)
	}
}

func (l *BoundedLRU) Delete(key string) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if el, ok := l.entries[key]; ok {
		l.order.Remove(el)
		delete(l.entries, key)
	}
}

type ${g.E}MultiLevel struct {
	L1    *BoundedLRU
	store *${g.S}
	${g.L} ${g.E}Loader
	ttl   time.Duration
}

// New${g.E}MultiLevel: keep l1TTL short, other processes may serve their L1 copy that long.
func New${g.E}MultiLevel(store *${g.S}, ${g.L} ${g.E}Loader, l1MaxEntries int, l1TTL time.Duration) *${g.E}MultiLevel {
	return &${g.E}MultiLevel{L1: NewBoundedLRU(l1MaxEntries, l1TTL), store: store, ${g.L}: ${g.L}, ttl: TTL}
}

func (c *${g.E}MultiLevel) Get(ctx context.Context, id string) (${g.E}, bool, error) {
	if v, ok := c.L1.Get(id); ok {
		return v, true, nil
	}
	if cached, ok, err := c.store.Get(ctx, KeyPrefix+id); err != nil {
		return zero${g.E}, false, err
	} else if ok {
		v, err := decode(cached)
		if err == nil {
			c.L1.Set(id, v)
		}
		return v, err == nil, err
	}
	loaded, found, err := c.${g.L}(ctx, id)
	if err != nil || !found {
		return loaded, found, err
	}
	c.L1.Set(id, loaded)
	return loaded, true, c.fill(ctx, id, loaded)
}

// Invalidate clears both levels here; other processes drop their L1 copy within the L1 TTL.
func (c *${g.E}MultiLevel) Invalidate(ctx context.Context, id string) error {
	c.L1.Delete(id)
	return c.store.Del(ctx, KeyPrefix+id)
}

${fill(g, `${g.E}MultiLevel`)}
`,
  },
  'cache-warming': {
    caps: [],
    body: (g) => `type WarmReport struct {
	Warmed  int
	Missing []string
	Failed  map[string]error
}

type ${g.E}CacheWarmer struct {
	store       *${g.S}
	${g.L} ${g.E}Loader
	ttl         time.Duration
	Concurrency int
}

func New${g.E}CacheWarmer(store *${g.S}, ${g.L} ${g.E}Loader) *${g.E}CacheWarmer {
	return &${g.E}CacheWarmer{store: store, ${g.L}: ${g.L}, ttl: TTL, Concurrency: 8}
}

// Warm loads and caches every id, Concurrency at a time; one failure does not stop the rest.
func (c *${g.E}CacheWarmer) Warm(ctx context.Context, ids []string) WarmReport {
	report := WarmReport{Failed: map[string]error{}}
	var mu sync.Mutex
	work := make(chan string)
	var wg sync.WaitGroup
	workers := c.Concurrency
	if workers < 1 {
		workers = 1
	}
	for i := 0; i < workers; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for id := range work {
				err := c.warmOne(ctx, id, &report, &mu)
				if err != nil {
					mu.Lock()
					report.Failed[id] = err
					mu.Unlock()
				}
			}
		}()
	}
	for _, id := range ids {
		work <- id
	}
	close(work)
	wg.Wait()
	return report
}

func (c *${g.E}CacheWarmer) warmOne(ctx context.Context, id string, report *WarmReport, mu *sync.Mutex) error {
	value, found, err := c.${g.L}(ctx, id)
	if err != nil {
		return err
	}
	if !found {
		mu.Lock()
		report.Missing = append(report.Missing, id)
		mu.Unlock()
		return nil
	}
	text, err := encode(value)
	if err != nil {
		return err
	}
	if err := c.store.Set(ctx, KeyPrefix+id, text, withJitter(c.ttl)); err != nil {
		return err
	}
	mu.Lock()
	report.Warmed++
	mu.Unlock()
	return nil
}
`,
  },
  'circuit-breaker': {
    caps: [],
    body: (g) => `// ${g.E}CircuitBreakerCache: closed uses the cache; open never calls it until OpenFor passed;
// then one probe may try (half-open); success closes it, failure opens it again.
type ${g.E}CircuitBreakerCache struct {
	store            *${g.S}
	${g.L} ${g.E}Loader
	ttl              time.Duration
	FailureThreshold int
	OpenFor          time.Duration
	OnCacheError     func(error)
	mu               sync.Mutex
	state            string
	failures         int
	openedAt         time.Time
	probing          bool
}

func New${g.E}CircuitBreakerCache(store *${g.S}, ${g.L} ${g.E}Loader) *${g.E}CircuitBreakerCache {
	return &${g.E}CircuitBreakerCache{store: store, ${g.L}: ${g.L}, ttl: TTL, FailureThreshold: 5, OpenFor: 30 * time.Second,
		OnCacheError: func(err error) { log.Printf("cache call failed: %v", err) }, state: "closed"}
}

func (c *${g.E}CircuitBreakerCache) State() string {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.state
}

func (c *${g.E}CircuitBreakerCache) Get(ctx context.Context, id string) (${g.E}, bool, error) {
	if c.allowCall() {
		cached, ok, err := c.store.Get(ctx, KeyPrefix+id)
		if err != nil {
			c.failed(err)
		} else {
			c.succeeded()
			if ok {
				v, err := decode(cached)
				return v, err == nil, err
			}
		}
	}
	loaded, found, err := c.${g.L}(ctx, id)
	if err != nil || !found {
		return loaded, found, err
	}
	if c.allowCall() {
		text, err := encode(loaded)
		if err == nil {
			err = c.store.Set(ctx, KeyPrefix+id, text, withJitter(c.ttl))
		}
		if err != nil {
			c.failed(err)
		} else {
			c.succeeded()
		}
	}
	return loaded, true, nil
}

func (c *${g.E}CircuitBreakerCache) allowCall() bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	switch c.state {
	case "closed":
		return true
	case "open":
		if time.Since(c.openedAt) < c.OpenFor {
			return false
		}
		c.state = "half-open"
	}
	if c.probing {
		return false
	}
	c.probing = true
	return true
}

func (c *${g.E}CircuitBreakerCache) succeeded() {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.failures, c.probing, c.state = 0, false, "closed"
}

func (c *${g.E}CircuitBreakerCache) failed(err error) {
	c.OnCacheError(err)
	c.mu.Lock()
	defer c.mu.Unlock()
	c.probing = false
	c.failures++
	if c.state == "half-open" || c.failures >= c.FailureThreshold {
		c.state, c.openedAt = "open", time.Now()
	}
}
`,
  },
  memoize: {
    caps: [],
    body: (g) => `type memoEnvelope[R any] struct {
	V R \`json:"v"\`
}

// Memoize wraps fn so that calls with equal (JSON-equal) arguments share one cached result.
// Results are stored in an envelope, so zero values are cached results, not misses.
func Memoize[A any, R any](store *${g.S}, name string, ttl time.Duration, fn func(context.Context, A) (R, error)) func(context.Context, A) (R, error) {
	return func(ctx context.Context, arg A) (R, error) {
		var zero R
		encodedArg, err := json.Marshal(arg)
		if err != nil {
			return zero, err
		}
		// A hash keeps keys short and valid for memcached whatever the arguments are.
		sum := sha1.Sum(encodedArg)
		key := KeyPrefix + name + ":" + hex.EncodeToString(sum[:])
		if cached, ok, err := store.Get(ctx, key); err != nil {
			return zero, err
		} else if ok {
			var env memoEnvelope[R]
			if err := json.Unmarshal([]byte(cached), &env); err == nil {
				return env.V, nil
			}
		}
		result, err := fn(ctx, arg)
		if err != nil {
			return zero, err
		}
		text, err := json.Marshal(memoEnvelope[R]{V: result})
		if err != nil {
			return result, err
		}
		return result, store.Set(ctx, key, string(text), withJitter(ttl))
	}
}
`,
  },
};
