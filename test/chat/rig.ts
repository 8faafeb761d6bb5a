// A live chat setup: the server on a given database with its chat nodes pointed at fake
// upstreams written from the contracts: OpenAI (gpt-4.1*, node110), Anthropic (claude-sonnet-4,
// node120), and two DeepSeek nodes (`ds-a` first by priority, then `ds-b`) for failover.
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { PROJECT_ROOT } from '../../src/config/settings.js';
import { startFakeAnthropic, type FakeAnthropic } from '../fakes/anthropic-server.js';
import { startFakeOpenAIChat, type FakeOpenAIChat } from '../fakes/openai-chat-server.js';
import { tempDir } from '../helpers/databases.js';
import { startTestServer, type TestServer } from '../helpers/server.js';

export interface ChatRig {
  server: TestServer;
  openai: FakeOpenAIChat;
  anthropic: FakeAnthropic;
  dsA: FakeOpenAIChat;
  dsB: FakeOpenAIChat;
  resetFakes(): void;
  close(): Promise<void>;
}

/** The shipped catalog with DeepSeek on two nodes of its own and room for many parallel streams. */
function rigCatalog(edit?: (catalog: any) => void): string {
  const catalog = JSON.parse(readFileSync(path.join(PROJECT_ROOT, 'config/catalog.json'), 'utf8'));
  catalog.nodes = catalog.nodes.filter((n: { models: string[] }) => !n.models.includes('deepseek-chat'));
  for (const node of catalog.nodes) if (node.id === 'node110' || node.id === 'node120') node.concurrency = 200;
  catalog.nodes.push(
    { id: 'ds-a', provider: 'deepseek', models: ['deepseek-chat'], concurrency: 50, priority: 10, weight: 1, base_url_env: 'DS_A_URL' },
    { id: 'ds-b', provider: 'deepseek', models: ['deepseek-chat'], concurrency: 50, priority: 0, weight: 1, base_url_env: 'DS_B_URL' },
  );
  edit?.(catalog);
  const file = path.join(tempDir('aio-chat-catalog-'), 'catalog.json');
  writeFileSync(file, JSON.stringify(catalog));
  return file;
}

export async function startChatRig(databaseUrl: string, env: Record<string, string> = {}, editCatalog?: (catalog: any) => void): Promise<ChatRig> {
  const [openai, anthropic, dsA, dsB] = await Promise.all([startFakeOpenAIChat(), startFakeAnthropic(), startFakeOpenAIChat({ apiKey: 'sk-deepseek-test' }), startFakeOpenAIChat({ apiKey: 'sk-deepseek-test' })]);
  const server = await startTestServer({
    databaseUrl,
    env: {
      AIO_CATALOG: rigCatalog(editCatalog),
      OPENAI_API_KEY: openai.apiKey,
      OPENAI_BASE_URL: openai.url,
      ANTHROPIC_API_KEY: anthropic.apiKey,
      ANTHROPIC_BASE_URL: anthropic.url,
      DEEPSEEK_API_KEY: 'sk-deepseek-test',
      DS_A_URL: `${dsA.url}/v1`,
      DS_B_URL: `${dsB.url}/v1`,
      AIO_CHAT_IDLE_TIMEOUT_MS: '1500',
      AIO_CHAT_USAGE_DEADLINE_MS: '3000',
      ...env,
    },
  });
  const fakes = [openai, anthropic, dsA, dsB];
  return {
    server,
    openai,
    anthropic,
    dsA,
    dsB,
    resetFakes: () => fakes.forEach((f) => f.reset()),
    async close() {
      await server.close();
      await Promise.all(fakes.map((f) => f.close()));
    },
  };
}

/** The ledger agrees with the balances: sums equal the users row, nothing stays reserved, the key's spend matches. */
export async function assertLedgerMatches(server: TestServer, account: { userId: string; keyId: string }): Promise<void> {
  const { ledger, db } = server.platform;
  const balances = await ledger.balances(account.userId);
  const sums = await ledger.sums(account.userId);
  assert.deepEqual({ balance: balances.balance, reserved: balances.reserved }, { balance: sums.amount, reserved: sums.reserved }, 'ledger sums = balances');
  assert.equal(balances.reserved, 0, 'nothing left reserved');
  assert.ok(balances.balance >= 0);
  const key = await db.selectFrom('api_keys').select('spent').where('id', '=', account.keyId).executeTakeFirstOrThrow();
  assert.equal(Number(key.spent), await ledger.keySpendFromLedger(account.keyId), "the key's spend = its ledger rows");
}

/** Waits (polling the database) until the chat request ends: settlement may follow a client that left. */
export async function finishedRow(server: TestServer, userId: string, ms = 15_000) {
  const deadline = Date.now() + ms;
  for (;;) {
    const row = await server.platform.db.selectFrom('chat_requests').selectAll().where('user_id', '=', userId).orderBy('id', 'desc').executeTakeFirst();
    if (row?.status === 'finished' || Date.now() > deadline) return row!;
    await new Promise((r) => setTimeout(r, 25));
  }
}

/** Waits (polling) until `check` holds, up to a bound; then asserts it. */
export async function until(check: () => boolean, message?: string, ms = 10_000): Promise<void> {
  for (const deadline = Date.now() + ms; !check() && Date.now() < deadline; ) await new Promise((r) => setTimeout(r, 10));
  assert.ok(check(), message);
}

/** Reads an SSE body message by message; `onMessage` may return false to stop reading (the client leaves). */
export async function readSse(res: Response, onMessage: (m: { event?: string; data: string }) => boolean | void): Promise<void> {
  const reader = res.body!.getReader();
  const decoder = new TextDecoder();
  let buffer = '';
  for (;;) {
    const { done, value } = await reader.read();
    if (done) return;
    buffer += decoder.decode(value, { stream: true });
    let end: number;
    while ((end = buffer.indexOf('\n\n')) >= 0) {
      const raw = buffer.slice(0, end);
      buffer = buffer.slice(end + 2);
      const event = /^event: (.*)$/m.exec(raw)?.[1];
      const data = raw
        .split('\n')
        .filter((l) => l.startsWith('data: '))
        .map((l) => l.slice(6))
        .join('\n');
      if (onMessage({ event, data }) === false) {
        await reader.cancel();
        return;
      }
    }
  }
}

/** A chat request by fetch (for streams the test reads or drops itself). */
export function postChat(server: TestServer, route: '/v1/chat/completions' | '/v1/messages', key: string, body: object, signal?: AbortSignal): Promise<Response> {
  return fetch(`${server.url}${route}`, { method: 'POST', headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' }, body: JSON.stringify(body), signal });
}
