// GET /api/v1/tasks/{id}/events: Server-Sent Events of a task's status changes and progress,
// ending with the finished task; `Last-Event-ID` resumes after an event; heartbeats keep an idle
// stream open; a key sees only its own mode's tasks. The dashboard has the same stream.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { TaskRow } from '../../src/services/tasks.js';
import { expectError } from '../helpers/assert-error.js';
import { Browser, signUp } from '../helpers/dashboard.js';
import { dbTargets, dropCreatedDatabases } from '../helpers/databases.js';
import { startTestServer, type TestServer } from '../helpers/server.js';
import { openSse } from './sse-client.js';

after(dropCreatedDatabases);

for (const target of await dbTargets()) {
  describe(`task event streams on ${target.name}`, { skip: target.skip }, () => {
    let server: TestServer;
    let key: string;
    const follow = (id: string, headers: Record<string, string> = {}, k = key) => openSse(`${server.url}/api/v1/tasks/${id}/events`, { authorization: `Bearer ${k}`, ...headers });

    /** A test-mode task that is made but never dispatched: the test moves it along by hand. */
    async function heldTask(): Promise<TaskRow> {
      const { user, key: record } = await server.platform.keys.authenticate(key);
      const model = server.platform.catalog.model('aio-poster')!;
      return server.platform.tasks.create({ user, key: record, type: 'image', model: model.id, input: { model: model.id, prompt: 'held' }, price: { unit: 'image', rate: 'base', unit_price_micro: 0, quantity: 1 } });
    }

    before(async () => {
      server = await startTestServer({ databaseUrl: await target.create(), env: { AIO_SSE_HEARTBEAT_MS: '100' } });
      ({ key } = await server.account({ test: true }));
    });
    after(() => server?.close());

    test('status changes and progress arrive as they happen, then the finished task ends the stream', async () => {
      const task = await heldTask();
      const stream = await follow(task.id);
      assert.equal(stream.status, 200);
      assert.match(stream.headers.get('content-type')!, /^text\/event-stream/);
      await stream.until((s) => s.events.length === 1 && s.comments.includes('heartbeat'));
      assert.deepEqual(stream.events[0], { id: '1', event: 'queued', data: { ...stream.events[0]!.data, task_id: task.id, seq: 1, type: 'queued', status: 'queued', progress: null } });

      await server.platform.tasks.claim(task.id, 'local', 60_000);
      await stream.until((s) => s.events.length === 2);
      await server.platform.tasks.setProgress(task.id, 40);
      await stream.until((s) => s.events.length === 3);
      assert.equal(await server.platform.tasks.succeed(task.id, { images: [] }), true);
      await stream.ended;

      assert.deepEqual(stream.events.map((e) => [e.id, e.event]), [['1', 'queued'], ['2', 'running'], ['3', 'progress'], ['4', 'succeeded']]);
      assert.equal(stream.events[1]!.data.status, 'running');
      assert.equal(stream.events[2]!.data.progress, 40);
      const final = stream.events[3]!.data;
      assert.equal(final.object, 'task');
      assert.equal(final.id, task.id);
      assert.equal(final.status, 'succeeded');
      assert.deepEqual(final, (await server.api('GET', `/api/v1/tasks/${task.id}`, { key })).body, 'the final event is the task as GET shows it');

      // Resuming: only what came after the given event, then the end.
      const resumed = await follow(task.id, { 'last-event-id': '2' });
      await resumed.ended;
      assert.deepEqual(resumed.events.map((e) => [e.id, e.event]), [['3', 'progress'], ['4', 'succeeded']]);
      assert.equal(resumed.events[1]!.data.status, 'succeeded');
      // A client that already has the end gets nothing more.
      const done = await follow(task.id, { 'last-event-id': '4' });
      await done.ended;
      assert.deepEqual(done.events, []);
    });

    test('a canceled task ends its stream with the canceled task', async () => {
      const task = await heldTask();
      const stream = await follow(task.id);
      await stream.until((s) => s.events.length === 1);
      const canceled = await server.api('POST', `/api/v1/tasks/${task.id}/cancel`, { key });
      assert.equal(canceled.status, 200);
      await stream.ended;
      assert.deepEqual(stream.events.map((e) => e.event), ['queued', 'canceled']);
      assert.equal(stream.events[1]!.data.status, 'canceled');
      assert.equal(stream.events[1]!.data.error.code, 'canceled');
    });

    test('a real generation: queued, running, then the succeeded task with its image URL', async () => {
      const created = await server.api('POST', '/api/v1/images/generations', { key, body: { model: 'aio-poster', prompt: 'A poster reading "STREAM"' } });
      assert.equal(created.status, 202);
      const stream = await follow(created.body.id);
      await stream.ended;
      const types = stream.events.map((e) => e.event).filter((t) => t !== 'progress');
      assert.deepEqual(types, ['queued', 'running', 'succeeded']);
      const ids = stream.events.map((e) => Number(e.id));
      assert.deepEqual(ids, [...ids].sort((a, b) => a - b));
      const image = await fetch(stream.events.at(-1)!.data.output.images[0].url);
      assert.equal(image.headers.get('content-type'), 'image/png');
    });

    test("another mode's or another account's task is not found; a bad Last-Event-ID is a 400", async () => {
      const task = await heldTask();
      const live = await server.account({});
      expectError(await server.api('GET', `/api/v1/tasks/${task.id}/events`, { key: live.key }), 404, 'task_not_found');
      const other = await server.account({ test: true });
      expectError(await server.api('GET', `/api/v1/tasks/${task.id}/events`, { key: other.key }), 404, 'task_not_found');
      expectError(await server.api('GET', `/api/v1/tasks/${task.id}/events`, { key, headers: { 'last-event-id': 'abc' } }), 400, 'invalid_parameter', 'Last-Event-ID');
      expectError(await server.api('GET', `/api/v1/tasks/${task.id}/events`), 401, 'missing_api_key');
    });

    test('the dashboard follows a task of the signed-in user', async () => {
      const browser = await signUp(server);
      const { key: userKey } = await server.platform.keys.create(browser.userId, { test: true });
      const created = await server.api('POST', '/api/v1/images/generations', { key: userKey, body: { model: 'aio-poster', prompt: 'A poster reading "DASH"' } });
      const cookie = [...browser.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
      const stream = await openSse(`${server.url}/api/account/tasks/${created.body.id}/events`, { cookie });
      assert.equal(stream.status, 200);
      await stream.ended;
      assert.equal(stream.events.at(-1)!.event, 'succeeded');
      assert.equal(stream.events.at(-1)!.data.id, created.body.id);
      const stranger = await signUp(server);
      const refused = await stranger.get(`/api/account/tasks/${created.body.id}/events`);
      assert.equal(refused.status, 404);
      assert.equal((await new Browser(server.url).get(`/api/account/tasks/${created.body.id}/events`)).status, 401);
    });
  });
}

test('a server that stops ends its open streams (a client resumes elsewhere with Last-Event-ID)', { timeout: 30_000 }, async () => {
  const server = await startTestServer();
  const { key } = await server.account({ test: true });
  const { user, key: record } = await server.platform.keys.authenticate(key);
  const task = await server.platform.tasks.create({ user, key: record, type: 'image', model: 'aio-poster', input: { model: 'aio-poster' }, price: { unit: 'image', rate: 'base', unit_price_micro: 0, quantity: 1 } });
  const stream = await openSse(`${server.url}/api/v1/tasks/${task.id}/events`, { authorization: `Bearer ${key}` });
  await stream.until((s) => s.events.length === 1);
  await server.close();
  await stream.ended;
  assert.deepEqual(stream.events.map((e) => e.event), ['queued']);
});
