// The SDK README's examples, run as written (only the package name points at the source) against
// a real server with a test key, each as its own Node process like a user's script.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import sharp from 'sharp';
import { tempDir } from '../helpers/databases.js';
import { startTestServer, type TestServer } from '../helpers/server.js';

const execFileP = promisify(execFile);
const SDK = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../packages/sdk');
/** tsx by its resolved URL: the examples run in a directory of their own, outside this project. */
const TSX = import.meta.resolve('tsx');

/** The README's ```ts blocks that start with `// example: NAME`. */
function examples(): Map<string, string> {
  const readme = readFileSync(path.join(SDK, 'README.md'), 'utf8');
  const found = new Map<string, string>();
  for (const [, code] of readme.matchAll(/```ts\n([\s\S]*?)```/g)) {
    const name = /^\/\/ example: (\S+)/.exec(code!)?.[1];
    if (name) found.set(name, code!);
  }
  return found;
}

describe('SDK README examples', () => {
  let server: TestServer;
  let key: string;
  const all = examples();

  /** Runs one example in a fresh directory; answers its output and the directory. */
  async function run(name: string) {
    const code = all.get(name);
    assert.ok(code, `the README has an example '${name}'`);
    const dir = tempDir();
    const file = path.join(dir, `${name}.mts`);
    await writeFile(file, code.replaceAll("'@api-in-one/sdk'", JSON.stringify(path.join(SDK, 'src/index.ts'))));
    const env = { ...process.env, AIO_BASE_URL: server.url, AIO_API_KEY: key };
    const { stdout } = await execFileP(process.execPath, ['--import', TSX, file], { env, cwd: dir });
    return { stdout, dir };
  }

  before(async () => {
    server = await startTestServer();
    key = (await server.account({ test: true })).key;
  });
  after(async () => {
    await server?.close();
  });

  test('the README has the examples this test knows', () => {
    assert.deepEqual([...all.keys()].sort(), ['chat', 'errors', 'image', 'tasks', 'video-events']);
  });

  test('image: a 16:9 WebP written to disk, free in test mode', async () => {
    const { stdout, dir } = await run('image');
    assert.equal(stdout.trim(), '1280x720 webp, 0 credits');
    const meta = await sharp(await readFile(path.join(dir, 'poster.webp'))).metadata();
    assert.deepEqual([meta.format, meta.width, meta.height], ['webp', 1280, 720]);
  });

  test('video-events: the events as they come, then the finished video', async () => {
    const { stdout } = await run('video-events');
    const lines = stdout.trim().split('\n');
    assert.equal(lines[0], 'queued ');
    assert.ok(lines.includes('running '), stdout);
    assert.match(lines.at(-1)!, /^succeeded http:\/\/127\.0\.0\.1:\d+\/files\/vid_\w+\.mp4$/);
  });

  test('errors: typed errors with code, param and request id', async () => {
    const { stdout } = await run('errors');
    const [first, second] = stdout.trim().split('\n');
    assert.match(first!, /^400 invalid_parameter size req_\w+$/);
    assert.equal(second, 'true invalid_api_key');
  });

  test('chat: the streamed answer', async () => {
    const { stdout } = await run('chat');
    assert.match(stdout, /^Echo from aio-echo \(as aio-echo\): I received 1 message\. Your last user message says: "Say hello"\.\n$/);
  });

  test('tasks: list, get, and a refused cancel', async () => {
    const made = await server.api('POST', '/api/v1/images/generations', { key, body: { model: 'aio-poster', prompt: 'For the list' }, headers: { prefer: 'wait' } });
    assert.equal(made.body.status, 'succeeded');
    const { stdout } = await run('tasks');
    const lines = stdout.trim().split('\n');
    assert.ok(lines.length >= 2, stdout);
    assert.match(lines[0]!, /^task_\w+ (image|video) aio-(poster|motion) succeeded$/);
    assert.equal(lines.at(-1), 'not cancelable: task_not_cancelable');
  });
});
