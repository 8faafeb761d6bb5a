// The `aio` command on a real data directory, as an operator runs it.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import path from 'node:path';
import { test } from 'node:test';
import { promisify } from 'node:util';
import { fileURLToPath } from 'node:url';
import { tempDir } from '../helpers/databases.js';

const run = promisify(execFile);
const BIN = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../bin/aio.js');

test('users, keys and credits from the command line, with --json', async () => {
  const env = { ...process.env, AIO_DATA_DIR: tempDir(), DATABASE_URL: '' };
  const aio = async (...args: string[]) => JSON.parse((await run(process.execPath, [BIN, ...args, '--json'], { env })).stdout);

  const user = await aio('users', 'create', '--email', 'Ops@Example.com', '--admin', '--password', 'correct horse');
  assert.equal(user.email, 'ops@example.com');
  assert.equal(user.admin, true);

  const live = await aio('keys', 'create', '--user', 'ops@example.com', '--name', 'prod');
  assert.match(live.key, /^aio_[0-9A-Za-z]{40}$/);
  assert.equal(live.livemode, true);
  const testKey = await aio('keys', 'create', '--user', 'ops@example.com', '--test');
  assert.match(testKey.key, /^aio_test_[0-9A-Za-z]{40}$/);

  const listed = await aio('keys', 'list', '--user', 'ops@example.com');
  assert.equal(listed.data.length, 2);
  assert.ok(listed.data.every((k: any) => !('key' in k) && !('hash' in k)), 'a key is shown once, never listed');

  const granted = await aio('credits', 'grant', '--user', 'ops@example.com', '--amount', '250', '--note', 'bonus');
  assert.equal(granted.balance, 250);
  const fraction = await aio('credits', 'grant', '--user', 'ops@example.com', '--amount', '0.125', '--note', 'welcome');
  assert.deepEqual([fraction.granted, fraction.balance], [0.125, 250.125]);
  const shown = await aio('credits', 'show', '--user', 'ops@example.com');
  assert.deepEqual([shown.balance, shown.reserved], [250.125, 0]);
  assert.equal(shown.recent[0].note, 'welcome');
  assert.deepEqual([shown.recent[0].amount, shown.recent[0].balance_after], [0.125, 250.125], 'credits as decimals, not micro-credits');
  for (const bad of ['1.0000001', 'ten', '0']) {
    const refused = await run(process.execPath, [BIN, 'credits', 'grant', '--user', 'ops@example.com', '--amount', bad, '--json'], { env }).catch((e) => e);
    assert.equal(refused.code, 1, `${bad}: ${refused.stderr}`);
    assert.equal(JSON.parse(refused.stdout).error.code, 'invalid_amount', bad);
  }

  const revoked = await aio('keys', 'revoke', live.id);
  assert.ok(revoked.revoked_at);

  const failure = await run(process.execPath, [BIN, 'credits', 'grant', '--user', 'nobody@example.com', '--amount', '5', '--json'], { env }).catch((e) => e);
  assert.equal(failure.code, 1);
  assert.equal(JSON.parse(failure.stdout).error.code, 'user_not_found');
});
