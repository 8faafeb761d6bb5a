// Issue 10, finding 9, for Veo (a long-running operation, no idempotency header): the operation's
// name is kept with the task before polling, and the next attempt (after a crash or a shutdown)
// polls that operation instead of starting, and paying for, a second video. An operation Google
// no longer knows is started afresh. Over real HTTP against the fake Gemini API.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { geminiProvider } from '../../src/providers/gemini/index.js';
import { VEO_OPERATION, geminiPollOptions } from '../../src/providers/gemini/video.js';
import type { ProviderContext, VideoOpInput } from '../../src/providers/types.js';
import { contextFor } from '../fakes/http-helpers.js';
import { type FakeGemini, startFakeGemini } from '../fakes/gemini-server.js';

const generate = geminiProvider.operations.video!;
const input: VideoOpInput = {
  taskId: 'task_veo',
  model: 'veo-3.1-fast',
  upstreamModel: 'veo-3.1-fast-generate-preview',
  prompt: 'A hummingbird hovering over a red flower',
  durationS: 4,
  aspectRatio: '16:9',
  width: 1280,
  height: 720,
};

/** What the task runner gives an adapter: values kept on the task row (here a Map that outlives the attempt). */
function taskMemory(store: Map<string, unknown>): Pick<ProviderContext, 'remember' | 'recall'> {
  return {
    remember: async (key, value) => void (value === null ? store.delete(key) : store.set(key, value)),
    recall: (key) => store.get(key),
  };
}

let fake: FakeGemini;
const saved = { ...geminiPollOptions };
before(async () => {
  Object.assign(geminiPollOptions, { initialMs: 2, maxMs: 10 });
  fake = await startFakeGemini();
});
after(async () => {
  Object.assign(geminiPollOptions, saved);
  await fake.close();
});

const starts = () => fake.requests.filter((r) => r.method === 'POST' && r.path.endsWith(':predictLongRunning')).length;

test('an attempt cut short while Veo works resumes the same operation: one video started, not two', async () => {
  const store = new Map<string, unknown>();
  fake.pollsToComplete = 1_000_000;
  const crash = new AbortController();
  const first = generate(input, contextFor(fake, { signal: crash.signal, ...taskMemory(store) }));
  while (fake.polls().length < 2) await new Promise((r) => setImmediate(r));
  crash.abort();
  await assert.rejects(first);
  const kept = store.get(VEO_OPERATION) as { name: string };
  assert.match(kept.name, /^models\/veo-3\.1-fast-generate-preview\/operations\//);

  fake.pollsToComplete = 0;
  const video = await generate(input, contextFor(fake, taskMemory(store)));
  assert.ok(video.data.length > 1000);
  assert.equal(starts(), 1, 'the operation was started once');
  assert.ok(fake.polls().every((p) => p.path === `/v1beta/${kept.name}`), 'every poll was of that operation');
});

test('an operation Google no longer knows (404) is started afresh', async () => {
  const before = starts();
  const store = new Map<string, unknown>([[VEO_OPERATION, { model: input.upstreamModel, name: 'models/veo-3.1-fast-generate-preview/operations/forgotten' }]]);
  fake.pollsToComplete = 0;
  const video = await generate(input, contextFor(fake, taskMemory(store)));
  assert.ok(video.data.length > 1000);
  assert.equal(starts(), before + 1);
  assert.notEqual((store.get(VEO_OPERATION) as { name: string }).name, 'models/veo-3.1-fast-generate-preview/operations/forgotten');
});
