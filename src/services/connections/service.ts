// Upstream provider connections made on the admin pages (like new-api's channels): each is a
// worker node bound to one provider account (base URL, API key, the models it serves, its
// concurrency, priority and weight). Stored in `connections` with the key sealed (SecretBox);
// every process reloads them periodically (and the process that made a change at once) and puts
// the enabled ones in the Catalog next to the file's nodes, so gateways route to them and workers
// open their queues without a restart.
import { checkRuntimeNode } from '../../catalog-rules.js';
import type { Db } from '../../db/database.js';
import type { ConnectionsTable } from '../../db/schema.js';
import { AppError, invalidParam } from '../../lib/app-error.js';
import { randomToken } from '../../lib/ids.js';
import type { Logger } from '../../lib/logger.js';
import { type SecretBox, lastFour } from '../../lib/secret-box.js';
import { nowIso } from '../../lib/time.js';
import { getProvider, providerIds, providerOperations } from '../../providers/registry.js';
import type { CheckResult, ProviderCredentials } from '../../providers/types.js';
import { LOCAL_NODE, LOCAL_TEST_NODE } from '../../worker/shared.js';
import type { Catalog, ResolvedNode } from '../catalog.js';
import { type ConnectionChange, readConnectionChange } from './input.js';
import type { ConnectionView, ProviderInfo } from './view-types.js';

export type { ConnectionView, ProviderInfo };

export type ConnectionRow = ConnectionsTable;

/** Providers an admin may connect: every adapter but the built-in engines. */
export const connectableProviders = () => providerIds.filter((id) => id !== 'local');

const RESERVED_IDS = new Set([LOCAL_NODE, LOCAL_TEST_NODE]);
const CHECK_TIMEOUT_MS = 10_000;
const DEFAULTS = { concurrency: 4, priority: 0, weight: 1 };

export class ConnectionService {
  private loads = 0;
  private applied = 0;
  private rows: ConnectionRow[] = [];
  /** Of the rows last applied: changes when a row is added, removed or edited. */
  private signature = '';
  private readonly nodes = new Map<string, ResolvedNode>();
  private readonly listeners = new Set<(nodes: ResolvedNode[]) => void>();

  constructor(
    private readonly db: Db,
    private readonly catalog: Catalog,
    private readonly box: SecretBox,
    private readonly log: Logger,
  ) {}

  /** Called with the enabled database nodes whenever they change (after load). */
  onChange(listener: (nodes: ResolvedNode[]) => void): void {
    this.listeners.add(listener);
  }

  /** Reads every connection and, when something changed, puts the enabled ones in the catalog. */
  async load(): Promise<void> {
    const seq = ++this.loads;
    const rows = await this.db.selectFrom('connections').selectAll().orderBy('created_at').orderBy('id').execute();
    // A slower, older read must not undo a newer one.
    if (seq < this.applied) return;
    this.applied = seq;
    this.rows = rows;
    const signature = JSON.stringify(rows.map((r) => [r.id, r.updated_at, r.enabled]));
    if (signature === this.signature) return;
    this.signature = signature;
    this.nodes.clear();
    for (const row of rows) this.nodes.set(row.id, this.resolve(row));
    const enabled = [...this.nodes.values()].filter((n) => rows.find((r) => r.id === n.id)?.enabled === 1 && !this.catalog.fileNodes.some((f) => f.id === n.id));
    this.catalog.setDatabaseNodes(enabled);
    for (const listener of this.listeners) {
      try {
        listener(enabled);
      } catch (err) {
        this.log.warn({ err }, 'a connections listener failed');
      }
    }
  }

  /** Each provider an admin may connect, with what it offers. */
  providers(): ProviderInfo[] {
    return connectableProviders().map((id) => ({
      id,
      operations: providerOperations(id),
      default_base_url: this.catalog.defaultBaseUrl(id) ?? null,
      needs_api_key: getProvider(id).needsCredentials,
      can_test: typeof getProvider(id).check === 'function',
      // The built-in engines' models (aio-*) are left out: no upstream has them.
      models: this.catalog.models
        .filter((m) => !this.catalog.fileNodes.some((n) => n.provider === 'local' && n.models.includes(m.id)))
        .filter((m) => checkRuntimeNode({ provider: id, models: [m.id] }, (x) => this.catalog.model(x)).length === 0)
        .map((m) => m.id),
      suggested_models: [...new Set(this.catalog.fileNodes.filter((n) => n.provider === id).flatMap((n) => n.models))],
    }));
  }

