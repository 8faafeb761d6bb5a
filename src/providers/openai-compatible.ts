// Providers that speak OpenAI's chat-completions shape at their own base URL, served by the one
// OpenAI chat adapter. Their catalog base URL includes the version path (e.g.
// `https://api.deepseek.com/v1`); the adapter appends `/chat/completions`.
import { openAiChat } from './openai/chat.js';
import { checkByRequest, countListed } from './check.js';
import type { CheckOperation, Provider } from './types.js';

function compatible(id: string, name: string): Provider {
  return { id, needsCredentials: true, operations: { chat: openAiChat({ name, path: '/chat/completions', maxTokensField: 'max_tokens' }) }, check: checkModelsList(name) };
}

/** The connection test of OpenAI-compatible APIs: GET {base}/models, free. */
function checkModelsList(name: string): CheckOperation {
  return (credentials, ctx) =>
    checkByRequest(
      {
        name,
        url: `${credentials.baseUrl}/models`,
        init: { method: 'GET', headers: { Authorization: `Bearer ${credentials.apiKey ?? ''}` } },
        async interpret(res) {
          if (!res.ok) return undefined;
          const n = await countListed(res, 'data');
          return { ok: true, message: `Connected: ${name} accepted the key${n === undefined ? '' : ` (${n} models listed)`}.` };
        },
      },
      credentials,
      ctx,
    );
}

export const deepseekProvider = compatible('deepseek', 'DeepSeek');
export const qwenProvider = compatible('qwen', 'Qwen');
export const moonshotProvider = compatible('moonshot', 'Moonshot');
export const mistralProvider = compatible('mistral', 'Mistral');
/** Any other OpenAI-compatible endpoint (a self-hosted vLLM, a gateway): set its base URL and key in the catalog. */
export const openaiCompatibleProvider = compatible('openai-compatible', 'OpenAI-compatible upstream');
