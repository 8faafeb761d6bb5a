// What an admin may send for a provider connection, checked field by field: every problem is a
// 400 naming its parameter. The API key is only ever read here, never echoed back in a message.
import { AppError, invalidParam } from '../../lib/app-error.js';

export const CONNECTION_ID = /^[a-z0-9][a-z0-9_-]*$/;
export const MAX_CONNECTION_MODELS = 200;
const MAX_ID = 64;
const MAX_NAME = 100;
const MAX_KEY = 4096;
const MAX_URL = 500;

/** A change to a connection: a field left out keeps its value (on create: its default). */
export interface ConnectionChange {
  id?: string;
  provider?: string;
  name?: string | null;
  /** null: the provider's default. */
  base_url?: string | null;
  api_key?: string;
  models?: string[];
  concurrency?: number;
  priority?: number;
  weight?: number;
  enabled?: boolean;
}

const CREATE_FIELDS = ['id', 'provider', 'name', 'base_url', 'api_key', 'models', 'concurrency', 'priority', 'weight', 'enabled'] as const;
const UPDATE_FIELDS = ['name', 'base_url', 'api_key', 'models', 'concurrency', 'priority', 'weight', 'enabled'] as const;

function object(raw: unknown): Record<string, unknown> {
  if (raw === undefined || raw === null) return {};
  if (typeof raw !== 'object' || Array.isArray(raw)) throw new AppError(400, 'invalid_request_body', 'The request body must be a JSON object.');
  return raw as Record<string, unknown>;
}

function integer(body: Record<string, unknown>, name: string, min: number, max: number): number | undefined {
  const value = body[name];
  if (value === undefined) return undefined;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) throw invalidParam(name, `'${name}' must be a whole number from ${min} to ${max}.`);
  return value;
}

function text(body: Record<string, unknown>, name: string, max: number): string | undefined {
  const value = body[name];
  if (value === undefined) return undefined;
  if (typeof value !== 'string') throw invalidParam(name, `'${name}' must be a string.`);
  if (value.length > max) throw invalidParam(name, `'${name}' may be at most ${max} characters.`);
  return value;
}

/** An http(s) URL without credentials, query or fragment, trailing slashes dropped. */
export function checkBaseUrl(raw: string): string {
  let url: URL;
  try {
    url = new URL(raw.trim());
  } catch {
    throw invalidParam('base_url', "'base_url' must be an http:// or https:// URL.");
  }
  if (!['http:', 'https:'].includes(url.protocol)) throw invalidParam('base_url', "'base_url' must be an http:// or https:// URL.");
  if (url.username || url.password || url.search || url.hash)
    throw invalidParam('base_url', "'base_url' must not hold a user name, password, query or fragment (put the key in 'api_key').");
  return url.toString().replace(/\/+$/, '');
}

/** Reads a create (`update: false`) or update body; unknown fields are refused. */
export function readConnectionChange(raw: unknown, update: boolean): ConnectionChange {
  const body = object(raw);
  const allowed: readonly string[] = update ? UPDATE_FIELDS : CREATE_FIELDS;
  for (const name of Object.keys(body))
    if (!allowed.includes(name))
      throw invalidParam(name, name === 'provider' || name === 'id' ? `'${name}' cannot be changed: add a new connection instead.` : `Unknown parameter '${name}'. Accepted: ${allowed.join(', ')}.`, 'unknown_parameter');
  const change: ConnectionChange = {};

  const id = text(body, 'id', MAX_ID);
  if (id !== undefined) {
    if (!CONNECTION_ID.test(id)) throw invalidParam('id', "'id' may hold lower-case letters, digits, '-' and '_', and starts with a letter or digit.");
    change.id = id;
  }
  const provider = text(body, 'provider', 64);
  if (!update && !provider) throw invalidParam('provider', "'provider' is required.", 'missing_parameter');
  if (provider !== undefined) change.provider = provider;

  if (body.name === null) change.name = null;
  else {
    const name = text(body, 'name', MAX_NAME)?.trim();
    if (name !== undefined) change.name = name || null;
  }

  if (body.base_url === null || body.base_url === '') change.base_url = null;
  else {
    const url = text(body, 'base_url', MAX_URL);
    if (url !== undefined) change.base_url = checkBaseUrl(url);
  }

  if (body.api_key !== undefined) {
    const key = text(body, 'api_key', MAX_KEY)?.trim();
    if (!key) throw invalidParam('api_key', "'api_key' must not be empty (leave it out to keep the stored key).");
    if (/\s/.test(key)) throw invalidParam('api_key', "'api_key' must not contain spaces or line breaks.");
    change.api_key = key;
  }

  if (body.models !== undefined) {
    const models = body.models;
    if (!Array.isArray(models) || models.length === 0 || models.length > MAX_CONNECTION_MODELS || !models.every((m) => typeof m === 'string' && m.length > 0 && m.length <= 200))
      throw invalidParam('models', `'models' must be a list of 1 to ${MAX_CONNECTION_MODELS} model ids.`);
    change.models = [...new Set(models as string[])];
  } else if (!update) throw invalidParam('models', "'models' is required: the models this connection serves.", 'missing_parameter');

  change.concurrency = integer(body, 'concurrency', 1, 1000);
  change.priority = integer(body, 'priority', -1000, 1000);
  change.weight = integer(body, 'weight', 1, 1000);
  if (body.enabled !== undefined) {
    if (typeof body.enabled !== 'boolean') throw invalidParam('enabled', "'enabled' must be true or false.");
    change.enabled = body.enabled;
  }
  for (const key of Object.keys(change) as Array<keyof ConnectionChange>) if (change[key] === undefined) delete change[key];
  return change;
}
