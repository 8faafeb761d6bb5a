// The local renderer: draws a poster from the prompt on this machine. Serves `aio-poster`
// and every test-mode task, so integrations work offline and free.
import type { Provider } from '../types.js';
import { renderPoster } from './render-poster.js';

/** A stable seed for a prompt when the client gave none, so the same request looks the same. */
function seedFor(prompt: string): number {
  let h = 2166136261;
  for (let i = 0; i < prompt.length; i++) h = Math.imul(h ^ prompt.charCodeAt(i), 16777619);
  return (h >>> 0) % 2147483648;
}

export const localProvider: Provider = {
  id: 'local',
  needsCredentials: false,
  async generate(input) {
    const seed = input.seed ?? seedFor(input.prompt);
    const data = await renderPoster({ prompt: input.prompt, seed, width: input.width, height: input.height });
    return [{ data, seed }];
  },
};
