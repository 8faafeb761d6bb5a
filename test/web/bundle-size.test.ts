// The first load stays small: the JS that index.html loads (entry + preloaded chunks), gzipped,
// is under 300 KB. Admin pages are a separate chunk that only admins download.
import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { gzipSync } from 'node:zlib';
import { DIST, requireBuiltWeb } from './browser.js';

const LIMIT = 300 * 1024;

test('the first load is under 300 KB of gzipped JS', () => {
  requireBuiltWeb();
  const html = readFileSync(path.join(DIST, 'index.html'), 'utf8');
  const entries = [...html.matchAll(/<(?:script[^>]+src|link[^>]+rel="modulepreload"[^>]+href)="([^"]+\.js)"/g)].map((m) => m[1]!);
  assert.ok(entries.length >= 1, 'index.html loads at least one script');
  const gz = entries.map((src) => ({ src, bytes: gzipSync(readFileSync(path.join(DIST, src.replace(/^\//, '')))).length }));
  const total = gz.reduce((sum, e) => sum + e.bytes, 0);
  console.log(`first-load JS: ${(total / 1024).toFixed(1)} KB gzipped (${gz.map((e) => `${e.src} ${(e.bytes / 1024).toFixed(1)} KB`).join(', ')})`);
  assert.ok(total < LIMIT, `first-load JS is ${(total / 1024).toFixed(1)} KB gzipped; the budget is 300 KB`);
  const all = readdirSync(path.join(DIST, 'assets')).filter((f) => f.endsWith('.js'));
  assert.ok(all.some((f) => /^Admin-/.test(f) && !entries.some((e) => e.endsWith(f))), 'admin pages are split out of the first load');
});
