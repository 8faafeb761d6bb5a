// Vite config for the dashboard and public model pages. Built to web/dist by bin/build-web.js.
import { readFileSync, readdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';
import react from '@vitejs/plugin-react';
import { defineConfig, type Plugin } from 'vite';

/** Writes .br and .gz siblings of the built assets; the server sends them as they are. */
function precompress(): Plugin {
  return {
    name: 'aio-precompress',
    apply: 'build',
    closeBundle() {
      const dir = path.join(import.meta.dirname, 'dist', 'assets');
      for (const name of readdirSync(dir)) {
        if (!/\.(js|css|svg)$/.test(name)) continue;
        const file = path.join(dir, name);
        const data = readFileSync(file);
        if (data.length < 1024) continue;
        writeFileSync(`${file}.gz`, gzipSync(data, { level: 9 }));
        writeFileSync(`${file}.br`, brotliCompressSync(data, { params: { [constants.BROTLI_PARAM_QUALITY]: 11, [constants.BROTLI_PARAM_SIZE_HINT]: data.length } }));
      }
    },
  };
}

export default defineConfig({
  root: import.meta.dirname,
  base: '/',
  plugins: [react(), precompress()],
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    assetsDir: 'assets',
    target: 'es2022',
    sourcemap: false,
    chunkSizeWarningLimit: 400,
    // Browsers without module preload fetch the page's chunks a moment later; not worth bytes on every page.
    modulePreload: { polyfill: false },
    // test/web/bundle-size.test.ts reads it to add up what each page loads.
    manifest: true,
  },
  server: {
    // `npx vite web` during development: the API runs on `npm start` (port 8080 by default).
    proxy: { '/api': 'http://127.0.0.1:8080', '/files': 'http://127.0.0.1:8080' },
  },
});
