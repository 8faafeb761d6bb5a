// fal: every operation goes through its queue (queue.ts).
import type { Provider } from '../types.js';
import { checkFal } from './check.js';
import { generateImage } from './image.js';
import { generateMusic } from './music.js';
import { runTool } from './tool.js';
import { generateVideo } from './video.js';

export const falProvider: Provider = {
  id: 'fal',
  needsCredentials: true,
  operations: { image: generateImage, video: generateVideo, music: generateMusic, tool: runTool },
  check: checkFal,
};
