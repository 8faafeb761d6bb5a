// Issue 10, finding 9: after a crash, a task already sent upstream must not be sent again. fal
// has no idempotency header, so the worker keeps the fal request with the task before polling it,
// and the attempt after a kill -9 (or a shutdown) resumes polling that request: one fal request
// (one upstream charge) per task, and the task charged once.
import assert from 'node:assert/strict';
import { after, describe, test } from 'node:test';
import { loadSettings } from '../../src/config/settings.js';
import { MICRO } from '../../src/lib/credits.js';
import { createPlatform } from '../../src/platform.js';
import { dbTargets, dropCreatedDatabases, tempDir } from '../helpers/databases.js';
import { quietLogger } from '../helpers/server.js';
import { startFakeFal } from '../fakes/fal-server.js';
import { killAll, startServe, until } from './processes.js';

after(async () => {
  killAll();
  await dropCreatedDatabases();
});

const FLUX = { model: 'flux-dev', prompt: 'A red fox in fresh snow, morning light', size: '1:1', output_format: 'png' };

for (const target of await dbTargets()) {
  describe(`a fal task across a restart on ${target.name}`, { skip: target.skip }, () => {
    for (const stop of ['kill -9', 'SIGTERM'] as const) {
      test(`${stop} while fal has the request: the next attempt polls the same request, nothing is submitted twice`, { timeout: 120_000 }, async () => {
        const fake = await startFakeFal();
        const databaseUrl = await target.create();
        const dataDir = tempDir();
        const admin = await createPlatform(loadSettings({ AIO_DATA_DIR: tempDir(), DATABASE_URL: databaseUrl }), { workers: false, logger: quietLogger() });
        try {
          const user = await admin.users.create({ email: `fal-${Date.now()}@example.com` });
          await admin.ledger.credit(user.id, 10 * MICRO, 'grant', 'test');
          const { key } = await admin.keys.create(user.id, {});
          const env = { DATABASE_URL: databaseUrl, AIO_DATA_DIR: dataDir, FAL_KEY: fake.apiKey, FAL_BASE_URL: fake.url, AIO_POLL_MS: '20', AIO_RATE_LIMIT_PER_MINUTE: '0' };

          fake.holdInQueue = true; // fal has it, and has not finished it
          const first = await startServe(env);
          const res = await fetch(`${first.url}/api/v1/images/generations`, {
            method: 'POST',
            headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
            body: JSON.stringify(FLUX),
          });
          const { id } = (await res.json()) as { id: string };
          assert.equal(res.status, 202);
          const kept = await until(async () => {
            const row = await admin.tasks.get(id);
            return row?.upstream_state && JSON.parse(row.upstream_state).fal_request;
          }, 'the fal request to be kept with the task');
          await until(async () => fake.polls().length > 0, 'fal to be polled');
          assert.equal(fake.submits().length, 1);

          if (stop === 'kill -9') await first.crash();
          else {
            first.child.kill('SIGTERM');
            await until(async () => first.child.exitCode !== null, 'a clean shutdown');
          }
          assert.equal(fake.cancels().length, 0, 'the request was left running for the next attempt');

          const second = await startServe(env);
          fake.holdInQueue = false;
          const done = await until(async () => {
            const row = await admin.tasks.get(id);
            return row && ['succeeded', 'failed'].includes(row.status) ? row : undefined;
          }, 'the task to end');
          assert.equal(done.status, 'succeeded', done.error ?? '');
          assert.equal(done.attempts, 2, 'it was picked up again after the restart');
          assert.equal(fake.submits().length, 1, 'fal got one request for the task, not two');
          const polled = new Set(fake.polls().map((p) => p.path));
          assert.deepEqual([...polled], [new URL(kept.status_url).pathname], 'every poll was of that one request');
          const captures = await admin.db.selectFrom('ledger_entries').selectAll().where('task_id', '=', id).where('kind', '=', 'capture').execute();
          assert.equal(captures.length, 1);
          assert.deepEqual(await admin.ledger.balances(user.id), { balance: 7 * MICRO, reserved: 0 });
          await second.crash();
        } finally {
          await admin.close();
          await fake.close();
        }
      });
    }
  });
}
