// The public model list, fetched once per page load and shared by every page that needs it.
import './i18n/en-models';
import { publicApi } from './api';
import { useAsync } from './hooks';
import type { ModalityType, Model } from './types';

let cache: Promise<Model[]> | null = null;

export function loadModels(): Promise<Model[]> {
  cache ??= publicApi.models().then(
    (r) => r.data,
    (err) => {
      cache = null;
      throw err;
    },
  );
  return cache;
}

export function useModels() {
  return useAsync(loadModels, []);
}

/** The task modalities, in the order pages list them; the playground runs exactly these. */
export const MODALITY_TYPES: ModalityType[] = ['image', 'video', 'audio', 'tool'];

export const isTaskModel = (m: Model): boolean => (MODALITY_TYPES as string[]).includes(m.type);

/** Every type the models have: the task modalities in their order, then any other (e.g. chat). */
export function typesOf(models: Model[]): string[] {
  const present = new Set(models.map((m) => m.type as string));
  return [...MODALITY_TYPES.filter((t) => present.has(t)), ...[...present].filter((t) => !(MODALITY_TYPES as string[]).includes(t)).sort()];
}

/** Models grouped by type, in `typesOf` order; within a type, those that run live first. */
export function byType(models: Model[]): [string, Model[]][] {
  return typesOf(models).map((type) => [type, liveFirst(models.filter((m) => m.type === type))]);
}

/**
 * What a customer can do with a model on this server: `live` (a live key runs it now) or
 * `test_only` (no upstream is set up or it is paused: test keys still run it on the built-in
 * engine). From the catalog's `available` flag.
 */
export type ModelState = 'live' | 'test_only';

export const modelState = (m: Pick<Model, 'available'>): ModelState => (m.available ? 'live' : 'test_only');

/** The same models, those that run live first (otherwise in catalog order). */
export function liveFirst<T extends Pick<Model, 'available'>>(models: T[]): T[] {
  return [...models.filter((m) => m.available), ...models.filter((m) => !m.available)];
}
