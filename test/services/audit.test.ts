// `aio audit` on SQLite and PostgreSQL: clean after normal traffic (charged, refunded, test-mode
// and partly charged chat requests), and every kind of corruption, written with raw SQL inside a
// transaction that is then rolled back, is reported with the offending row. The command itself
// exits 1 on a committed corruption and 0 once it is undone.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, before, describe, test } from 'node:test';
import SQLite from '../../src/db/sqlite.mjs';
import { Kysely, PostgresDialect, SqliteDialect, sql, type Transaction } from 'kysely';
import pg from 'pg';
import type { Database } from '../../src/db/schema.js';
import { migrateTo } from '../../src/db/migrate.js';
import { MICRO } from '../../src/lib/credits.js';
import { newId } from '../../src/lib/ids.js';
import { auditDatabase, auditSnapshot, type AuditCheck, type AuditReport } from '../../src/services/audit.js';
import { startChatRig, type ChatRig } from '../chat/rig.js';
import { startFakeIdeogram, type FakeIdeogram } from '../fakes/ideogram-server.js';
import { dbTargets, dropCreatedDatabases, tempDir } from '../helpers/databases.js';

after(dropCreatedDatabases);

const BIN = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../bin/aio.js');
const HOUR = 3_600_000;

class Rollback extends Error {}

/** Failing checks of a report, sorted. */
const failing = (r: AuditReport) => r.checks.filter((c) => c.violations > 0).map((c) => c.check).sort();

