// The first load stays small, public pages and the dashboard apart, each with its budget. From the
// build's manifest (web/dist/.vite/manifest.json): what a page needs before it first renders is
// the entry (React and the frame) and what it imports, plus the page's own chunk and what that
// imports; gzipped, as a browser gets it. A public page's first load carries no dashboard code.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { gzipSync } from 'node:zlib';
import { DIST, requireBuiltWeb } from './browser.js';

const KB = 1024;
const PUBLIC_BUDGET = 80 * KB;
const DASHBOARD_BUDGET = 125 * KB;

/** The public pages, by their source module (each is its own chunk). */
const PUBLIC_PAGES = ['src/pages/public/Home.tsx', 'src/pages/public/Catalog.tsx', 'src/pages/public/ModelPage.tsx', 'src/pages/public/Pricing.tsx', 'src/pages/docs/Docs.tsx', 'src/pages/Auth.tsx'];
const DASHBOARD = 'src/pages/dashboard/index.tsx';

interface Chunk {
  file: string;
  imports?: string[];
  dynamicImports?: string[];
  isEntry?: boolean;
}

function load() {
  requireBuiltWeb();
  const manifest = JSON.parse(readFileSync(path.join(DIST, '.vite', 'manifest.json'), 'utf8')) as Record<string, Chunk>;
  /** A chunk's file and the files of everything it imports statically, transitively. */
  const closure = (key: string, into = new Set<string>()): Set<string> => {
    const chunk = manifest[key];
    assert.ok(chunk, `the manifest has ${key}`);
    if (into.has(chunk.file)) return into;
    into.add(chunk.file);
    for (const i of chunk.imports ?? []) closure(i, into);
    return into;
  };
  const gz = (file: string) => gzipSync(readFileSync(path.join(DIST, file)), { level: 9 }).length;
  const total = (files: Set<string>) => [...files].reduce((sum, f) => sum + gz(f), 0);
  const entryKey = Object.keys(manifest).find((k) => manifest[k]!.isEntry)!;
  return { manifest, closure, total, entry: closure(entryKey), gz };
}

const kb = (n: number) => `${(n / KB).toFixed(1)} KB`;

test('index.html loads only the entry and its static imports, all within the public budget', () => {
  const { entry, total } = load();
  const html = readFileSync(path.join(DIST, 'index.html'), 'utf8');
  const loaded = new Set([...html.matchAll(/<(?:script[^>]+src|link[^>]+rel="modulepreload"[^>]+href)="\/([^"]+\.js)"/g)].map((m) => m[1]!));
  assert.deepEqual([...loaded].sort(), [...entry].sort(), 'index.html loads exactly the entry and what it imports');
  console.log(`entry: ${kb(total(entry))} gzipped`);
  assert.ok(total(entry) < PUBLIC_BUDGET, `the entry alone is ${kb(total(entry))}`);
});

test(`every public page's first load is under ${kb(PUBLIC_BUDGET)} gzipped, without dashboard code`, () => {
  const { closure, total, entry } = load();
  const dashboard = closure(DASHBOARD);
  const dashboardOnly = [...dashboard].filter((f) => ![...PUBLIC_PAGES.flatMap((p) => [...closure(p)]), ...entry].includes(f));
  assert.ok(dashboardOnly.length > 0, 'the dashboard has chunks of its own');
  for (const page of PUBLIC_PAGES) {
    const files = closure(page, new Set(entry));
    const size = total(files);
    console.log(`${page}: ${kb(size)} gzipped`);
    assert.ok(size < PUBLIC_BUDGET, `${page} loads ${kb(size)}; the budget is ${kb(PUBLIC_BUDGET)}`);
    for (const f of dashboardOnly) assert.ok(!files.has(f), `${page} does not load the dashboard's ${f}`);
  }
});

test(`a dashboard page's first load is under ${kb(DASHBOARD_BUDGET)} gzipped; admin pages are a chunk of their own`, () => {
  const { manifest, closure, total, entry } = load();
  const size = total(closure(DASHBOARD, new Set(entry)));
  console.log(`dashboard: ${kb(size)} gzipped`);
  assert.ok(size < DASHBOARD_BUDGET, `a dashboard page loads ${kb(size)}; the budget is ${kb(DASHBOARD_BUDGET)}`);
  const admin = Object.keys(manifest).find((k) => /pages\/admin\//.test(k));
  assert.ok(admin, 'the admin pages are a chunk');
  assert.ok(manifest[DASHBOARD]!.dynamicImports?.some((k) => k.includes('pages/admin/')), 'loaded lazily from the dashboard');
  assert.ok(!closure(DASHBOARD).has(manifest[admin!]!.file), 'not part of a dashboard page’s first load');
});
