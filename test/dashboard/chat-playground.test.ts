// The chat playground's dashboard route over real HTTP on SQLite and PostgreSQL: a chat completion
// on the session with a key chosen by id (no secret in the browser), streamed in OpenAI's chunks
// by the same sinks as /v1/chat/completions; a test key gets aio-echo for free; a live key is
// billed exactly its usage times the price through the ledger (fake OpenAI chat upstream written
// from the contract); the key's rules and the session's protections apply.
import assert from 'node:assert/strict';
import { after, afterEach, before, describe, test } from 'node:test';
import { MICRO } from '../../src/lib/credits.js';
import { assertLedgerMatches, finishedRow, startChatRig, type ChatRig } from '../chat/rig.js';
import { expectError } from '../helpers/assert-error.js';
import { signUp } from '../helpers/dashboard.js';
import { dbTargets, dropCreatedDatabases } from '../helpers/databases.js';

after(dropCreatedDatabases);

// gpt-4.1-mini in micro-credits per token (credits per million tokens = micro-credits per token).
const MINI = { input: 40, cached: 10, output: 160 };
const MESSAGES = [
  { role: 'system', content: 'Answer in one sentence.' },
  { role: 'user', content: 'What does the playground do?' },
];

/** The `data:` payloads of an SSE body, in order. */
function sseData(text: string): string[] {
  return text
    .split('\n\n')
    .map((block) => block.split('\n').filter((l) => l.startsWith('data: ')).map((l) => l.slice(6)).join('\n'))
    .filter(Boolean);
}

/** The streamed answer: its text, its chunks with content, the usage chunk, and whether it ended with [DONE]. */
function readStream(text: string) {
  const data = sseData(text);
  const chunks = data.filter((d) => d !== '[DONE]').map((d) => JSON.parse(d));
  const contents = chunks.map((c) => c.choices?.[0]?.delta?.content).filter((c): c is string => typeof c === 'string' && c !== '');
  return { chunks, contents, answer: contents.join(''), usage: chunks.find((c) => c.usage)?.usage, done: data.at(-1) === '[DONE]' };
}

