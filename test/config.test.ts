// The catalog is data an operator edits: bad files are refused at start with every problem named.
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { catalogRules } from '../src/catalog-rules.js';
import { ConfigError, loadCatalogFile } from '../src/config/load-catalog.js';
import { PROJECT_ROOT } from '../src/config/settings.js';
import { tempDir } from './helpers/databases.js';

const shipped = JSON.parse(readFileSync(path.join(PROJECT_ROOT, 'config/catalog.json'), 'utf8'));

function load(catalog: unknown) {
  const file = path.join(tempDir(), 'catalog.json');
  writeFileSync(file, typeof catalog === 'string' ? catalog : JSON.stringify(catalog));
  return loadCatalogFile(file, catalogRules);
}

test('the shipped catalog is valid and prices ideogram-v4 at 12 credits on node63', () => {
  const catalog = load(shipped);
  assert.deepEqual(catalog.models.find((m) => m.id === 'ideogram-v4')?.price, { unit: 'image', credits: 12 });
  assert.ok(catalog.nodes.find((n) => n.id === 'node63')?.models.includes('ideogram-v4'));
  assert.equal(catalog.models.find((m) => m.id === 'aio-poster')?.price.credits, 1);
  assert.deepEqual(catalog.models.find((m) => m.id === 'kling-v2.6-pro')?.price, { unit: 'second', credits: 7, rates: { audio: 14 } });
  for (const type of ['image', 'video', 'audio', 'tool']) assert.ok(catalog.models.some((m) => m.type === type), `a ${type} model ships`);
});

test('a node whose provider lacks the operation a model needs is refused', () => {
  const wrong = structuredClone(shipped);
  // Ideogram draws images only: it cannot serve a video model.
  wrong.nodes.find((n: { id: string }) => n.id === 'node63').models.push('kling-v2.6-pro');
  assert.throws(() => load(wrong), (err: Error) => err instanceof ConfigError && /provider 'ideogram' has no 'video' operation, which 'kling-v2.6-pro' needs/.test(err.message));
});

test("a model's params are checked against its modality, and its price unit too", () => {
  const wrong = structuredClone(shipped);
  const kling = wrong.models.find((m: { id: string }) => m.id === 'kling-v2.6-pro');
  kling.params.default_duration = 7;
  kling.price.unit = 'image';
  const voice = wrong.models.find((m: { id: string }) => m.id === 'aio-voice');
  delete voice.params.voices;
  assert.throws(
    () => load(wrong),
    (err: Error) => /default_duration: 7 is not one of its durations/.test(err.message) && /priced per second, not per image/.test(err.message) && /a speech model needs voices/.test(err.message),
  );
});

test('problems are reported with their path, all at once', () => {
  const broken = structuredClone(shipped);
  broken.models[0].price.credits = -1;
  broken.models[0].params.size.default = '5:5';
  assert.throws(() => load(broken), (err: Error) => err instanceof ConfigError && /\/price\/credits/.test(err.message));
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
