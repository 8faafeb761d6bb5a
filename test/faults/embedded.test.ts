// The embedded server (`aio serve` without Redis: gateway and workers in one process) killed
// with SIGKILL while tasks run and requests are arriving, then started again, on SQLite and
// PostgreSQL: at start it queues what was queued and retries what was running, so every task
// ends, resumed or failed and refunded, none charged twice, and the audit is clean.
import assert from 'node:assert/strict';
import { after, afterEach, describe, test } from 'node:test';
import { dbTargets, dropCreatedDatabases } from '../helpers/databases.js';
import { assertNothingLost, startFaultRig, submitMany, waitForRunning, waitForTaskCount, type FaultRig } from './cluster.js';

let rig: FaultRig | undefined;
afterEach(async () => {
  await rig?.close();
  rig = undefined;
});
after(dropCreatedDatabases);

for (const target of await dbTargets()) {
  describe(`the embedded server killed mid-run on ${target.name}`, { skip: target.skip }, () => {
    test('running tasks are retried and requests in flight are queued at the next start', { timeout: 180_000 }, async (t) => {
      const r = (rig = await startFaultRig({ databaseUrl: await target.create(), tasks: 40, slowMs: 2500 }));
      const server = await r.spawn('serve');
      const first = await submitMany(server.url, r.key, 16, 'embedded');
      assert.deepEqual(first.map((a) => a.status), Array(16).fill(202));
      await waitForRunning(r.operator, 3);
      // More requests arrive; the server dies as soon as one of them has saved its task.
      const inFlight = submitMany(server.url, r.key, 10, 'in flight');
      await waitForTaskCount(r.operator, 16);
      const running = await r.operator.db.selectFrom('tasks').select('id').where('status', '=', 'running').execute();
      await server.kill();
      const answers = await inFlight;
      assert.ok(answers.every((a) => a.status === 202 || a.status === 0), JSON.stringify(answers.filter((a) => a.status !== 202 && a.status !== 0)));

      await server.start();
      const result = await assertNothingLost(r);
      const resumed = await r.operator.db.selectFrom('tasks').select(['status', 'attempts']).where('id', 'in', running.map((x) => x.id)).execute();
      assert.ok(resumed.length > 0 && resumed.every((x) => x.status === 'succeeded' && x.attempts >= 2), `the tasks running at the kill ran again: ${JSON.stringify(resumed)}`);
      t.diagnostic(`${running.length} running at the kill; in flight: ${answers.filter((a) => a.status === 202).length} answered, ${answers.filter((a) => a.status === 0).length} cut off; ${result.succeeded} succeeded, ${result.failed} failed`);
    });
  });
}
