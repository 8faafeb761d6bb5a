// What every OpenAI call shares: the name in messages and Bearer auth on a JSON body. OpenAI
// documents no idempotency header for these endpoints: none is sent.
import type { ProviderContext } from '../types.js';

export const NAME = 'OpenAI';

export const openaiHeaders = (ctx: ProviderContext) => ({ Authorization: `Bearer ${ctx.credentials.apiKey ?? ''}`, 'Content-Type': 'application/json' });
