// Every provider adapter the platform knows, by the id nodes name in the catalog.
import { anthropicProvider } from './anthropic/index.js';
import { falProvider } from './fal/index.js';
import { geminiProvider } from './gemini/index.js';
import { ideogramProvider } from './ideogram/index.js';
import { localProvider } from './local/index.js';
import { openaiProvider } from './openai/index.js';
import { deepseekProvider, mistralProvider, moonshotProvider, openaiCompatibleProvider, qwenProvider } from './openai-compatible.js';
import type { OperationName, Provider } from './types.js';

const PROVIDERS: Record<string, Provider> = {
  [localProvider.id]: localProvider,
  [ideogramProvider.id]: ideogramProvider,
  [openaiProvider.id]: openaiProvider,
  [falProvider.id]: falProvider,
  [geminiProvider.id]: geminiProvider,
  [anthropicProvider.id]: anthropicProvider,
  [deepseekProvider.id]: deepseekProvider,
  [qwenProvider.id]: qwenProvider,
  [moonshotProvider.id]: moonshotProvider,
  [mistralProvider.id]: mistralProvider,
  [openaiCompatibleProvider.id]: openaiCompatibleProvider,
};

export const providerIds = Object.keys(PROVIDERS);

export function getProvider(id: string): Provider {
  const provider = PROVIDERS[id];
  if (!provider) throw new Error(`unknown provider '${id}'`);
  return provider;
}

export const providerNeedsCredentials = (id: string) => PROVIDERS[id]?.needsCredentials ?? true;

/** The operations a provider offers (empty for an unknown id), e.g. `['image', 'video', 'music', 'tool']`. */
export function providerOperations(id: string): OperationName[] {
  const operations = PROVIDERS[id]?.operations ?? {};
  return (Object.keys(operations) as OperationName[]).filter((name) => typeof operations[name] === 'function');
}
