// OpenAI: images and text-to-speech.
import type { Provider } from '../types.js';
import { generateImage } from './image.js';
import { generateSpeech } from './speech.js';

export const openaiProvider: Provider = {
  id: 'openai',
  needsCredentials: true,
  operations: { image: generateImage, speech: generateSpeech },
};
