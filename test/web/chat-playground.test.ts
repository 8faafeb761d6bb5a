// The chat playground in a real browser against the real server: a newcomer signs up, makes a
// test key with one click and gets aio-echo's answer streamed in on the session, with the token
// counts the server recorded and no secret in the browser; the conversation goes on turn by turn.
// Then a live key against a fake OpenAI chat upstream (written from the contract, slowed down):
// the answer is seen while it is being written, with the tokens and the cost so far, and at the
// end the page shows exactly what the ledger charged, and the balance after.
import assert from 'node:assert/strict';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { MICRO } from '../../src/lib/credits.js';
import { assertLedgerMatches, finishedRow, startChatRig, type ChatRig } from '../chat/rig.js';
import { tempDir } from '../helpers/databases.js';
import { launch, newContext, shot, storedSecrets, watchErrors } from './browser.js';

describe('the chat playground', () => {
  let rig: ChatRig;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  let errors: string[];
  const email = `chatter-${Date.now()}@example.com`;
  let userId = '';

  before(async () => {
    rig = await startChatRig(path.join(tempDir(), 'aio.sqlite'));
    browser = await launch();
    context = await newContext(browser, rig.server.url);
    page = await context.newPage();
    errors = watchErrors(page);
  });
  after(async () => {
    await browser?.close();
    await rig?.close();
  });

  const text = (testId: string) => page.getByTestId(testId).innerText();
  /** Polls `get` until it gives a value (at most 15 s). */
  const until = async <T>(get: () => Promise<T | undefined>): Promise<T> => {
    for (const deadline = Date.now() + 15_000; Date.now() < deadline; await new Promise((r) => setTimeout(r, 50))) {
      const v = await get();
      if (v !== undefined) return v;
    }
    throw new Error('timed out waiting');
  };
  const digits = (s: string) => Number(s.replace(/[^\d]/g, ''));

  test('a newcomer signs up, makes a test key and gets aio-echo’s answer streamed, with its token counts', async () => {
    await page.goto('/signup');
    await page.getByLabel('Email').fill(email);
    await page.getByLabel('Password').fill('correct horse battery');
    await page.getByRole('button', { name: 'Create account' }).click();
    await page.getByRole('heading', { level: 1, name: 'Welcome' }).waitFor();
    userId = (await rig.server.platform.users.findByEmail(email))!.id;
    await page.getByRole('navigation', { name: 'Dashboard' }).getByRole('link', { name: 'Chat', exact: true }).click();
    await page.getByRole('heading', { level: 1, name: 'Chat playground' }).waitFor();
    await page.getByTestId('no-key').waitFor();
    await page.getByRole('button', { name: 'Create a test key for the playground' }).click();
    await page.getByText('Test key created. Send a message.').waitFor();
    assert.match(await page.getByLabel('API key').locator('option:checked').innerText(), /^Playground · aio_test_\w+… \(Test\)$/);
    // Chat models only, those that run live here first.
    const options = await page.getByLabel('Chat model').locator('option').evaluateAll((os) => os.map((o) => (o as unknown as { value: string }).value));
    assert.ok(['aio-echo', 'gpt-4.1-mini', 'claude-sonnet-4'].every((id) => options.includes(id)), options.join(', '));
    assert.ok(!options.includes('aio-poster'), 'no task models');
    const states = await page.getByLabel('Chat model').locator('option').allInnerTexts();
    assert.ok(states.findIndex((s) => s.endsWith('Test only')) > states.map((s) => s.endsWith('Live')).lastIndexOf(true), states.join(' | '));

    await page.getByLabel('Chat model').selectOption('gpt-4.1-mini');
    assert.equal(await text('chat-price'), '40 credits per million input tokens, 160 per million output tokens');
    await page.getByLabel('System prompt').fill('Answer briefly.');
    await page.getByLabel('Message').fill('What is a token?');
    await page.getByRole('button', { name: 'Send', exact: true }).click();
    await page.getByRole('button', { name: 'Send', exact: true }).waitFor();
    const answer = await text('chat-answer');
    assert.equal(answer, 'Echo from aio-echo (as gpt-4.1-mini): I received 1 message and a system prompt of 15 characters. Your last user message says: "What is a token?".');
    const row = await finishedRow(rig.server, userId);
    assert.deepEqual([row.livemode, row.end_reason, row.model], [0, 'stop', 'gpt-4.1-mini']);
    assert.equal(digits(await text('chat-tokens-in')), row.input_tokens + row.cached_input_tokens);
    assert.equal(digits(await text('chat-tokens-out')), row.output_tokens);
    assert.ok(row.output_tokens > 20, `${row.output_tokens} output tokens`);
    assert.equal(await text('chat-cost'), 'free (test key)');
    assert.match(await text('chat-ttft'), /^\d[\d,]* ms$/);
    await shot(page, 'chat-playground-first-answer');
    // The key's secret never reached this browser.
    assert.deepEqual(await storedSecrets(page), []);
    assert.doesNotMatch(await page.content(), /aio_test_[0-9A-Za-z]{40}/);

    // The conversation goes on: the next request carries both earlier turns.
    await page.getByLabel('Message').fill('And a second question?');
    await page.getByLabel('Message').press('Enter');
    await page.getByTestId('chat-answer').getByText('I received 3 messages').waitFor();
    await page.getByRole('button', { name: 'Send', exact: true }).waitFor();
    assert.equal(await page.locator('.chat-turn').count(), 4);
    assert.match(await page.getByTestId('chat-curl').innerText(), /\/v1\/chat\/completions/);
    assert.deepEqual(errors, []);
  });

  test('a live key: the answer is seen while written, with tokens and cost so far; then exactly what the ledger charged', async () => {
    await rig.server.platform.ledger.credit(userId, 20 * MICRO, 'grant', 'welcome');
    await rig.server.platform.keys.create(userId, { name: 'Live chat' });
    rig.openai.chunkDelay(150);
    await page.reload();
    await page.getByRole('heading', { level: 1, name: 'Chat playground' }).waitFor();
    const live = page.getByLabel('API key').locator('option', { hasText: 'Live chat' });
    await page.getByLabel('API key').selectOption((await live.getAttribute('value'))!);
    await page.getByLabel('Chat model').selectOption('gpt-4.1-mini');
    await page.getByLabel('Message').fill('Tell me about foxes.');
    await page.getByRole('button', { name: 'Send', exact: true }).click();

    // While it is written: part of the answer, a Stop button, tokens and cost so far.
    await page.getByTestId('chat-tokens-out').getByText(/^[1-9]\d* so far$/).waitFor();
    await page.getByRole('button', { name: 'Stop', exact: true }).waitFor();
    const partial = await text('chat-answer');
    assert.ok(partial.length > 0 && rig.openai.reply.startsWith(partial), `a part of the answer: ${partial}`);
    assert.match(await text('chat-tokens-in'), /^about \d+ \(counted before sending\)$/);
    assert.match(await text('chat-cost'), /^about [\d.]+ credits so far$/);
    await shot(page, 'chat-playground-streaming');

    await page.getByRole('button', { name: 'Send', exact: true }).waitFor({ timeout: 30_000 });
    assert.equal(await text('chat-answer'), rig.openai.reply);
    const usage = rig.openai.usages.at(-1)!;
    const row = await finishedRow(rig.server, userId);
    assert.deepEqual([row.livemode, row.end_reason, row.usage_source], [1, 'stop', 'upstream']);
    assert.equal(digits(await text('chat-tokens-in')), usage.prompt_tokens);
    assert.equal(digits(await text('chat-tokens-out')), usage.completion_tokens);
    // The cost shown is the ledger's capture, to the micro-credit.
    const capture = await rig.server.platform.db.selectFrom('ledger_entries').selectAll().where('task_id', '=', row.id).where('kind', '=', 'capture').executeTakeFirstOrThrow();
    assert.equal(-capture.reserved_delta, row.charged_micro);
    assert.equal(await text('chat-cost'), `${(row.charged_micro / MICRO).toLocaleString('en-US', { maximumFractionDigits: 6 })} credits`);
    const { balance } = await rig.server.platform.ledger.balances(userId);
    assert.equal(balance, 20 * MICRO - row.charged_micro);
    await page.getByTestId('chat-balance').getByText(`${(balance / MICRO).toLocaleString('en-US', { maximumFractionDigits: 6 })} credits`).waitFor();
    await shot(page, 'chat-playground-live');

    // Stop mid-answer: what was written stays, and the request is settled by the upstream's final usage.
    rig.openai.chunkDelay(60);
    await page.getByLabel('Message').fill('Once more, please.');
    await page.getByRole('button', { name: 'Send', exact: true }).click();
    await page.getByTestId('chat-tokens-out').getByText(/^[1-9]\d* so far$/).waitFor();
    await page.getByRole('button', { name: 'Stop', exact: true }).click();
    await page.getByTestId('chat-status').getByText('Stopped. What was written until then is charged.').waitFor();
    const kept = await text('chat-answer');
    assert.ok(kept.length > 0 && rig.openai.reply.startsWith(kept), `the part written before Stop stays: ${kept}`);
    const stopped = await until(async () => {
      const r = await finishedRow(rig.server, userId);
      return r.id !== row.id && r.status === 'finished' ? r : undefined;
    });
    assert.deepEqual([stopped.end_reason, stopped.usage_source], ['client_gone', 'upstream']);
    const full = rig.openai.usages.at(-1)!;
    assert.equal(stopped.charged_micro, (full.prompt_tokens * 40 + full.completion_tokens * 160), 'charged the upstream’s whole answer, as it billed');
    await assertLedgerMatches(rig.server, { userId, keyId: stopped.api_key_id! });

    // The usage page lists the request, with its tokens.
    await page.getByRole('navigation', { name: 'Dashboard' }).getByRole('link', { name: 'Usage', exact: true }).click();
    const line = page.getByTestId('chat-usage-table').locator(`tr[data-chat-id="${row.id}"]`);
    await line.getByText(/^Live chat · aio_\w+…$/).waitFor();
    assert.match(await line.innerText(), new RegExp(`gpt-4\\.1-mini[\\s\\S]*Live chat[\\s\\S]*${usage.prompt_tokens} / ${usage.completion_tokens}`));
    await shot(page, 'chat-usage');
    assert.deepEqual(errors, []);
  });
});
