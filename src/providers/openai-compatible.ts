// Providers that speak OpenAI's chat-completions shape at their own base URL, served by the one
// OpenAI chat adapter. Their catalog base URL includes the version path (e.g.
// `https://api.deepseek.com/v1`); the adapter appends `/chat/completions`.
import { openAiChat } from './openai/chat.js';
import type { Provider } from './types.js';

function compatible(id: string, name: string): Provider {
  return { id, needsCredentials: true, operations: { chat: openAiChat({ name, path: '/chat/completions', maxTokensField: 'max_tokens' }) } };
}

export const deepseekProvider = compatible('deepseek', 'DeepSeek');
export const qwenProvider = compatible('qwen', 'Qwen');
export const moonshotProvider = compatible('moonshot', 'Moonshot');
export const mistralProvider = compatible('mistral', 'Mistral');
/** Any other OpenAI-compatible endpoint (a self-hosted vLLM, a gateway): set its base URL and key in the catalog. */
export const openaiCompatibleProvider = compatible('openai-compatible', 'OpenAI-compatible upstream');
