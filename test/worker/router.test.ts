// Routing: priority then weight, breaker opens after consecutive upstream faults and lets one
// probe through after the cool-down; a retryable failure moves the task to another node.
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { catalogRules } from '../../src/catalog-rules.js';
import { loadCatalogFile } from '../../src/config/load-catalog.js';
import { PROJECT_ROOT } from '../../src/config/settings.js';
import { providerNeedsCredentials } from '../../src/providers/registry.js';
import { Catalog } from '../../src/services/catalog.js';
import { NodeRouter } from '../../src/worker/router.js';
import { startFakeIdeogram } from '../fakes/ideogram-server.js';
import { tempDir } from '../helpers/databases.js';
import { startTestServer } from '../helpers/server.js';

/** The shipped catalog with a second Ideogram node `node64` on its own account. */
function twoNodeCatalogFile(primaryPriority = 0): string {
  const catalog = JSON.parse(readFileSync(path.join(PROJECT_ROOT, 'config/catalog.json'), 'utf8'));
  catalog.nodes.find((n: any) => n.id === 'node63').priority = primaryPriority;
  catalog.nodes.push({ id: 'node64', provider: 'ideogram', models: ['ideogram-v4'], concurrency: 2, priority: 0, weight: 1, api_key_env: 'IDEOGRAM_API_KEY_2', base_url_env: 'IDEOGRAM_BASE_URL_2' });
  const file = path.join(tempDir(), 'catalog.json');
  writeFileSync(file, JSON.stringify(catalog));
  return file;
}

test('priority first; breaker opens after consecutive failures, half-opens after the cool-down', () => {
  let now = 0;
  const env = { IDEOGRAM_API_KEY: 'a', IDEOGRAM_API_KEY_2: 'b', IDEOGRAM_BASE_URL_2: 'http://127.0.0.1:1' };
  const catalog = new Catalog(loadCatalogFile(twoNodeCatalogFile(10), catalogRules), env, providerNeedsCredentials);
  const router = new NodeRouter(catalog, { failureThreshold: 3, cooldownMs: 1000, now: () => now });
  for (let i = 0; i < 20; i++) assert.equal(router.pick('ideogram-v4')?.id, 'node63');

  for (let i = 0; i < 3; i++) router.failed('node63', 'down', true);
  assert.equal(router.state('node63'), 'open');
  assert.equal(router.pick('ideogram-v4')?.id, 'node64');

  // Content rejections are not the node's fault.
  router.failed('node64', 'unsafe prompt', false);
  router.failed('node64', 'unsafe prompt', false);
  router.failed('node64', 'unsafe prompt', false);
  assert.equal(router.state('node64'), 'closed');

  now = 1500;
  assert.equal(router.state('node63'), 'half_open');
  assert.equal(router.pick('ideogram-v4')?.id, 'node63', 'one probe goes to the recovering node');
  assert.equal(router.pick('ideogram-v4')?.id, 'node64', 'while the probe runs, others take the traffic');
  router.failed('node63', 'still down', true);
  assert.equal(router.state('node63'), 'open');
  now = 3000;
  assert.equal(router.pick('ideogram-v4')?.id, 'node63');
  router.succeeded('node63');
  assert.equal(router.state('node63'), 'closed');
});

test('nodes without credentials are never picked', () => {
  const catalog = new Catalog(loadCatalogFile(twoNodeCatalogFile(), catalogRules), { IDEOGRAM_API_KEY_2: 'b', IDEOGRAM_BASE_URL_2: 'http://x' }, providerNeedsCredentials);
  const router = new NodeRouter(catalog);
  for (let i = 0; i < 10; i++) assert.equal(router.pick('ideogram-v4')?.id, 'node64');
  assert.deepEqual(catalog.node('node63')!.missing, ['IDEOGRAM_API_KEY']);
});

test('a task whose node keeps failing fails over to the other node and is charged once', async () => {
  const [broken, healthy] = await Promise.all([startFakeIdeogram(), startFakeIdeogram()]);
  broken.failNext(1000, 503);
  const server = await startTestServer({
    env: {
      AIO_CATALOG: twoNodeCatalogFile(10),
      IDEOGRAM_API_KEY: broken.apiKey,
      IDEOGRAM_BASE_URL: broken.url,
      IDEOGRAM_API_KEY_2: healthy.apiKey,
      IDEOGRAM_BASE_URL_2: healthy.url,
    },
  });
  try {
    const account = await server.account({ credits: 12 });
    const created = await server.api('POST', '/api/v1/images/generations', { key: account.key, body: { model: 'ideogram-v4', prompt: '"FAILOVER"' } });
    assert.equal(created.status, 202);
    const task = await server.waitForTask(created.body.id, account.key);
    assert.equal(task.status, 'succeeded', JSON.stringify(task.error));
    assert.equal(task.node, 'node64');
    assert.equal(task.attempts, 2);
    assert.equal(broken.apiRequests().length, 1);
    assert.equal(healthy.apiRequests().length, 1);
    assert.deepEqual(await server.platform.ledger.balances(account.userId), { balance: 0, reserved: 0 });
  } finally {
    await server.close();
    await Promise.all([broken.close(), healthy.close()]);
  }
});
