#!/usr/bin/env node
// Builds the web app (web/ -> web/dist) with Vite, but only when web/dist/index.html is missing
// or older than a source file, so `npm start` stays fast. `--force` always builds.
import { readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const web = path.join(root, 'web');
const built = path.join(web, 'dist', 'index.html');

function newest(entry) {
  let stat;
  try {
    stat = statSync(entry);
  } catch {
    return 0;
  }
  if (!stat.isDirectory()) return stat.mtimeMs;
  return readdirSync(entry).reduce((max, name) => Math.max(max, newest(path.join(entry, name))), stat.mtimeMs);
}

function builtAt() {
  try {
    return statSync(built).mtimeMs;
  } catch {
    return 0;
  }
}

const sources = ['src', 'index.html', 'vite.config.ts', 'public'].map((p) => path.join(web, p));
const stale = process.argv.includes('--force') || builtAt() === 0 || sources.some((s) => newest(s) > builtAt());
if (!stale) process.exit(0);

console.error('building the web app (web/ -> web/dist)…');
const { build } = await import('vite');
try {
  await build({ root: web, configFile: path.join(web, 'vite.config.ts'), logLevel: 'warn' });
} catch (err) {
  console.error(err);
  process.exit(1);
}
