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

/** The modalities in the order pages list them. */
export const MODALITY_TYPES: ModalityType[] = ['image', 'video', 'audio', 'tool'];

/** Models grouped by type, in MODALITY_TYPES order (types without models left out). */
export function byType(models: Model[]): [ModalityType, Model[]][] {
  return MODALITY_TYPES.map((type) => [type, models.filter((m) => m.type === type)] as [ModalityType, Model[]]).filter(([, list]) => list.length > 0);
}