  /** The catalog file's nodes (read-only), then the database's, as the admin pages show them. */
  list(): ConnectionView[] {
    const file = this.catalog.fileNodes.map((n) => this.fileView(n));
    return [...file, ...this.rows.map((r) => this.view(r))];
  }

  get(id: string): ConnectionView {
    const file = this.catalog.fileNodes.find((n) => n.id === id);
    if (file) return this.fileView(file);
    const row = this.rows.find((r) => r.id === id);
    if (!row) throw notFound(id);
    return this.view(row);
  }

  async create(raw: unknown, by: string | null): Promise<ConnectionView> {
    const change = readConnectionChange(raw, false);
    const provider = change.provider!;
    if (!connectableProviders().includes(provider))
      throw invalidParam('provider', `'provider' must be one of: ${connectableProviders().join(', ')}.`);
    const id = change.id ?? `${provider}-${randomToken(6).toLowerCase()}`;
    if (RESERVED_IDS.has(id) || this.catalog.fileNodes.some((n) => n.id === id))
      throw new AppError(409, 'connection_exists', `The id '${id}' is taken by a node of the catalog file; choose another.`, { param: 'id' });
    this.checkServes(provider, change.models!);
    const baseUrl = change.base_url ?? null;
    if (!baseUrl && !this.catalog.defaultBaseUrl(provider))
      throw invalidParam('base_url', `'base_url' is required: ${provider} has no default base URL.`, 'missing_parameter');
    if (getProvider(provider).needsCredentials && !change.api_key) throw invalidParam('api_key', `'api_key' is required for ${provider}.`, 'missing_parameter');
    const now = nowIso();
    const row: ConnectionRow = {
      id,
      provider,
      name: change.name ?? null,
      base_url: baseUrl,
      api_key_encrypted: change.api_key ? this.box.seal(change.api_key) : null,
      api_key_last4: change.api_key ? lastFour(change.api_key) : null,
      models: JSON.stringify(change.models),
      concurrency: change.concurrency ?? DEFAULTS.concurrency,
      priority: change.priority ?? DEFAULTS.priority,
      weight: change.weight ?? DEFAULTS.weight,
      enabled: change.enabled === false ? 0 : 1,
      last_check_at: null,
      last_check_ok: null,
      last_check_message: null,
      created_at: now,
      updated_at: now,
      updated_by: by,
    };
    try {
      await this.db.insertInto('connections').values(row).execute();
    } catch (err) {
      if (await this.db.selectFrom('connections').select('id').where('id', '=', id).executeTakeFirst())
        throw new AppError(409, 'connection_exists', `There is already a connection '${id}'.`, { param: 'id' });
      throw err;
    }
    await this.load();
    return this.get(id);
  }

  async update(id: string, raw: unknown, by: string | null): Promise<ConnectionView> {
    const row = await this.requireRow(id);
    const change: ConnectionChange = readConnectionChange(raw, true);
    if (change.models) this.checkServes(row.provider, change.models);
    const baseUrl = change.base_url === undefined ? row.base_url : change.base_url;
    if (!baseUrl && !this.catalog.defaultBaseUrl(row.provider))
      throw invalidParam('base_url', `'base_url' is required: ${row.provider} has no default base URL.`, 'missing_parameter');
    const next: Partial<ConnectionRow> = {
      base_url: baseUrl,
      updated_at: laterThan(row.updated_at),
      updated_by: by,
    };
    if (change.name !== undefined) next.name = change.name;
    if (change.api_key !== undefined) {
      next.api_key_encrypted = this.box.seal(change.api_key);
      next.api_key_last4 = lastFour(change.api_key);
      // A new key has not been tested.
      Object.assign(next, { last_check_at: null, last_check_ok: null, last_check_message: null });
    }
    if (change.models) next.models = JSON.stringify(change.models);
    if (change.concurrency !== undefined) next.concurrency = change.concurrency;
    if (change.priority !== undefined) next.priority = change.priority;
    if (change.weight !== undefined) next.weight = change.weight;
    if (change.enabled !== undefined) next.enabled = change.enabled ? 1 : 0;
    await this.db.updateTable('connections').set(next).where('id', '=', id).execute();
    await this.load();
    return this.get(id);
  }

