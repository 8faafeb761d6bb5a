// Random tokens and ids: the right length and alphabet, unbiased, never repeated, also across
// the refills of the CSPRNG byte pool they are drawn from.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { newId, randomToken } from '../../src/lib/ids.js';

test('tokens have the length asked, base62 only, and do not repeat across pool refills', () => {
  const seen = new Set<string>();
  // 3,000 tokens of 40 characters draw about 120 KB: dozens of refills of the 4 KiB pool.
  for (let i = 0; i < 3000; i++) {
    const token = randomToken(40);
    assert.match(token, /^[0-9A-Za-z]{40}$/);
    seen.add(token);
  }
  assert.equal(seen.size, 3000);
  assert.equal(randomToken(1).length, 1);
  assert.equal(randomToken(5000).length, 5000, 'longer than the pool');
});

test('every character is about equally likely (no modulo bias)', () => {
  const counts = new Map<string, number>();
  const text = randomToken(124_000);
  for (const ch of text) counts.set(ch, (counts.get(ch) ?? 0) + 1);
  assert.equal(counts.size, 62);
  // Expected 2,000 each; a bias of the size `byte % 62` without rejection gives (+25%) is far outside this.
  for (const [ch, n] of counts) assert.ok(n > 1700 && n < 2300, `${ch}: ${n}`);
});

test('ids carry their prefix and sort by creation time', async () => {
  const first = newId('task');
  await new Promise((r) => setTimeout(r, 5));
  const second = newId('task');
  assert.match(first, /^task_[0-9a-z]{9}[0-9A-Za-z]{16}$/);
  assert.ok(first.slice(0, 14) <= second.slice(0, 14));
  assert.notEqual(first, second);
});

test('ids made in the same millisecond still sort in the order they were made', () => {
  const ids = Array.from({ length: 2000 }, () => newId('le'));
  for (let i = 1; i < ids.length; i++) assert.ok(ids[i - 1]! < ids[i]!, `${ids[i - 1]} < ${ids[i]}`);
  assert.equal(new Set(ids).size, ids.length);
});
