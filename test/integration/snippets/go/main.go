// Runs generated gomemcache code against a real memcached, with SQLite (mattn/go-sqlite3) as the
// source of truth, and prints one JSON object: scenario name -> "" (passed) or the failure. The
// test copies this file next to the generated packages (snippetrun/<pattern>) in a GOPATH and
// builds it once.
// Usage: snippetrun MEMCACHED_ADDR DB_DIR
package main

import (
	"bufio"
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"net"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/bradfitz/gomemcache/memcache"
	_ "github.com/mattn/go-sqlite3"

	"snippetrun/cacheaside"
	"snippetrun/stampedelock"
	"snippetrun/stampedexfetch"
	"snippetrun/writebehind"
	"snippetrun/writethrough"
)

var addr string
var dbDir string

// db is the source of truth: a SQLite file with a users table. Its faults are real ones: the
// CHECK constraint rejects an empty name, and lock() has a second connection hold an exclusive
// transaction so every write fails with SQLITE_BUSY (the busy timeout is 0).
type db struct {
	file    string
	sql     *sql.DB
	blocker *sql.DB
	held    *sql.Conn
	mu      sync.Mutex
	loads   int
}

var dbCount int

func newDB() *db {
	dbCount++
	file := filepath.Join(dbDir, fmt.Sprintf("users-%d.db", dbCount))
	check(filepath.IsAbs(file), "the database directory must be absolute: %s", file)
	conn, err := sql.Open("sqlite3", "file:"+file+"?_busy_timeout=0")
	check(err == nil, "open sqlite: %v", err)
	_, err = conn.Exec("CREATE TABLE users (id TEXT PRIMARY KEY, name TEXT NOT NULL CHECK (length(name) > 0))")
	check(err == nil, "create table: %v", err)
	for i := 1; i <= 20; i++ {
		_, err = conn.Exec("INSERT INTO users (id, name) VALUES (?, ?)", strconv.Itoa(i), fmt.Sprintf("user %d", i))
		check(err == nil, "seed: %v", err)
	}
	return &db{file: file, sql: conn}
}

func (d *db) close() {
	d.unlock()
	d.sql.Close()
}

func (d *db) load(delay time.Duration) func(context.Context, string) (map[string]any, bool, error) {
	return func(ctx context.Context, id string) (map[string]any, bool, error) {
		d.mu.Lock()
		d.loads++
		d.mu.Unlock()
		time.Sleep(delay)
		var name string
		err := d.sql.QueryRowContext(ctx, "SELECT name FROM users WHERE id = ?", id).Scan(&name)
		if err == sql.ErrNoRows {
			return nil, false, nil
		}
		if err != nil {
			return nil, false, err
		}
		return map[string]any{"id": id, "name": name}, true, nil
	}
}

func (d *db) write(ctx context.Context, id string, v map[string]any) error {
	name, _ := v["name"].(string)
	_, err := d.sql.ExecContext(ctx, "INSERT OR REPLACE INTO users (id, name) VALUES (?, ?)", id, name)
	return err
}

// writeBatch writes a write-behind batch in one transaction and returns the ids it wrote.
func (d *db) writeBatch(ctx context.Context, batch []writebehind.Entry) ([]string, error) {
	tx, err := d.sql.BeginTx(ctx, nil)
	if err != nil {
		return nil, err
	}
	ids := []string{}
	for _, e := range batch {
		name, _ := e.Value["name"].(string)
		if _, err := tx.ExecContext(ctx, "INSERT OR REPLACE INTO users (id, name) VALUES (?, ?)", e.ID, name); err != nil {
			tx.Rollback()
			return nil, err
		}
		ids = append(ids, e.ID)
	}
	return ids, tx.Commit()
}

func (d *db) row(id string) string {
	var name string
	if err := d.sql.QueryRow("SELECT name FROM users WHERE id = ?", id).Scan(&name); err != nil {
		return ""
	}
	return name
}

func (d *db) loadCount() int {
	d.mu.Lock()
	defer d.mu.Unlock()
	return d.loads
}

// lock has another connection take the database's write lock until unlock.
func (d *db) lock() {
	blocker, err := sql.Open("sqlite3", "file:"+d.file+"?_busy_timeout=0")
	check(err == nil, "open blocker: %v", err)
	// BEGIN and COMMIT must run on the same connection, so it is taken out of the pool.
	held, err := blocker.Conn(context.Background())
	check(err == nil, "blocker connection: %v", err)
	_, err = held.ExecContext(context.Background(), "BEGIN EXCLUSIVE")
	check(err == nil, "BEGIN EXCLUSIVE: %v", err)
	d.blocker, d.held = blocker, held
}