for (const target of await dbTargets()) {
  describe(`dashboard chat playground on ${target.name}`, { skip: target.skip }, () => {
    let rig: ChatRig;
    const accounts: { userId: string; keyId: string }[] = [];
    before(async () => {
      rig = await startChatRig(await target.create());
    });
    after(() => rig?.close());
    afterEach(async () => {
      for (const a of accounts.splice(0)) await assertLedgerMatches(rig.server, a);
      rig.resetFakes();
    });

    const grant = (userId: string, credits: number) => rig.server.platform.ledger.credit(userId, credits * MICRO, 'grant', 'welcome');

    test('a test key streams aio-echo’s answer on the session, token by token, free, with the prompt’s count up front', async () => {
      const browser = await signUp(rig.server);
      const { body: key } = await browser.post('/api/account/keys', { name: 'chat', test: true });
      accounts.push({ userId: browser.userId, keyId: key.id });
      const res = await browser.post(`/api/account/playground/chat?key_id=${key.id}`, { model: 'gpt-4.1-mini', messages: MESSAGES, stream: true, stream_options: { include_usage: true } });
      assert.equal(res.status, 200, res.text);
      assert.match(res.headers.get('content-type') ?? '', /^text\/event-stream/);
      const stream = readStream(res.text);
      assert.ok(stream.done, 'the stream ends with [DONE]');
      assert.match(stream.answer, /^Echo from aio-echo \(as gpt-4\.1-mini\): I received 1 message and a system prompt of 23 characters\. Your last user message says: "What does the playground do\?"\.$/);
      assert.ok(stream.contents.length > 10, `streamed in pieces: ${stream.contents.length}`);
      assert.equal(stream.usage.completion_tokens, stream.contents.length, 'one chunk per token');
      const row = await finishedRow(rig.server, browser.userId);
      assert.equal(res.headers.get('aio-chat-id'), row.id);
      assert.equal(Number(res.headers.get('aio-prompt-tokens')), row.prompt_tokens_counted);
      assert.equal(stream.usage.prompt_tokens, row.prompt_tokens_counted, 'aio-echo counts the prompt as the server did');
      assert.equal(Number(res.headers.get('aio-max-output-tokens')), 32768);
      assert.deepEqual([row.livemode, row.api_key_id, row.charged_micro, row.end_reason, row.stream], [0, key.id, 0, 'stop', 1]);
      assert.equal((await browser.get('/api/account')).body.balance, 0);
      // The same request unstreamed: one chat.completion.
      const whole = await browser.post(`/api/account/playground/chat?key_id=${key.id}`, { model: 'aio-echo', messages: MESSAGES, max_tokens: 5 });
      assert.equal(whole.status, 200, whole.text);
      assert.equal(whole.body.object, 'chat.completion');
      assert.equal(whole.body.choices[0].finish_reason, 'length');
      assert.equal(whole.body.usage.completion_tokens, 5);
      assert.equal(rig.openai.apiRequests().length, 0, 'a test key never reaches the upstream');
    });

    test('a live key is billed exactly its usage times the price, through the ledger, and shows in usage', async () => {
      rig.openai.cachedTokens = 4;
      const browser = await signUp(rig.server);
      await grant(browser.userId, 50);
      const { body: key } = await browser.post('/api/account/keys', { name: 'live chat' });
      accounts.push({ userId: browser.userId, keyId: key.id });
      const res = await browser.post(`/api/account/playground/chat?key_id=${key.id}`, { model: 'gpt-4.1-mini', messages: MESSAGES, stream: true, stream_options: { include_usage: true } });
      assert.equal(res.status, 200, res.text);
      const stream = readStream(res.text);
      assert.equal(stream.answer, rig.openai.reply);
      const upstream = rig.openai.usages[0]!;
      assert.deepEqual(stream.usage, upstream, 'the page sees the upstream’s usage');
      const cost = (upstream.prompt_tokens - 4) * MINI.input + 4 * MINI.cached + upstream.completion_tokens * MINI.output;
      const row = await finishedRow(rig.server, browser.userId);
      assert.deepEqual([row.livemode, row.api_key_id, row.node, row.end_reason, row.usage_source], [1, key.id, 'node110', 'stop', 'upstream']);
      assert.equal(row.charged_micro, cost);
      const { balance, reserved } = await rig.server.platform.ledger.balances(browser.userId);
      assert.deepEqual({ balance, reserved }, { balance: 50 * MICRO - cost, reserved: 0 });
      const entries = await rig.server.platform.db.selectFrom('ledger_entries').selectAll().where('task_id', '=', row.id).orderBy('id').execute();
      assert.deepEqual(
        entries.map((e) => [e.kind, e.api_key_id]),
        [
          ['hold', key.id],
          ['capture', key.id],
          ['release', key.id],
        ],
      );
      assert.equal(entries.find((e) => e.kind === 'capture')!.reserved_delta, -cost);
      assert.equal((await browser.get('/api/account/keys')).body.data.find((k: { id: string }) => k.id === key.id).spent, cost / MICRO);
      const usage = (await browser.get('/api/account/usage?days=1')).body;
      assert.deepEqual(usage.chat.recent.map((r: { id: string; api_key_id: string; output_tokens: number }) => [r.id, r.api_key_id, r.output_tokens]), [[row.id, key.id, upstream.completion_tokens]]);
      assert.equal(usage.chat.by_model[0].credits, cost / MICRO);
    });

    test('the key’s rules and the session’s protections apply; a refusal sends nothing upstream', async () => {
      const browser = await signUp(rig.server);
      const { body: live } = await browser.post('/api/account/keys', { name: 'broke' });
      accounts.push({ userId: browser.userId, keyId: live.id });
      const body = { model: 'gpt-4.1-mini', messages: MESSAGES, stream: true };
      expectError(await browser.post(`/api/account/playground/chat?key_id=${live.id}`, body), 402, 'insufficient_credits');
      expectError(await browser.post(`/api/account/playground/chat?key_id=${live.id}`, { ...body, max_tokens: 100 }), 402, 'insufficient_credits', 'max_tokens');
      assert.equal(rig.openai.apiRequests().length, 0, 'nothing went upstream');

      const { body: only } = await browser.post('/api/account/keys', { test: true, allowed_models: ['aio-echo'] });
      expectError(await browser.post(`/api/account/playground/chat?key_id=${only.id}`, body), 403, 'model_not_allowed', 'model');
      expectError(await browser.post(`/api/account/playground/chat?key_id=${only.id}`, { ...body, model: 'aio-poster' }), 400, 'model_not_found', 'model');
      expectError(await browser.post(`/api/account/playground/chat?key_id=${only.id}`, { ...body, colour: 'red' }), 400, 'unknown_parameter', 'colour');
      expectError(await browser.post('/api/account/playground/chat', body), 400, 'missing_parameter');
      await browser.post(`/api/account/keys/${only.id}/revoke`);
      expectError(await browser.post(`/api/account/playground/chat?key_id=${only.id}`, { ...body, model: 'aio-echo' }), 409, 'api_key_revoked', 'key_id');

      const stranger = await signUp(rig.server);
      expectError(await stranger.post(`/api/account/playground/chat?key_id=${live.id}`, body), 400, 'invalid_parameter', 'key_id');
      expectError(await browser.post(`/api/account/playground/chat?key_id=${live.id}`, body, { csrf: false }), 403, 'csrf_failed');
      const signedOut = await fetch(`${rig.server.url}/api/account/playground/chat?key_id=${live.id}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
      assert.equal(signedOut.status, 401);
      assert.equal(((await signedOut.json()) as { error: { code: string } }).error.code, 'not_signed_in');
    });
  });
}
