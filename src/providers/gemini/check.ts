// Gemini's connection test: GET /v1beta/models lists the models the key may use, and costs
// nothing. Google answers an unknown key with 400 API_KEY_INVALID, a missing one with 403.
import { checkByRequest, countListed } from '../check.js';
import type { CheckOperation } from '../types.js';
import { GEMINI, classifyGeminiError } from './client.js';

export const checkGemini: CheckOperation = (credentials, ctx) =>
  checkByRequest(
    {
      name: GEMINI,
      url: `${credentials.baseUrl}/v1beta/models`,
      init: { method: 'GET', headers: { 'x-goog-api-key': credentials.apiKey ?? '' } },
      async interpret(res) {
        if (res.ok) {
          const n = await countListed(res, 'models');
          return { ok: true, message: `Connected: Gemini accepted the key${n === undefined ? '' : ` (${n} models listed)`}.` };
        }
        if (res.status === 400 && classifyGeminiError(400, await res.text().catch(() => ''), credentials.apiKey).code === 'upstream_auth_failed')
          return { ok: false, message: 'Gemini refused the key (400 API_KEY_INVALID). Check that it is right and active.' };
        return undefined;
      },
    },
    credentials,
    ctx,
  );
