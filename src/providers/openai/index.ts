// OpenAI: images, text-to-speech and chat.
import type { Provider } from '../types.js';
import { chatWithOpenAi } from './chat.js';
import { checkOpenAi } from './check.js';
import { generateImage } from './image.js';
import { generateSpeech } from './speech.js';

export const openaiProvider: Provider = {
  id: 'openai',
  needsCredentials: true,
  operations: { image: generateImage, speech: generateSpeech, chat: chatWithOpenAi },
  check: checkOpenAi,
};
