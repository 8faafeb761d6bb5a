// The local file store makes its folder once, and again if the folder disappears while it runs.
import assert from 'node:assert/strict';
import { rmSync } from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { LocalDiskStorage } from '../src/storage/local-disk.js';
import type { Storage } from '../src/storage/types.js';
import { tempDir } from './helpers/databases.js';

test('files are stored in a folder made on first use, and made again after it was removed', async () => {
  const dir = path.join(tempDir(), 'files');
  const store: Storage = new LocalDiskStorage(dir);
  await store.put('img_a.png', Buffer.from('a'), 'image/png');
  assert.deepEqual(await store.get('img_a.png'), Buffer.from('a'));
  rmSync(dir, { recursive: true, force: true });
  await store.put('img_b.png', Buffer.from('b'), 'image/png');
  assert.deepEqual(await store.get('img_b.png'), Buffer.from('b'));
  assert.equal(await store.get('img_a.png'), null);
});
