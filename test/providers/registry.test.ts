// The provider registry: ids, credentials and the operations each provider offers.
import { it } from 'node:test';
import assert from 'node:assert/strict';
import { getProvider, providerIds, providerNeedsCredentials, providerOperations } from '../../src/providers/registry.js';

it('lists every provider with the operations it offers', () => {
  for (const id of ['local', 'ideogram', 'openai', 'fal', 'gemini']) assert.ok(providerIds.includes(id), id);
  assert.deepEqual(providerOperations('ideogram'), ['image']);
  assert.deepEqual(providerOperations('openai').sort(), ['chat', 'image', 'speech']);
  assert.deepEqual(providerOperations('fal').sort(), ['image', 'music', 'tool', 'video']);
  assert.deepEqual(providerOperations('gemini'), ['video']);
  assert.ok(providerOperations('local').includes('image'));
  assert.deepEqual(providerOperations('nobody'), []);
  for (const id of providerIds) {
    assert.equal(getProvider(id).id, id);
    for (const name of providerOperations(id)) assert.equal(typeof getProvider(id).operations[name], 'function');
  }
});

it('knows which providers need credentials', () => {
  assert.equal(providerNeedsCredentials('local'), false);
  for (const id of ['ideogram', 'openai', 'fal', 'gemini']) assert.equal(providerNeedsCredentials(id), true, id);
  assert.equal(providerNeedsCredentials('nobody'), true);
  assert.throws(() => getProvider('nobody'), /unknown provider/);
});
