// fal's connection test: the status of a request id that does not exist. fal checks the key
// first, so a known key gets 404 (no such request) and a wrong one 401; nothing is queued or paid.
import { checkByRequest } from '../check.js';
import type { CheckOperation } from '../types.js';
import { FAL } from './queue.js';

const NO_SUCH_REQUEST = '00000000-0000-4000-8000-000000000000';

export const checkFal: CheckOperation = (credentials, ctx) =>
  checkByRequest(
    {
      name: FAL,
      url: `${credentials.baseUrl}/fal-ai/flux/requests/${NO_SUCH_REQUEST}/status`,
      init: { method: 'GET', headers: { Authorization: `Key ${credentials.apiKey ?? ''}` } },
      async interpret(res) {
        if (res.status === 404 || res.ok)
          return { ok: true, message: 'Connected: fal accepted the key (a status check of a made-up request answered as expected; nothing was queued).' };
        return undefined;
      },
    },
    credentials,
    ctx,
  );
