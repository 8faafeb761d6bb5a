// Upstream faults through the whole gateway, on SQLite and PostgreSQL: a fake Ideogram that
// answers 500, 429 with Retry-After, never answers, resets the connection half-way through the
// image download, hands over an HTML page labelled as an image, or a URL that 404s. Once is
// retried and charged once; every time fails the task and gives every credit back. The client
// never reads the upstream's words, and the audit is clean afterwards.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { MICRO } from '../../src/lib/credits.js';
import { auditDatabase } from '../../src/services/audit.js';
import { dbTargets, dropCreatedDatabases } from '../helpers/databases.js';
import { startTestServer, type TestServer } from '../helpers/server.js';
import { FAULT_MODES, faultPrompt, startFaultUpstream, type FaultMode, type FaultUpstream } from './fault-upstream.js';

after(dropCreatedDatabases);

const PRICE = 12 * MICRO; // ideogram-v4
const ATTEMPTS = 3;
const EXPECTED_CODE: Record<FaultMode, string> = {
  '500': 'upstream_unavailable',
  '429': 'upstream_rate_limited',
  hang: 'upstream_timeout',
  reset: 'upstream_unavailable',
  html: 'upstream_bad_response',
  '404': 'upstream_bad_response',
};
/** Words of the fake upstream that must never reach a client. */
const UPSTREAM_WORDS = /Internal Server Error|Too Many Requests|Image moved|Not Found|<html/i;

for (const target of await dbTargets()) {
  describe(`upstream faults on ${target.name}`, { skip: target.skip }, () => {
    let upstream: FaultUpstream;
    let server: TestServer;

    before(async () => {
      upstream = await startFaultUpstream();
      server = await startTestServer({
        databaseUrl: await target.create(),
        env: {
          IDEOGRAM_API_KEY: upstream.apiKey,
          IDEOGRAM_BASE_URL: upstream.url,
          AIO_UPSTREAM_TIMEOUT_MS: '1000',
          AIO_MAX_ATTEMPTS: String(ATTEMPTS),
          AIO_RETRY_BASE_MS: '10',
        },
      });
    });
    after(async () => {
      await server?.close();
      await upstream?.close();
    });

    test('each fault once: retried and charged once; every time: failed, refunded, in our words', { timeout: 90_000 }, async () => {
      const cases = FAULT_MODES.flatMap((mode) => [
        { mode, times: 1, prompt: faultPrompt(mode, 1, `${target.name} once`) },
        { mode, times: ATTEMPTS, prompt: faultPrompt(mode, ATTEMPTS, `${target.name} always`) },
      ]);
      const account = await server.account({ credits: (cases.length * PRICE) / MICRO });
      const created = await Promise.all(
        cases.map((c) => server.api('POST', '/api/v1/images/generations', { key: account.key, body: { model: 'ideogram-v4', prompt: c.prompt, size: '1:1' } })),
      );
      for (const res of created) assert.equal(res.status, 202, JSON.stringify(res.body));
      const tasks = await Promise.all(created.map((res) => server.waitForTask(res.body.id, account.key, 60_000)));

      let succeeded = 0;
      cases.forEach((c, i) => {
        const task = tasks[i];
        const what = `${c.mode} x${c.times}: ${JSON.stringify(task.error)}`;
        if (c.times < ATTEMPTS) {
          assert.equal(task.status, 'succeeded', what);
          assert.deepEqual(task.cost, { credits: 12, charged: true }, what);
          assert.equal(task.attempts, 2, what);
          assert.equal(upstream.calls(c.prompt), 2, what);
          succeeded++;
        } else {
          assert.equal(task.status, 'failed', what);
          assert.equal(task.error.code, EXPECTED_CODE[c.mode], what);
          assert.match(task.error.message, /credits were returned/, what);
          assert.doesNotMatch(task.error.message, UPSTREAM_WORDS, what);
          assert.equal(task.cost.charged, false, what);
          assert.equal(task.attempts, ATTEMPTS, what);
          assert.equal(upstream.calls(c.prompt), ATTEMPTS, what);
        }
      });

      const { db, ledger, dbKind } = server.platform;
      assert.deepEqual(await ledger.balances(account.userId), { balance: (cases.length - succeeded) * PRICE, reserved: 0 });
      const open = await db.selectFrom('tasks').select('id').where('status', 'in', ['queued', 'running']).execute();
      assert.deepEqual(open, [], 'no task is left open');
      assert.equal(upstream.hanging(), 0, 'every hung upstream call was given up');
      const report = await auditDatabase(db, { kind: dbKind, taskTimeoutMs: 600_000 });
      assert.equal(report.ok, true, JSON.stringify(report.findings));
    });
  });
}
