// Google's Gemini API: Veo video generation.
import type { Provider } from '../types.js';
import { checkGemini } from './check.js';
import { generateVideo } from './video.js';

export const geminiProvider: Provider = {
  id: 'gemini',
  needsCredentials: true,
  operations: { video: generateVideo },
  check: checkGemini,
};
