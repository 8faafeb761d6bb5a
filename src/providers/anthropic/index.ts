// Anthropic: chat (Messages API).
import type { Provider } from '../types.js';
import { chatWithAnthropic } from './chat.js';

export const anthropicProvider: Provider = {
  id: 'anthropic',
  needsCredentials: true,
  operations: { chat: chatWithAnthropic },
};
