// Every provider adapter the platform knows, by the id nodes name in the catalog.
import { falProvider } from './fal/index.js';
import { ideogramProvider } from './ideogram/index.js';
import { localProvider } from './local/index.js';
import { openaiProvider } from './openai/index.js';
import type { Provider } from './types.js';

const PROVIDERS: Record<string, Provider> = {
  [localProvider.id]: localProvider,
  [ideogramProvider.id]: ideogramProvider,
  [openaiProvider.id]: openaiProvider,
  [falProvider.id]: falProvider,
};

export const providerIds = Object.keys(PROVIDERS);

export function getProvider(id: string): Provider {
  const provider = PROVIDERS[id];
  if (!provider) throw new Error(`unknown provider '${id}'`);
  return provider;
}

export const providerNeedsCredentials = (id: string) => PROVIDERS[id]?.needsCredentials ?? true;
