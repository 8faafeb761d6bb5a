// OpenAI's connection test: GET /v1/models lists the models the key may use, and costs nothing.
import { checkByRequest, countListed } from '../check.js';
import type { CheckOperation } from '../types.js';

export const checkOpenAi: CheckOperation = (credentials, ctx) =>
  checkByRequest(
    {
      name: 'OpenAI',
      url: `${credentials.baseUrl}/v1/models`,
      init: { method: 'GET', headers: { Authorization: `Bearer ${credentials.apiKey ?? ''}` } },
      async interpret(res) {
        if (!res.ok) return undefined;
        const n = await countListed(res, 'data');
        return { ok: true, message: `Connected: OpenAI accepted the key${n === undefined ? '' : ` (${n} models listed)`}.` };
      },
    },
    credentials,
    ctx,
  );
