// The catalog is data an operator edits: bad files are refused at start with every problem named.
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { ConfigError, loadCatalogFile } from '../src/config/load-catalog.js';
import { PROJECT_ROOT } from '../src/config/settings.js';
import { providerIds } from '../src/providers/registry.js';
import { tempDir } from './helpers/databases.js';

const shipped = JSON.parse(readFileSync(path.join(PROJECT_ROOT, 'config/catalog.json'), 'utf8'));

function load(catalog: unknown) {
  const file = path.join(tempDir(), 'catalog.json');
  writeFileSync(file, typeof catalog === 'string' ? catalog : JSON.stringify(catalog));
  return loadCatalogFile(file, providerIds);
}

test('the shipped catalog is valid and prices ideogram-v4 at 12 credits on node63', () => {
  const catalog = load(shipped);
  assert.equal(catalog.models.find((m) => m.id === 'ideogram-v4')?.price_credits, 12);
  assert.ok(catalog.nodes.find((n) => n.id === 'node63')?.models.includes('ideogram-v4'));
  assert.equal(catalog.models.find((m) => m.id === 'aio-poster')?.price_credits, 1);
});

test('problems are reported with their path, all at once', () => {
  const broken = structuredClone(shipped);
  broken.models[0].price_credits = -1;
  broken.models[0].params.size.default = '5:5';
  assert.throws(() => load(broken), (err: Error) => err instanceof ConfigError && /price_credits/.test(err.message));
  const crossed = structuredClone(shipped);
  crossed.models[0].params.size.default = '5:5';
  crossed.models[0].params.size.values['16:9'] = [1000, 1000];
  crossed.nodes.push({ id: 'node99', provider: 'nobody', models: ['ghost'], concurrency: 1, priority: 0, weight: 1 });
  assert.throws(
    () => load(crossed),
    (err: Error) =>
      /default '5:5'/.test(err.message) && /1000x1000 is not 16:9/.test(err.message) && /unknown provider 'nobody'/.test(err.message) && /unknown model 'ghost'/.test(err.message),
  );
  assert.throws(() => load('{ not json'), /cannot read it as JSON/);
});
