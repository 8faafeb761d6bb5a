// Ideogram: image generation only.
import type { Provider } from '../types.js';
import { generateImage } from './image.js';

export const ideogramProvider: Provider = {
  id: 'ideogram',
  needsCredentials: true,
  operations: { image: generateImage },
};