func (d *db) unlock() {
	if d.held == nil {
		return
	}
	d.held.ExecContext(context.Background(), "COMMIT")
	d.held.Close()
	d.blocker.Close()
	d.blocker, d.held = nil, nil
}

// ttl asks memcached for the remaining TTL with a meta get (mg KEY t); -2 means missing.
func ttl(key string) int {
	conn, err := net.Dial("tcp", addr)
	if err != nil {
		return -3
	}
	defer conn.Close()
	fmt.Fprintf(conn, "mg %s t\r\n", key)
	line, _ := bufio.NewReader(conn).ReadString('\n')
	if strings.HasPrefix(line, "EN") {
		return -2
	}
	for _, f := range strings.Fields(line) {
		if strings.HasPrefix(f, "t") {
			n, _ := strconv.Atoi(f[1:])
			return n
		}
	}
	return -3
}

func check(cond bool, format string, args ...any) {
	if !cond {
		panic(fmt.Sprintf(format, args...))
	}
}

func raw(mc *memcache.Client, key string) (string, bool) {
	item, err := mc.Get(key)
	if err != nil {
		return "", false
	}
	return string(item.Value), true
}

func main() {
	addr, dbDir = os.Args[1], os.Args[2]
	mc := memcache.New(addr)
	ctx := context.Background()
	scenarios := []struct {
		name string
		run  func()
	}{
		{"cache_aside", func() {
			d := newDB()
			defer d.close()
			c := cacheaside.NewUserCacheAside(cacheaside.NewUserStore(mc), d.load(0), d.write)
			v, found, err := c.Get(ctx, "1")
			check(err == nil && found && v["name"] == "user 1", "first read: %v %v %v", v, found, err)
			_, _, _ = c.Get(ctx, "1")
			check(d.loadCount() == 1, "the second read is a hit (loads %d)", d.loadCount())
			t := ttl(cacheaside.KeyPrefix + "1")
			check(t > 0 && t <= 331, "TTL is set (%d)", t)
			check(c.Update(ctx, "1", map[string]any{"id": "1", "name": "renamed"}) == nil, "update")
			_, cached := raw(mc, cacheaside.KeyPrefix+"1")
			check(!cached, "the write deleted the cached entry")
			v, _, _ = c.Get(ctx, "1")
			check(v["name"] == "renamed" && d.loadCount() == 2, "reload after write: %v", v)
			_, found, _ = c.Get(ctx, "missing")
			check(!found, "missing id")
		}},
		{"write_through", func() {
			d := newDB()
			defer d.close()
			c := writethrough.NewUserWriteThrough(writethrough.NewUserStore(mc), d.load(0), d.write)
			check(c.Save(ctx, "3", map[string]any{"id": "3", "name": "three"}) == nil, "save")
			text, _ := raw(mc, writethrough.KeyPrefix+"3")
			check(strings.Contains(text, `"three"`) && d.row("3") == "three", "cache and db written: %s", text)
			// The CHECK constraint rejects an empty name: the database write fails for real.
			err := c.Save(ctx, "3", map[string]any{"id": "3", "name": ""})
			check(err != nil && strings.Contains(err.Error(), "CHECK constraint"), "a failing database write is an error: %v", err)
			text, _ = raw(mc, writethrough.KeyPrefix+"3")
			check(strings.Contains(text, `"three"`) && d.row("3") == "three", "cache still equals the database: %s", text)
		}},
		{"write_behind", func() {
			d := newDB()
			defer d.close()
			var reported [][]string
			var mu sync.Mutex
			var batches [][]string
			writer := func(ctx context.Context, batch []writebehind.Entry) error {
				ids, err := d.writeBatch(ctx, batch)
				if err != nil {
					return err
				}
				mu.Lock()
				batches = append(batches, ids)
				mu.Unlock()
				return nil
			}
			w := writebehind.NewUserWriteBehind(writebehind.NewUserStore(mc), d.load(0), writer, writebehind.WriteBehindOptions{
				FlushInterval: time.Hour, BatchSize: 50, MaxRetries: 1, BaseBackoff: time.Millisecond,
				OnError: func(err error, ids []string) { reported = append(reported, ids) }})
			for i := 1; i <= 5; i++ {
				check(w.Save(ctx, "4", map[string]any{"id": "4", "name": fmt.Sprintf("v%d", i)}) == nil, "save")
			}
			check(w.Save(ctx, "5", map[string]any{"id": "5", "name": "five"}) == nil, "save")
			check(d.row("4") == "user 4", "not yet in the database")
			v, _, _ := w.Get(ctx, "4")
			check(v["name"] == "v5" && w.Pending() == 2, "reads see the acknowledged write")
			// Another connection holds the write lock: both attempts fail with SQLITE_BUSY.
			d.lock()
			err := w.Flush(ctx)
			check(err != nil && strings.Contains(err.Error(), "locked"), "a flush that keeps failing reports its error: %v", err)
			check(len(reported) == 1 && w.Pending() == 2, "the failed batch was re-queued (pending %d)", w.Pending())
			d.unlock()
			// An exclusive lock blocks readers too, so the database is checked once it is released.
			check(d.row("4") == "user 4", "nothing was written while the database was locked")
			check(w.Close(ctx) == nil, "close flushes")
			check(d.row("4") == "v5" && d.row("5") == "five", "persisted: %s %s", d.row("4"), d.row("5"))
			check(len(batches) == 1 && len(batches[0]) == 2, "coalesced into one batch of two: %v", batches)
			t := ttl(writebehind.KeyPrefix + "4")
			check(t > 0, "TTL is set (%d)", t)
			check(w.Save(ctx, "6", map[string]any{"id": "6", "name": "late"}) != nil, "closed refuses writes")
		}},
		{"stampede_lock", func() {
			d := newDB()
			defer d.close()
			c := stampedelock.NewUserStampedeLock(stampedelock.NewUserStore(mc), d.load(100*time.Millisecond))
			var wg sync.WaitGroup
			var bad int32
			var mu sync.Mutex
			start := make(chan struct{})
			for i := 0; i < 50; i++ {
				wg.Add(1)
				go func() {
					defer wg.Done()
					<-start
					v, found, err := c.Get(ctx, "9")
					if err != nil || !found || v["name"] != "user 9" {
						mu.Lock()
						bad++
						mu.Unlock()
					}
				}()
			}
			close(start)
			wg.Wait()
			check(bad == 0, "%d readers failed", bad)
			check(d.loadCount() == 1, "50 concurrent cold reads run the loader once (got %d)", d.loadCount())
			_, locked := raw(mc, stampedelock.KeyPrefix+"lock:9")
			check(!locked, "the lock was released")
			t := ttl(stampedelock.KeyPrefix + "9")
			check(t > 0, "TTL is set (%d)", t)
		}},
		{"stampede_lock_release", func() {
			s := stampedelock.NewUserStore(mc)
			key := stampedelock.KeyPrefix + "lock:x"
			ok, err := s.Add(ctx, key, "token-a", 5*time.Second)
			check(ok && err == nil, "first add")
			ok, _ = s.Add(ctx, key, "token-b", 5*time.Second)
			check(!ok, "a held lock cannot be taken")
			ok, _ = s.Release(ctx, key, "token-b")
			v, _ := raw(mc, key)
			check(!ok && v == "token-a", "a wrong token leaves the lock in place")
			ok, err = s.Release(ctx, key, "token-a")
			_, still := raw(mc, key)
			check(ok && err == nil && !still, "the holder's release deletes it")
		}},
		{"stampede_xfetch", func() {
			d := newDB()
			defer d.close()
			s := stampedexfetch.NewUserStore(mc)
			never := stampedexfetch.NewUserXFetch(s, d.load(15*time.Millisecond))
			never.Beta = 0
			_, _, _ = never.Get(ctx, "10")
			_, _, _ = never.Get(ctx, "10")
			check(d.loadCount() == 1, "beta 0 never refreshes early")
			eager := stampedexfetch.NewUserXFetch(s, d.load(15*time.Millisecond))
			eager.Beta, eager.Random = 1000, func() float64 { return 1e-300 }
			_, _, _ = eager.Get(ctx, "10")
			check(d.loadCount() == 2, "a reader close enough to expiry refreshes")
			lucky := stampedexfetch.NewUserXFetch(s, d.load(15*time.Millisecond))
			lucky.Beta, lucky.Random = 1000, func() float64 { return 1 }
			_, _, _ = lucky.Get(ctx, "10")
			check(d.loadCount() == 2, "random() = 1: no early refresh")
		}},
	}
	results := map[string]string{}
	for _, s := range scenarios {
		func() {
			defer func() {
				if r := recover(); r != nil {
					results[s.name] = fmt.Sprint(r)
				}
			}()
			results[s.name] = ""
			s.run()
		}()
	}
	out, _ := json.Marshal(results)
	fmt.Println(string(out))
}
