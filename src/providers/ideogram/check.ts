// Ideogram's connection test. Ideogram has no free listing endpoint, so the test sends a generate
// request without a prompt: Ideogram checks the key first, so a known key gets 400 (the request
// is refused for its missing prompt, nothing is generated or paid) and a wrong one 401.
import { checkByRequest } from '../check.js';
import type { CheckOperation } from '../types.js';

export const checkIdeogram: CheckOperation = (credentials, ctx) =>
  checkByRequest(
    {
      name: 'Ideogram',
      url: `${credentials.baseUrl}/v1/ideogram-v4/generate`,
      init: { method: 'POST', headers: { 'Api-Key': credentials.apiKey ?? '' }, body: new FormData() },
      async interpret(res) {
        if (res.status === 400 || res.status === 422)
          return { ok: true, message: 'Connected: Ideogram accepted the key (an empty request was refused for its missing prompt, as expected; nothing was generated).' };
        if (res.ok) return { ok: true, message: 'Connected: Ideogram accepted the key.' };
        return undefined;
      },
    },
    credentials,
    ctx,
  );
