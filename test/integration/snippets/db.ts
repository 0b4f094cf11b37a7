/**
 * The source of truth for generated-code tests: a real SQLite database (better-sqlite3) with a
 * users table. Faults are real ones: a CHECK constraint rejects an empty name, and a second
 * connection holding an exclusive transaction makes writes fail with SQLITE_BUSY.
 */
import Database from 'better-sqlite3';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { tempDir } from '../../harness/servers';

export type Entity = Record<string, unknown>;

export class UsersDb {
  readonly file = path.join(tempDir('snippets-db'), 'users.db');
  readonly db: Database.Database;
  private blocker: Database.Database | null = null;
  loads = 0;
  batches: Array<Array<[string, Entity]>> = [];

  constructor() {
    this.db = new Database(this.file, { timeout: 0 });
    this.db.exec('CREATE TABLE users (id TEXT PRIMARY KEY, name TEXT NOT NULL CHECK (length(name) > 0))');
  }

  seed(count: number): void {
    const insert = this.db.prepare('INSERT OR REPLACE INTO users (id, name) VALUES (?, ?)');
    for (let i = 1; i <= count; i++) insert.run(String(i), `user ${i}`);
  }

  row(id: string): Entity | null {
    const r = this.db.prepare('SELECT id, name FROM users WHERE id = ?').get(id) as Entity | undefined;
    return r ?? null;
  }

  /** The loader handed to generated code; counts its calls; `delayMs` makes a slow query. */
  loader(delayMs = 0): (id: string) => Promise<Entity | null> {
    return async (id) => {
      this.loads++;
      if (delayMs) await new Promise((r) => setTimeout(r, delayMs));
      return this.row(id);
    };
  }

  writer(): (id: string, value: Entity) => Promise<void> {
    return async (id, value) => {
      this.db.prepare('INSERT OR REPLACE INTO users (id, name) VALUES (?, ?)').run(id, String(value.name));
    };
  }

  /** The batch writer for write-behind: one transaction per batch. */
  batchWriter(delayMs = 0): (batch: Array<[string, Entity]>) => Promise<void> {
    const insert = this.db.prepare('INSERT OR REPLACE INTO users (id, name) VALUES (?, ?)');
    const tx = this.db.transaction((batch: Array<[string, Entity]>) => { for (const [id, v] of batch) insert.run(id, String(v.name)); });
    return async (batch) => {
      if (delayMs) await new Promise((r) => setTimeout(r, delayMs));
      tx(batch);
      this.batches.push(batch.map(([id, v]) => [id, { ...v }]));
    };
  }

  /** Another connection takes the write lock: every write from `db` now fails with SQLITE_BUSY. */
  lock(): void {
    this.blocker = new Database(this.file, { timeout: 0 });
    this.blocker.exec('BEGIN EXCLUSIVE');
  }

  unlock(): void {
    this.blocker?.exec('COMMIT');
    this.blocker?.close();
    this.blocker = null;
  }

  close(): void {
    this.unlock();
    this.db.close();
    fs.rmSync(path.dirname(this.file), { recursive: true, force: true });
  }
}
