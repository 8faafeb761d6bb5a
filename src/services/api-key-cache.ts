// Authenticated API keys kept in memory, so that a request reads one number instead of the key's
// and its user's rows. The number is the auth revision (migration 009): database triggers bump it
// whenever a key or a user changes in a way authentication depends on, whoever made the change
// (this process, another gateway, the CLI, an operator's SQL). Every request reads it first and a
// moved revision drops every entry, so a revoked or disabled key is refused by the next request,
// as without the cache. A column that authentication comes to depend on must join the triggers.
//
// Keys with a credit limit are not kept: their `spent`, which moves with every hold, decides what
// they may still do. Entries also age out, so fields that move without a bump (a user's balance,
// `last_used_at`) are never older than MAX_AGE_MS.
import { CompiledQuery } from 'kysely';
import type { Db } from '../db/database.js';
import type { ApiKey } from './api-keys.js';
import type { User } from './users.js';

const MAX_ENTRIES = 10_000;
const MAX_AGE_MS = 60_000;
const READ_REVISION = CompiledQuery.raw('SELECT rev FROM auth_revision WHERE id = 1');

interface Entry {
  key: ApiKey;
  user: User;
  rev: number;
  at: number;
}

export class ApiKeyCache {
  /** By the SHA-256 (hex) of the whole key. */
  private readonly entries = new Map<string, Entry>();
  /** Key id -> hash, to update an entry when the key is used. */
  private readonly hashes = new Map<string, string>();
  private rev = -1;

  constructor(private readonly db: Db) {}

  /** Reads the revision, dropping every entry if it moved; pass it to `set` for what is read after. */
  async revision(): Promise<number> {
    const { rows } = await this.db.executeQuery<{ rev: number | string }>(READ_REVISION);
    const rev = Number(rows[0]?.rev ?? 0);
    if (rev !== this.rev) {
      this.clear();
      this.rev = rev;
    }
    return rev;
  }

  get(hash: string, now = Date.now()): { key: ApiKey; user: User } | undefined {
    const entry = this.entries.get(hash);
    if (!entry) return undefined;
    if (entry.rev === this.rev && now - entry.at <= MAX_AGE_MS) return entry;
    this.entries.delete(hash);
    this.hashes.delete(entry.key.id);
    return undefined;
  }

  /** Keeps a key read at revision `rev` (not if the revision moved since, nor a key with a credit limit). */
  set(hash: string, key: ApiKey, user: User, rev: number): void {
    if (rev !== this.rev || key.credit_limit !== null) return;
    if (this.entries.size >= MAX_ENTRIES) this.clear();
    this.entries.set(hash, { key, user, rev, at: Date.now() });
    this.hashes.set(key.id, hash);
  }

  /** The key was used (its `last_used_at` written): the kept copy says so too. */
  noteUse(keyId: string, at: string): void {
    const hash = this.hashes.get(keyId);
    const entry = hash === undefined ? undefined : this.entries.get(hash);
    if (entry) entry.key = { ...entry.key, last_used_at: at };
  }

  clear(): void {
    this.entries.clear();
    this.hashes.clear();
  }
}
