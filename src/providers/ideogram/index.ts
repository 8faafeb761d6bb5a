// Ideogram: image generation only.
import type { Provider } from '../types.js';
import { checkIdeogram } from './check.js';
import { generateImage } from './image.js';

export const ideogramProvider: Provider = {
  id: 'ideogram',
  needsCredentials: true,
  operations: { image: generateImage },
  check: checkIdeogram,
};
