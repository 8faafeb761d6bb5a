// After a crash: queued tasks run, tasks left running are retried, or failed and refunded when
// they have no attempts left. Nothing stays stuck, nothing is charged twice.
import assert from 'node:assert/strict';
import path from 'node:path';
import { test } from 'node:test';
import { loadSettings } from '../../src/config/settings.js';
import { fromCredits } from '../../src/lib/credits.js';
import { priceSnapshot } from '../../src/services/pricing.js';
import { createPlatform } from '../../src/platform.js';
import { tempDir } from '../helpers/databases.js';
import { quietLogger } from '../helpers/server.js';

test('a restart finishes queued tasks and recovers tasks a dead worker left running', async () => {
  const dir = tempDir();
  const settings = loadSettings({ AIO_DATA_DIR: dir, DATABASE_URL: path.join(dir, 'aio.sqlite'), AIO_MAX_ATTEMPTS: '2', AIO_RETRY_BASE_MS: '10' });

  // First life: a gateway whose workers never ran (the process died).
  const first = await createPlatform(settings, { workers: false, logger: quietLogger() });
  const user = await first.users.create({ email: 'crash@example.com' });
  await first.ledger.credit(user.id, fromCredits(10), 'grant');
  const { record: key } = await first.keys.create(user.id, {});
  const input = { model: 'aio-poster', prompt: '"AFTER THE CRASH"', size: '1:1', rendering_speed: 'BALANCED', output_format: 'png' };
  const poster = first.catalog.model('aio-poster')!;
  const task = { user, key, type: 'image', model: poster.id, input, price: priceSnapshot(poster, { quantity: 1 }) };
  const queued = await first.tasks.create(task);
  const runningWithAttemptsLeft = await first.tasks.create(task);
  const runningOutOfAttempts = await first.tasks.create(task);
  await first.tasks.claim(runningWithAttemptsLeft.id, 'local', 60_000);
  await first.tasks.claim(runningOutOfAttempts.id, 'local', 60_000);
  await first.db.updateTable('tasks').set({ attempts: 2 }).where('id', '=', runningOutOfAttempts.id).execute();
  assert.deepEqual(await first.ledger.balances(user.id), { balance: fromCredits(7), reserved: fromCredits(3) });
  await first.close();

  // Second life: the embedded server starts and picks everything up.
  const second = await createPlatform(settings, { workers: true, logger: quietLogger() });
  try {
    const deadline = Date.now() + 15_000;
    const ids = [queued.id, runningWithAttemptsLeft.id, runningOutOfAttempts.id];
    let rows = await Promise.all(ids.map((id) => second.tasks.get(id)));
    while (rows.some((r) => r!.status === 'queued' || r!.status === 'running') && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 50));
      rows = await Promise.all(ids.map((id) => second.tasks.get(id)));
    }
    assert.deepEqual(rows.map((r) => r!.status), ['succeeded', 'succeeded', 'failed']);
    assert.equal(JSON.parse(rows[2]!.error!).code, 'worker_lost');
    assert.deepEqual(rows.map((r) => r!.charged), [1, 1, 0]);
    assert.deepEqual(await second.ledger.balances(user.id), { balance: fromCredits(8), reserved: 0 });
    const sums = await second.ledger.sums(user.id);
    assert.deepEqual(sums, { amount: fromCredits(8), reserved: 0 });
  } finally {
    await second.close();
  }
});
