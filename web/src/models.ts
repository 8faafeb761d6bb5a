// The public model list, fetched once per page load and shared by every page that needs it.
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

/** Models grouped by type, in `typesOf` order. */
export function byType(models: Model[]): [string, Model[]][] {
  return typesOf(models).map((type) => [type, models.filter((m) => m.type === type)]);
}
