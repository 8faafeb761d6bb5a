// Anthropic: chat (Messages API).
import type { Provider } from '../types.js';
import { chatWithAnthropic } from './chat.js';
import { checkAnthropic } from './check.js';

export const anthropicProvider: Provider = {
  id: 'anthropic',
  needsCredentials: true,
  operations: { chat: chatWithAnthropic },
  check: checkAnthropic,
};
