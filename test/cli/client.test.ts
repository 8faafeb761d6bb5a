// The `aio` client commands against a real server with a test key, as a user runs them: the
// files they write are probed for their real format and shape.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import sharp from 'sharp';
import { probeMedia } from '../../src/media/probe.js';
import { tempDir } from '../helpers/databases.js';
import { startTestServer, type TestServer } from '../helpers/server.js';

const execFileP = promisify(execFile);
const BIN = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../bin/aio.js');

describe('aio client commands', () => {
  let server: TestServer;
  let key: string;
  let dir: string;

  /** Runs `aio ...` in `dir`; never throws: the exit code is part of the answer. */
  const aio = async (args: string[], env: Record<string, string | undefined> = {}) => {
    const full: Record<string, string | undefined> = { ...process.env, AIO_BASE_URL: server.url, AIO_API_KEY: key, ...env };
    for (const [k, v] of Object.entries(full)) if (v === undefined) delete full[k];
    return execFileP(process.execPath, [BIN, ...args], { env: full, cwd: dir })
      .then((r) => ({ code: 0, stdout: r.stdout, stderr: r.stderr }))
      .catch((e: { code: number; stdout: string; stderr: string }) => ({ code: e.code, stdout: e.stdout, stderr: e.stderr }));
  };

  before(async () => {
    server = await startTestServer();
    key = (await server.account({ test: true })).key;
    dir = tempDir();
  });
  after(async () => {
    await server?.close();
  });

  test('generate video "..." -o clip.mp4 writes an H.264 MP4 of the default shape and length', async () => {
    const run = await aio(['generate', 'video', 'Waves rolling onto a beach at sunset', '-o', 'clip.mp4']);
    assert.equal(run.code, 0, run.stderr);
    assert.match(run.stderr, /^model: aio-motion/m, 'the first available video model');
    assert.match(run.stderr, /^task_\S+ succeeded$/m, 'plain progress lines when stderr is not a terminal');
    assert.match(run.stderr, /saved clip\.mp4 \(mp4, 1280x720, 5s/);
    assert.equal(run.stdout.trim(), 'clip.mp4');
    const info = await probeMedia(await readFile(path.join(dir, 'clip.mp4')));
    assert.deepEqual([info.video?.codec, info.video?.width, info.video?.height], ['h264', 1280, 720]);
    assert.ok(Math.abs(info.durationS - 5) < 0.3, `${info.durationS}s`);
  });

  test('generate image "..." --size 16:9 --format webp -o a.webp writes a 16:9 WebP', async () => {
    const run = await aio(['generate', 'image', 'A poster for a jazz night', '--size', '16:9', '--format', 'webp', '-o', 'a.webp']);
    assert.equal(run.code, 0, run.stderr);
    const meta = await sharp(await readFile(path.join(dir, 'a.webp'))).metadata();
    assert.equal(meta.format, 'webp');
    assert.equal(meta.width! * 9, meta.height! * 16, `${meta.width}x${meta.height} is 16:9`);
  });

  test('the output format follows -o when --format is not given (image and speech)', async () => {
    const image = await aio(['generate', 'image', 'A lemon on a table', '--size', '3:4', '-o', 'lemon.jpg', '--json']);
    assert.equal(image.code, 0, image.stderr);
    const task = JSON.parse(image.stdout);
    assert.equal(task.input.output_format, 'jpeg');
    const meta = await sharp(await readFile(path.join(dir, 'lemon.jpg'))).metadata();
    assert.equal(meta.format, 'jpeg');
    assert.equal(meta.width! * 4, meta.height! * 3);

    const speech = await aio(['generate', 'audio', 'Hello from the command line.', '--model', 'aio-voice', '--voice', 'nova', '-o', 'hello.wav']);
    assert.equal(speech.code, 0, speech.stderr);
    const info = await probeMedia(await readFile(path.join(dir, 'hello.wav')));
    assert.equal(info.container, 'wav');
    assert.ok(info.durationS > 0.5);
  });

  test('generate tool with a local image file: the upscaled image is twice the size', async () => {
    await sharp({ create: { width: 64, height: 48, channels: 3, background: { r: 200, g: 80, b: 20 } } }).png().toFile(path.join(dir, 'small.png'));
    const run = await aio(['generate', 'tool', '--model', 'aio-upscale', '--image', 'small.png', '--scale', '2', '-o', 'big.png']);
    assert.equal(run.code, 0, run.stderr);
    const meta = await sharp(await readFile(path.join(dir, 'big.png'))).metadata();
    assert.deepEqual([meta.format, meta.width, meta.height], ['png', 128, 96]);
  });

  test('tasks list, get, watch and cancel', async () => {
    for (const prompt of ['one', 'two', 'three'])
      assert.equal((await server.api('POST', '/api/v1/images/generations', { key, body: { model: 'aio-poster', prompt }, headers: { prefer: 'wait' } })).status, 200);
    const list = await aio(['tasks', 'list', '--limit', '3', '--json']);
    assert.equal(list.code, 0, list.stderr);
    const page = JSON.parse(list.stdout);
    assert.equal(page.data.length, 3);
    const id = page.data[0].id;
    const got = JSON.parse((await aio(['tasks', 'get', id, '--json'])).stdout);
    assert.equal(got.id, id);
    assert.equal(got.status, 'succeeded');
    const watched = await aio(['tasks', 'watch', id, '--json']);
    assert.equal(JSON.parse(watched.stdout).status, 'succeeded');
    const text = await aio(['tasks', 'list', '--limit', '2']);
    assert.equal(text.stdout.trim().split('\n').length, 2);
    assert.match(text.stdout, /^task_\S+ +\w+ +\S+ +succeeded/m);
    const cancel = await aio(['tasks', 'cancel', id, '--json']);
    assert.equal(cancel.code, 1);
    assert.equal(JSON.parse(cancel.stdout).error.code, 'task_not_cancelable');
  });

  test('chat streams the answer to stdout', async () => {
    const run = await aio(['chat', 'What is the capital of France?', '--model', 'aio-echo']);
    assert.equal(run.code, 0, run.stderr);
    assert.match(run.stdout, /^Echo from aio-echo/);
    assert.match(run.stdout, /What is the capital of France\?/);
  });

  test('--base-url and --key instead of the environment; a bad key and no key are told apart', async () => {
    const flags = await aio(['tasks', 'list', '--limit', '1', '--json', '--base-url', server.url, '--key', key], { AIO_BASE_URL: 'http://127.0.0.1:9', AIO_API_KEY: undefined });
    assert.equal(flags.code, 0, flags.stderr);
    // The environment points at a dead port and has no key: the answer came through the flags.
    assert.equal(JSON.parse(flags.stdout).object, 'list');
    const bad = await aio(['tasks', 'list', '--key', 'aio_test_wrong']);
    assert.equal(bad.code, 1);
    assert.match(bad.stderr, /\[invalid_api_key, request req_\w+\]/);
    const none = await aio(['tasks', 'list'], { AIO_API_KEY: undefined });
    assert.equal(none.code, 2);
    assert.match(none.stderr, /AIO_API_KEY/);
    const unreachable = await aio(['tasks', 'list'], { AIO_BASE_URL: 'http://127.0.0.1:9' });
    assert.equal(unreachable.code, 1);
    assert.match(unreachable.stderr, /connection_error/);
  });

  test('a refused request says why and writes nothing', async () => {
    const run = await aio(['generate', 'image', 'x', '--model', 'aio-poster', '--size', '5:4', '-o', 'never.png']);
    assert.equal(run.code, 1);
    assert.match(run.stderr, /size/);
    assert.match(run.stderr, /\[invalid_parameter/);
    await assert.rejects(readFile(path.join(dir, 'never.png')));
    await writeFile(path.join(dir, 'note.txt'), 'not an image');
    const tool = await aio(['generate', 'tool', '--model', 'aio-upscale', '--image', 'note.txt']);
    assert.equal(tool.code, 2);
  });
});
