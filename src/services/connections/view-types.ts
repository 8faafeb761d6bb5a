// What the admin pages get for provider connections. Import-free, so the web app shares the types.

/** A connection as the admin pages show it: the key only as its last four characters. */
export interface ConnectionView {
  id: string;
  object: 'connection';
  /** `file`: from the catalog file and the environment, read-only on the admin pages. */
  source: 'file' | 'database';
  provider: string;
  name: string | null;
  base_url: string | null;
  /** Whether `base_url` is the provider's default (none was set for this connection). */
  base_url_default: boolean;
  api_key: { set: boolean; last4: string | null };
  models: string[];
  concurrency: number;
  priority: number;
  weight: number;
  enabled: boolean;
  /** Usable now: enabled, with the credentials its provider needs. */
  configured: boolean;
  /** What is missing (environment variables for file nodes, fields for the others). */
  missing: string[];
  /** Catalog file nodes: the environment variables their credentials come from. */
  env: { api_key: string | null; base_url: string | null } | null;
  last_check: { at: string; ok: boolean; message: string } | null;
  created_at: string | null;
  updated_at: string | null;
}

/** A provider an admin may connect. */
export interface ProviderInfo {
  id: string;
  operations: string[];
  default_base_url: string | null;
  needs_api_key: boolean;
  /** Whether the provider has a connection test. */
  can_test: boolean;
  /** The catalog models a connection of this provider can serve (the catalog check passes). */
  models: string[];
  /** Of those, the ones the catalog file has this provider serve: the usual choice. */
  suggested_models: string[];
}

/** A connection test's result, in words. */
export interface ConnectionTest {
  object: 'connection_test';
  ok: boolean;
  message: string;
  status?: number;
}

/** The first-run checklist of the admin pages. */
export interface SetupChecklist {
  steps: Array<{ id: 'connect_provider' | 'set_price' | 'create_key'; done: boolean }>;
  done: boolean;
}
