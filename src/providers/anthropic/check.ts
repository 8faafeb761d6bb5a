// Anthropic's connection test: GET /v1/models lists the models the key may use, and costs nothing.
import { checkByRequest, countListed } from '../check.js';
import type { CheckOperation } from '../types.js';
import { ANTHROPIC_VERSION } from './chat.js';

export const checkAnthropic: CheckOperation = (credentials, ctx) =>
  checkByRequest(
    {
      name: 'Anthropic',
      url: `${credentials.baseUrl}/v1/models`,
      init: { method: 'GET', headers: { 'x-api-key': credentials.apiKey ?? '', 'anthropic-version': ANTHROPIC_VERSION } },
      async interpret(res) {
        if (!res.ok) return undefined;
        const n = await countListed(res, 'data');
        return { ok: true, message: `Connected: Anthropic accepted the key${n === undefined ? '' : ` (${n} models listed)`}.` };
      },
    },
    credentials,
    ctx,
  );
