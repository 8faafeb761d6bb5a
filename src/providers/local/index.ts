// The local engines: they serve the aio-* models and every test-mode task and chat request, so
// integrations work offline and free, with real media.
import type { Provider } from '../types.js';
import { chatLocally } from './chat.js';
import { drawLocally } from './image.js';
import { composeLocally } from './tune/index.js';
import { toolLocally } from './tool.js';
import { animateLocally } from './video.js';
import { speakLocally } from './voice.js';

export const localProvider: Provider = {
  id: 'local',
  needsCredentials: false,
  operations: { image: drawLocally, video: animateLocally, speech: speakLocally, music: composeLocally, tool: toolLocally, chat: chatLocally },
};
