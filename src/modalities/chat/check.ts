// The catalog's start-up check of a chat model (src/catalog-rules.ts asks here for type 'chat').
import Value from 'typebox/value';
import type { ModelConfig } from '../../config/catalog-schema.js';
import { ChatParamsSchema, checkChatParams } from './params.js';

export function checkChatModel(model: ModelConfig): { problems: string[]; operation?: string } {
  if (!Value.Check(ChatParamsSchema, model.params))
    return { problems: [...Value.Errors(ChatParamsSchema, model.params)].slice(0, 10).map((e) => `/params${e.instancePath}: ${e.message}`) };
  const problems = checkChatParams(model);
  return { problems, operation: problems.length ? undefined : 'chat' };
}