  async remove(id: string): Promise<void> {
    await this.requireRow(id);
    await this.db.deleteFrom('connections').where('id', '=', id).execute();
    await this.load();
  }

  /** Tests a saved connection (or a catalog file node) with one cheap real call; a saved connection keeps the result. */
  async test(id: string): Promise<CheckResult> {
    const file = this.catalog.fileNodes.find((n) => n.id === id);
    if (file) return this.runCheck(file.provider, file.credentials);
    const row = await this.requireRow(id);
    const node = this.resolve(row);
    const result = node.missing.length ? { ok: false, message: `Not configured: ${node.missing.join(', ')} missing.` } : await this.runCheck(row.provider, node.credentials);
    await this.db
      .updateTable('connections')
      .set({ last_check_at: nowIso(), last_check_ok: result.ok ? 1 : 0, last_check_message: result.message })
      .where('id', '=', id)
      .execute();
    // Not a change of the node itself: the catalog stays as it is.
    const stored = await this.db.selectFrom('connections').selectAll().where('id', '=', id).executeTakeFirst();
    if (stored) this.rows = this.rows.map((r) => (r.id === id ? stored : r));
    return result;
  }

  /**
   * Tests credentials before they are saved. Without `api_key`, the stored key of connection
   * `id` is used (an admin editing a connection does not type the key again).
   */
  async testDraft(raw: unknown): Promise<CheckResult> {
    const body = raw && typeof raw === 'object' && !Array.isArray(raw) ? (raw as Record<string, unknown>) : {};
    for (const name of Object.keys(body))
      if (!['id', 'provider', 'base_url', 'api_key'].includes(name)) throw invalidParam(name, `Unknown parameter '${name}'. Accepted: id, provider, base_url, api_key.`, 'unknown_parameter');
    const change = readConnectionChange({ ...body, models: ['-'] }, false);
    const provider = change.provider!;
    if (!connectableProviders().includes(provider)) throw invalidParam('provider', `'provider' must be one of: ${connectableProviders().join(', ')}.`);
    let apiKey = change.api_key;
    if (apiKey === undefined && change.id) {
      const row = this.rows.find((r) => r.id === change.id);
      if (row && row.provider === provider && row.api_key_encrypted) apiKey = this.openKey(row);
    }
    const baseUrl = change.base_url ?? this.catalog.defaultBaseUrl(provider);
    if (!baseUrl) return { ok: false, message: `Set a base URL: ${provider} has no default.` };
    if (!apiKey && getProvider(provider).needsCredentials) return { ok: false, message: 'Enter the API key to test it.' };
    return this.runCheck(provider, { apiKey, baseUrl });
  }

  private async runCheck(provider: string, credentials: ProviderCredentials): Promise<CheckResult> {
    const check = getProvider(provider).check;
    if (!check) return { ok: false, message: `There is no connection test for ${provider}; send a live request to try it.` };
    const result = await check(credentials, { signal: new AbortController().signal, timeoutMs: CHECK_TIMEOUT_MS });
    this.log.info({ provider, ok: result.ok, status: result.status }, 'provider connection tested');
    return result;
  }

  private checkServes(provider: string, models: string[]): void {
    const problems = checkRuntimeNode({ provider, models }, (id) => this.catalog.model(id));
    if (problems.length) throw invalidParam('models', `This connection cannot serve these models: ${problems.join('; ')}.`);
  }

  private async requireRow(id: string): Promise<ConnectionRow> {
    if (this.catalog.fileNodes.some((n) => n.id === id))
      throw new AppError(409, 'connection_read_only', `'${id}' is defined in the catalog file and the environment; change it there.`, { param: 'id' });
    const row = await this.db.selectFrom('connections').selectAll().where('id', '=', id).executeTakeFirst();
    if (!row) throw notFound(id);
    return row;
  }