function runCli(args: string[], env: Record<string, string>): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, ...args], { env: { ...process.env, ...env, LOG_LEVEL: 'silent' } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

for (const target of await dbTargets()) {
  describe(`aio audit on ${target.name}`, { skip: target.skip }, () => {
    let rig: ChatRig;
    let ideogram: FakeIdeogram;
    let databaseUrl: string;
    const ctx = {} as { userId: string; keyId: string; testKeyId: string; succeeded: string; failed: string; testTask: string; chat: string };

    before(async () => {
      ideogram = await startFakeIdeogram();
      databaseUrl = await target.create();
      rig = await startChatRig(databaseUrl, { IDEOGRAM_API_KEY: ideogram.apiKey, IDEOGRAM_BASE_URL: ideogram.url, AIO_RETRY_BASE_MS: '10' });
    });
    after(async () => {
      await rig?.close();
      await ideogram?.close();
    });

    const audit = (opts: { now?: Date } = {}) => auditDatabase(rig.server.platform.db, { kind: rig.server.platform.dbKind, taskTimeoutMs: HOUR, ...opts });

    /** Writes a corruption and audits it in one transaction, then rolls it back. */
    async function corrupted(write: (trx: Transaction<Database>) => Promise<unknown>): Promise<AuditReport> {
      const { db, dbKind } = rig.server.platform;
      let report: AuditReport | undefined;
      await db
        .transaction()
        .execute(async (trx) => {
          await write(trx);
          report = await auditSnapshot(trx, { kind: dbKind, taskTimeoutMs: HOUR });
          throw new Rollback();
        })
        .catch((err) => {
          if (!(err instanceof Rollback)) throw err;
        });
      return report!;
    }

    test('clean after normal traffic: captures, refunds, test-mode tasks and partly charged chat requests', async () => {
      const { server } = rig;
      const live = await server.account({ credits: 100 });
      const testKey = await server.platform.keys.create(live.userId, { test: true });
      Object.assign(ctx, { userId: live.userId, keyId: live.keyId, testKeyId: testKey.record.id });
      const submit = async (key: string, model: string) => {
        const res = await server.api('POST', '/api/v1/images/generations', { key, body: { model, prompt: 'A poster reading "AUDIT"', size: '1:1' } });
        assert.equal(res.status, 202, JSON.stringify(res.body));
        return server.waitForTask(res.body.id, key, 30_000);
      };
      const posters = await Promise.all([0, 1, 2].map(() => submit(live.key, 'aio-poster')));
      assert.deepEqual(posters.map((t) => t.status), ['succeeded', 'succeeded', 'succeeded']);
      ideogram.failNext(3, 500);
      const failed = await submit(live.key, 'ideogram-v4');
      assert.equal(failed.status, 'failed');
      const testTask = await submit(testKey.key, 'aio-poster');
      assert.equal(testTask.status, 'succeeded');
      const chat = await server.api('POST', '/v1/chat/completions', { key: live.key, body: { model: 'gpt-4.1-mini', max_tokens: 500, messages: [{ role: 'user', content: 'Say hi.' }] } });
      assert.equal(chat.status, 200, JSON.stringify(chat.body));
      await server.platform.ledger.credit(live.userId, -1 * MICRO, 'adjustment', 'audit test');
      Object.assign(ctx, { succeeded: posters[0].id, failed: failed.id, testTask: testTask.id });
      const chatRow = await server.platform.db.selectFrom('chat_requests').selectAll().where('user_id', '=', live.userId).executeTakeFirstOrThrow();
      ctx.chat = chatRow.id;
      const kinds = await server.platform.db.selectFrom('ledger_entries').select('kind').where('task_id', '=', chatRow.id).execute();
      assert.deepEqual(kinds.map((k) => k.kind).sort(), ['capture', 'hold', 'release'], 'the chat request was partly charged');

      const report = await audit();
      assert.equal(report.ok, true, JSON.stringify(report.findings));
      assert.deepEqual(report.findings, []);
      assert.equal(report.database, target.name);
      assert.equal(report.counts.tasks, 5);
      assert.equal(report.counts.chatRequests, 1);
      assert.ok(report.checks.some((c) => c.check === 'chat_settlement'));
    });

    const cases: Array<{ name: string; expect: AuditCheck[]; only?: boolean; row: () => Record<string, unknown>; write: (trx: Transaction<Database>) => Promise<unknown> }> = [
      {
        name: 'a balance moved without a ledger row',
        expect: ['balance_matches_ledger'],
        only: true,
        row: () => ({ user_id: ctx.userId }),
        write: (trx) => sql`UPDATE users SET balance = balance + 1 WHERE id = ${ctx.userId}`.execute(trx),
      },
      {
        name: 'reserved moved without a ledger row',
        expect: ['reserved_matches_ledger', 'reserved_matches_open_holds'],
        only: true,
        row: () => ({ user_id: ctx.userId }),
        write: (trx) => sql`UPDATE users SET reserved = reserved + 3 WHERE id = ${ctx.userId}`.execute(trx),
      },
      {
        name: 'a grant row that reserves credits (reserved no longer equals the open holds)',
        expect: ['ledger_row_shape', 'reserved_matches_open_holds'],
        only: true,
        row: () => ({ user_id: ctx.userId }),
        write: async (trx) => {
          await sql`UPDATE users SET reserved = reserved + 4 WHERE id = ${ctx.userId}`.execute(trx);
          await insertLedger(trx, { user_id: ctx.userId, kind: 'grant', amount: 0, reserved_delta: 4 });
        },
      },
      {
        name: 'a negative balance (the CHECK constraint dropped first)',
        expect: ['no_negative_amounts'],
        row: () => ({ user_id: ctx.userId }),
        write: async (trx) => {
          await dropBalanceCheck(trx, target.name);
          await sql`UPDATE users SET balance = -5 WHERE id = ${ctx.userId}`.execute(trx);
        },
      },
      {
        name: 'a succeeded task settled twice',
        expect: ['task_settlement'],
        row: () => ({ id: ctx.succeeded }),
        write: async (trx) => {
          await sql`UPDATE users SET balance = balance + 1 WHERE id = ${ctx.userId}`.execute(trx);
          await insertLedger(trx, { user_id: ctx.userId, kind: 'release', amount: 1, reserved_delta: -1, task_id: ctx.succeeded, api_key_id: ctx.keyId });
        },
      },
      {
        name: 'a failed task never settled',
        expect: ['task_settlement'],
        row: () => ({ id: ctx.failed }),
        write: (trx) => sql`DELETE FROM ledger_entries WHERE task_id = ${ctx.failed} AND kind = 'release'`.execute(trx),
      },
      {
        name: "a task's charged_micro that is not its capture",
        expect: ['task_settlement'],
        only: true,
        row: () => ({ id: ctx.succeeded }),
        write: (trx) => sql`UPDATE tasks SET charged_micro = charged_micro + 1 WHERE id = ${ctx.succeeded}`.execute(trx),
      },
      {
        name: 'a failed task that was charged',
        expect: ['task_settlement'],
        row: () => ({ id: ctx.failed }),
        write: async (trx) => {
          await sql`UPDATE ledger_entries SET kind = 'capture', amount = 0 WHERE task_id = ${ctx.failed} AND kind = 'release'`.execute(trx);
          await sql`UPDATE tasks SET charged_micro = hold_micro, charged = 1 WHERE id = ${ctx.failed}`.execute(trx);
        },
      },
      {
        name: 'a task back to running although it was settled',
        expect: ['task_settlement'],
        only: true,
        row: () => ({ id: ctx.succeeded }),
        write: (trx) => sql`UPDATE tasks SET status = 'running' WHERE id = ${ctx.succeeded}`.execute(trx),
      },
      {
        name: 'a hold left open past the task timeout (everything else consistent)',
        expect: ['stale_open_hold'],
        only: true,
        row: () => ({ user_id: ctx.userId, status: 'running' }),
        write: async (trx) => {
          const id = newId('task');
          const hold = 2 * MICRO;
          const twoHoursAgo = new Date(Date.now() - 2 * HOUR).toISOString();
          await trx
            .insertInto('tasks')
            .values({
              id, user_id: ctx.userId, api_key_id: ctx.keyId, type: 'image', model: 'aio-poster', status: 'running', input: '{}', output: null, error: null,
              hold_micro: hold, charged_micro: 0, price: null, charged: 0, livemode: 1, node: 'local', attempts: 1, request_id: null,
              created_at: twoHoursAgo, started_at: twoHoursAgo, finished_at: null, lease_until: twoHoursAgo, progress: null, cancel_requested_at: null,
              upstream_state: null, output_expired_at: null,
            })
            .execute();
          await sql`UPDATE users SET balance = balance - ${hold}, reserved = reserved + ${hold} WHERE id = ${ctx.userId}`.execute(trx);
          await sql`UPDATE api_keys SET spent = spent + ${hold} WHERE id = ${ctx.keyId}`.execute(trx);
          await insertLedger(trx, { user_id: ctx.userId, kind: 'hold', amount: -hold, reserved_delta: hold, task_id: id, api_key_id: ctx.keyId });
        },
      },
      {
        name: "a key's spent that is not its holds less its releases",
        expect: ['key_spend_matches_ledger'],
        only: true,
        row: () => ({ api_key_id: ctx.keyId }),
        write: (trx) => sql`UPDATE api_keys SET spent = spent + 7 WHERE id = ${ctx.keyId}`.execute(trx),
      },
      {
        name: 'a negative key spend',
        expect: ['no_negative_amounts', 'key_spend_matches_ledger'],
        only: true,
        row: () => ({ api_key_id: ctx.testKeyId }),
        write: (trx) => sql`UPDATE api_keys SET spent = -1 WHERE id = ${ctx.testKeyId}`.execute(trx),
      },
      {
        name: 'a hold for a task that does not exist',
        expect: ['orphan_ledger_rows'],
        only: true,
        row: () => ({ task_id: 'task_ghost' }),
        write: async (trx) => {
          await sql`UPDATE users SET balance = balance - 1, reserved = reserved + 1 WHERE id = ${ctx.userId}`.execute(trx);
          await insertLedger(trx, { user_id: ctx.userId, kind: 'hold', amount: -1, reserved_delta: 1, task_id: 'task_ghost' });
        },
      },
      {
        name: 'a hold row that adds to the balance, on a test-mode task that holds nothing',
        expect: ['ledger_row_shape', 'task_settlement'],
        row: () => ({ task_id: ctx.testTask }),
        write: (trx) => insertLedger(trx, { user_id: ctx.userId, kind: 'hold', amount: 5, reserved_delta: 5, task_id: ctx.testTask }),
      },
      {
        name: 'a finished chat request without its settlement',
        expect: ['chat_settlement'],
        row: () => ({ id: ctx.chat }),
        write: (trx) => sql`DELETE FROM ledger_entries WHERE task_id = ${ctx.chat} AND kind IN ('capture', 'release')`.execute(trx),
      },
      {
        name: "a chat request's charged_micro that is not its capture",
        expect: ['chat_settlement'],
        only: true,
        row: () => ({ id: ctx.chat }),
        write: (trx) => sql`UPDATE chat_requests SET charged_micro = charged_micro + 1 WHERE id = ${ctx.chat}`.execute(trx),
      },
    ];

    for (const c of cases) {
      test(`reports ${c.name}`, async () => {
        assert.ok(ctx.succeeded, 'the traffic test ran first');
        const report = await corrupted(c.write);
        if (target.name === 'sqlite') await sql`PRAGMA ignore_check_constraints = OFF`.execute(rig.server.platform.db);
        assert.equal(report.ok, false);
        const failed = failing(report);
        for (const check of c.expect) assert.ok(failed.includes(check), `${check} fails (failing: ${failed.join(', ')})`);
        if (c.only) assert.deepEqual(failed, [...c.expect].sort(), 'no other check fails');
        const want = c.row();
        const named = report.findings.filter((f) => c.expect.includes(f.check) && Object.entries(want).every(([k, v]) => f.row[k] === v));
        assert.ok(named.length > 0, `a finding names ${JSON.stringify(want)}: ${JSON.stringify(report.findings)}`);
        assert.ok(named.every((f) => f.message.length > 10));
      });
    }

    test('after the rollbacks the audit is clean again', async () => {
      const report = await audit();
      assert.equal(report.ok, true, JSON.stringify(report.findings));
      // The same database a day later: nothing is open, so nothing is stale.
      assert.equal((await audit({ now: new Date(Date.now() + 24 * HOUR) })).ok, true);
    });

    test('`aio audit` exits 1 naming the row of a committed corruption, 0 once it is undone; --json', async () => {
      const env = { DATABASE_URL: databaseUrl, AIO_DATA_DIR: tempDir() };
      const { db } = rig.server.platform;
      await sql`UPDATE api_keys SET spent = spent + 9 WHERE id = ${ctx.keyId}`.execute(db);
      try {
        const broken = await runCli(['audit'], env);
        assert.equal(broken.code, 1, broken.stderr);
        assert.match(broken.stdout, /FAIL\s+key_spend_matches_ledger/);
        assert.ok(broken.stdout.includes(ctx.keyId), broken.stdout);
        assert.match(broken.stdout, /audit: 1 violation/);
        const json = await runCli(['audit', '--json'], env);
        assert.equal(json.code, 1);
        const parsed = JSON.parse(json.stdout) as AuditReport;
        assert.equal(parsed.ok, false);
        assert.deepEqual(parsed.findings.map((f) => [f.check, f.row.api_key_id]), [['key_spend_matches_ledger', ctx.keyId]]);
      } finally {
        await sql`UPDATE api_keys SET spent = spent - 9 WHERE id = ${ctx.keyId}`.execute(db);
      }
      const clean = await runCli(['audit', '--json'], env);
      assert.equal(clean.code, 0, clean.stdout + clean.stderr);
      assert.equal((JSON.parse(clean.stdout) as AuditReport).ok, true);
    });

    test('a database without chat_requests (migrated to 003): the chat check is skipped with a note', async () => {
      const url = await target.create();
      const db = new Kysely<Database>({
        dialect: target.name === 'postgres' ? new PostgresDialect({ pool: new pg.Pool({ connectionString: url, max: 2 }) }) : new SqliteDialect({ database: new SQLite(url) }),
      });
      try {
        await migrateTo(db, '003_micro_credits');
        const report = await auditDatabase(db, { kind: target.name, taskTimeoutMs: HOUR });
        assert.equal(report.ok, true);
        assert.equal(report.counts.chatRequests, null);
        assert.ok(!report.checks.some((c) => c.check === 'chat_settlement'));
        assert.match(report.notes.join('\n'), /chat_requests does not exist.*chat_settlement skipped/);
      } finally {
        await db.destroy();
      }
    });
  });
}

async function insertLedger(trx: Transaction<Database>, row: { user_id: string; kind: Database['ledger_entries']['kind']; amount: number; reserved_delta: number; task_id?: string; api_key_id?: string }) {
  await trx
    .insertInto('ledger_entries')
    .values({ id: newId('le'), balance_after: 0, note: 'audit test corruption', created_at: new Date().toISOString(), task_id: null, api_key_id: null, ...row })
    .execute();
}

/** The database refuses a negative balance itself; a corruption must get past that first. */
async function dropBalanceCheck(trx: Transaction<Database>, kind: 'sqlite' | 'postgres') {
  if (kind === 'sqlite') return void (await sql`PRAGMA ignore_check_constraints = ON`.execute(trx));
  const checks = await sql<{ conname: string }>`SELECT conname FROM pg_constraint WHERE conrelid = 'users'::regclass AND contype = 'c'`.execute(trx);
  for (const { conname } of checks.rows) await sql`ALTER TABLE users DROP CONSTRAINT ${sql.id(conname)}`.execute(trx);
}
