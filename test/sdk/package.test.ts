// The SDK as a package: its generated types match the server's schemas today, it compiles for
// browsers (DOM library, no Node types), and what `npm run build` makes runs in plain Node (no
// tsx) against a real server through the package's own `exports`.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { cp, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { GENERATED_FILE, generateTypes } from '../../packages/sdk/scripts/generate-types.js';
import { tempDir } from '../helpers/databases.js';
import { startTestServer, type TestServer } from '../helpers/server.js';

const execFileP = promisify(execFile);
const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const SDK = path.join(ROOT, 'packages/sdk');
const TSC = path.join(ROOT, 'node_modules/typescript/bin/tsc');

describe('the SDK package', () => {
  let server: TestServer;

  before(async () => {
    server = await startTestServer();
  });
  after(async () => {
    await server?.close();
  });

  test('src/generated.ts is what the server’s schemas generate now', async () => {
    assert.equal(await readFile(GENERATED_FILE, 'utf8'), generateTypes(), 'run: node --import tsx packages/sdk/scripts/generate-types.ts');
  });

  test('package.json: ESM, publishable, no runtime dependencies, exports the build', async () => {
    const pkg = JSON.parse(await readFile(path.join(SDK, 'package.json'), 'utf8'));
    assert.equal(pkg.name, '@api-in-one/sdk');
    assert.equal(pkg.type, 'module');
    assert.equal(pkg.private, undefined);
    assert.equal(pkg.dependencies, undefined);
    assert.deepEqual(pkg.exports['.'], { types: './dist/index.d.ts', import: './dist/index.js' });
  });

  test('npm run build’s output works in plain Node 20 through the package exports', async () => {
    // Build a copy (the package folder itself stays clean), as `npm run build` does.
    const pkgDir = path.join(tempDir(), 'node_modules/@api-in-one/sdk');
    await cp(path.join(SDK, 'src'), path.join(pkgDir, 'src'), { recursive: true });
    for (const file of ['package.json', 'tsconfig.json', 'README.md']) await cp(path.join(SDK, file), path.join(pkgDir, file));
    await execFileP(process.execPath, [TSC, '-p', path.join(pkgDir, 'tsconfig.json')]);
    const types = await readFile(path.join(pkgDir, 'dist/index.d.ts'), 'utf8');
    assert.match(types, /export \{ Aio/);

    const app = path.join(pkgDir, '../../../app.mjs');
    await writeFile(
      app,
      `import { Aio, AuthenticationError } from '@api-in-one/sdk';
const aio = new Aio({ baseUrl: process.env.AIO_BASE_URL, apiKey: process.env.AIO_API_KEY });
const task = await aio.images.createAndWait({ model: 'aio-poster', prompt: 'Built and shipped' });
const bytes = await aio.download(task.output.images[0].url);
const denied = await new Aio({ baseUrl: process.env.AIO_BASE_URL, apiKey: 'aio_test_x' }).tasks.list().catch((e) => e);
console.log(JSON.stringify({ status: task.status, png: bytes[1] === 0x50 && bytes[2] === 0x4e && bytes[3] === 0x47, auth: denied instanceof AuthenticationError }));
`,
    );
    const key = (await server.account({ test: true })).key;
    const { stdout } = await execFileP(process.execPath, [app], { env: { ...process.env, AIO_BASE_URL: server.url, AIO_API_KEY: key } });
    assert.deepEqual(JSON.parse(stdout), { status: 'succeeded', png: true, auth: true });
  });
});