  private openKey(row: ConnectionRow): string | undefined {
    if (!row.api_key_encrypted) return undefined;
    try {
      return this.box.open(row.api_key_encrypted);
    } catch {
      return undefined;
    }
  }

  /** The row as a node of the catalog, with its credentials opened and what it lacks. */
  private resolve(row: ConnectionRow): ResolvedNode {
    const missing: string[] = [];
    let apiKey: string | undefined;
    if (row.api_key_encrypted) {
      apiKey = this.openKey(row);
      if (apiKey === undefined) {
        missing.push('api_key (it cannot be decrypted: was AIO_SECRET_KEY changed, or does this process use another?)');
        this.log.warn({ connection: row.id }, 'the stored API key of a connection cannot be decrypted with this process’s secret key');
      }
    } else if (getProvider(row.provider).needsCredentials) missing.push('api_key');
    const baseUrl = row.base_url ?? this.catalog.defaultBaseUrl(row.provider);
    if (!baseUrl) missing.push('base_url');
    const listed = JSON.parse(row.models) as string[];
    // The catalog file may have changed since: serve only what still passes the check.
    const models = listed.filter((m) => checkRuntimeNode({ provider: row.provider, models: [m] }, (id) => this.catalog.model(id)).length === 0);
    if (models.length < listed.length) this.log.warn({ connection: row.id, dropped: listed.filter((m) => !models.includes(m)) }, 'a connection lists models it cannot serve now');
    if (!models.length) missing.push('models');
    return {
      id: row.id,
      provider: row.provider,
      models,
      concurrency: row.concurrency,
      priority: row.priority,
      weight: row.weight,
      credentials: { apiKey, baseUrl },
      missing,
      source: 'database',
    };
  }

  private view(row: ConnectionRow): ConnectionView {
    const node = this.nodes.get(row.id) ?? this.resolve(row);
    const shadowed = this.catalog.fileNodes.some((f) => f.id === row.id);
    return {
      id: row.id,
      object: 'connection',
      source: 'database',
      provider: row.provider,
      name: row.name,
      base_url: node.credentials.baseUrl ?? null,
      base_url_default: row.base_url === null,
      api_key: { set: row.api_key_encrypted !== null, last4: row.api_key_last4 },
      models: JSON.parse(row.models) as string[],
      concurrency: row.concurrency,
      priority: row.priority,
      weight: row.weight,
      enabled: row.enabled === 1,
      configured: row.enabled === 1 && !shadowed && node.missing.length === 0,
      missing: shadowed ? ['id (a catalog file node has the same id)'] : node.missing,
      env: null,
      last_check: row.last_check_at ? { at: row.last_check_at, ok: row.last_check_ok === 1, message: row.last_check_message ?? '' } : null,
      created_at: row.created_at,
      updated_at: row.updated_at,
    };
  }

  private fileView(node: ResolvedNode): ConnectionView {
    return {
      id: node.id,
      object: 'connection',
      source: 'file',
      provider: node.provider,
      name: null,
      base_url: node.credentials.baseUrl ?? null,
      base_url_default: true,
      api_key: { set: Boolean(node.credentials.apiKey), last4: node.credentials.apiKey ? lastFour(node.credentials.apiKey) : null },
      models: node.models,
      concurrency: node.concurrency,
      priority: node.priority,
      weight: node.weight,
      enabled: true,
      configured: node.missing.length === 0,
      missing: node.missing,
      env: this.catalog.envOf(node.id),
      last_check: null,
      created_at: null,
      updated_at: null,
    };
  }
}

const notFound = (id: string) => new AppError(404, 'connection_not_found', `There is no connection '${id}'.`, { param: 'id' });

/** A new `updated_at` that differs from the old one even within the same millisecond (reloads compare it). */
function laterThan(previous: string): string {
  const now = nowIso();
  return now > previous ? now : new Date(Date.parse(previous) + 1).toISOString();
}
