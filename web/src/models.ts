// The public model list, fetched once per page load and shared by every page that needs it.
import { publicApi } from './api';
import { useAsync } from './hooks';
import type { Model } from './types';

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

/** The request body the model page and playground show: the model's own defaults. */
export function defaultBody(model: Model, prompt = model.example_prompt): Record<string, unknown> {
  const body: Record<string, unknown> = { model: model.id, prompt };
  for (const p of model.parameters) if (p.name !== 'model' && p.name !== 'prompt' && p.default !== undefined) body[p.name] = p.default;
  return body;
}
