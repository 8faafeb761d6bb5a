// The operations of the OpenAPI document, and the group each belongs to on the docs page.
import type { OpenApiDocument } from '../../api';
import type { Operation } from './examples';
import { GROUP_ORDER } from './texts';

/** Which group a route belongs to: its tag, else by its path. */
export function groupOf(o: Operation): string {
  const tag = o.op.tags?.[0];
  if (tag && GROUP_ORDER.includes(tag)) return tag;
  if (o.path.startsWith('/api/v1/tasks')) return 'tasks';
  if (o.path.startsWith('/api/v1/files')) return 'files';
  if (o.path.startsWith('/api/v1/admin')) return 'admin';
  if (o.path.startsWith('/api/v1/models') || o.path === '/api/v1/openapi.json') return 'catalog';
  return 'other';
}


export function operations(doc: OpenApiDocument): Operation[] {
  return Object.entries(doc.paths).flatMap(([path, ops]) => Object.entries(ops).map(([method, op]) => ({ method, path, op })));
}

