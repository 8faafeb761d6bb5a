import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import sharp from 'sharp';
import { loadInputImage, InputImageError, type LoadInputImageOptions, type InputImageErrorCode } from '../../src/media/input-image.js';
import { AppError } from '../../src/lib/app-error.js';

const solid = (width: number, height: number, background: string) => sharp({ create: { width, height, channels: 3, background } });
const dataUrl = (type: string, data: Buffer) => `data:${type};base64,${data.toString('base64')}`;

let png: Buffer;
let jpeg: Buffer;
let webp: Buffer;
let gif: Buffer;
let rotatedJpeg: Buffer;
let server: http.Server;
let base: string;

before(async () => {
  png = await solid(33, 17, '#ff0000').png().toBuffer();
  jpeg = await solid(40, 30, '#00ff00').jpeg().toBuffer();
  webp = await solid(21, 13, '#0000ff').webp().toBuffer();
  const frames = await Promise.all(['#ff0000', '#0000ff'].map((c) => solid(30, 20, c).png().toBuffer()));
  gif = await sharp(frames, { join: { animated: true } }).gif().toBuffer();
  // Stored 40 wide and 30 high, shown turned a quarter: 30 wide and 40 high.
  rotatedJpeg = await solid(40, 30, '#808080').jpeg().withMetadata({ orientation: 6 }).toBuffer();

  server = http.createServer((req, res) => {
    const routes: Record<string, [string, Buffer]> = {
      '/a.png': ['image/png', png],
      '/a.webp': ['image/webp', webp],
      '/page': ['text/html', Buffer.from('<html></html>')],
      '/fake.png': ['image/png', Buffer.from('this is not an image at all')],
    };
    const hit = routes[req.url ?? ''];
    if (!hit) {
      res.writeHead(404).end();
      return;
    }
    res.writeHead(200, { 'content-type': hit[0] }).end(hit[1]);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

after(async () => {
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

const OPTS: LoadInputImageOptions = { allowPrivate: true, maxBytes: 1_000_000, maxPixels: 10_000, timeoutMs: 5000 };

async function rejectsWith(p: Promise<unknown>, code: InputImageErrorCode, param = 'image_url'): Promise<InputImageError> {
  try {
    await p;
  } catch (err) {
    assert.ok(err instanceof InputImageError, `expected InputImageError, got ${String(err)}`);
    assert.ok(err instanceof AppError);
    assert.equal(err.code, code, err.message);
    assert.equal(err.param, param);
    assert.equal(err.status, 400);
    return err;
  }
  assert.fail(`expected ${code}`);
}

test('data URLs of png, jpeg and webp keep their bytes and report their size', async () => {
  for (const [type, bytes, w, h] of [
    ['image/png', png, 33, 17],
    ['image/jpeg', jpeg, 40, 30],
    ['image/webp', webp, 21, 13],
  ] as const) {
    const img = await loadInputImage(dataUrl(type, bytes), OPTS);
    assert.equal(img.contentType, type);
    assert.equal(img.width, w);
    assert.equal(img.height, h);
    assert.ok(img.data.equals(bytes));
  }
});

test('the content type comes from the bytes, not from what the URL claims', async () => {
  const img = await loadInputImage(dataUrl('image/jpeg', png), OPTS);
  assert.equal(img.contentType, 'image/png');
});

test('a GIF becomes its first frame as PNG', async () => {
  const img = await loadInputImage(dataUrl('image/gif', gif), OPTS);
  assert.equal(img.contentType, 'image/png');
  assert.equal(img.width, 30);
  assert.equal(img.height, 20);
  const meta = await sharp(img.data).metadata();
  assert.equal(meta.format, 'png');
  assert.equal(meta.pages ?? 1, 1);
  const { data } = await sharp(img.data).removeAlpha().raw().toBuffer({ resolveWithObject: true });
  assert.deepEqual([data[0], data[1], data[2]], [255, 0, 0], 'the first (red) frame');
});

test('EXIF orientation is applied, so width and height are as the picture is seen', async () => {
  const img = await loadInputImage(dataUrl('image/jpeg', rotatedJpeg), OPTS);
  assert.equal(img.width, 30);
  assert.equal(img.height, 40);
  const meta = await sharp(img.data).metadata();
  assert.equal(meta.format, 'jpeg');
  assert.equal(meta.width, 30);
  assert.equal(meta.height, 40);
  assert.ok((meta.orientation ?? 1) === 1);
});

test('bad data URLs', async () => {
  await rejectsWith(loadInputImage('data:text/plain;base64,aGVsbG8=', OPTS), 'not_an_image');
  await rejectsWith(loadInputImage('data:image/png,rawbytes', OPTS), 'invalid_image_url');
  await rejectsWith(loadInputImage('data:image/png;base64,@@@not base64@@@', OPTS), 'invalid_image_url');
  await rejectsWith(loadInputImage('data:image/png', OPTS), 'invalid_image_url');
  await rejectsWith(loadInputImage(dataUrl('image/png', Buffer.from('plain text pretending')), OPTS), 'not_an_image');
  const svg = Buffer.from('<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"><rect width="10" height="10"/></svg>');
  await rejectsWith(loadInputImage(dataUrl('image/svg+xml', svg), OPTS), 'not_an_image');
  const tiff = await solid(8, 8, '#000').tiff().toBuffer();
  await rejectsWith(loadInputImage(dataUrl('image/tiff', tiff), OPTS), 'not_an_image');
});

test('a truncated image is not an image', async () => {
  const big = await sharp({ create: { width: 90, height: 90, channels: 3, background: '#808080', noise: { type: 'gaussian', mean: 128, sigma: 40 } } }).png().toBuffer();
  await rejectsWith(loadInputImage(dataUrl('image/png', big.subarray(0, Math.floor(big.length / 2))), OPTS), 'not_an_image');
});

test('too many pixels or too many bytes', async () => {
  const wide = await solid(200, 60, '#fff').png().toBuffer(); // 12,000 pixels
  const err = await rejectsWith(loadInputImage(dataUrl('image/png', wide), OPTS), 'image_too_large');
  assert.match(err.message, /200x60/);
  await rejectsWith(loadInputImage(dataUrl('image/png', png), { ...OPTS, maxBytes: 50 }), 'image_too_large');
  await rejectsWith(loadInputImage(`${base}/a.png`, { ...OPTS, maxBytes: 50 }), 'image_too_large');
});

test('http URLs go through the safe fetch', async () => {
  const img = await loadInputImage(`${base}/a.webp`, OPTS);
  assert.equal(img.contentType, 'image/webp');
  assert.equal(img.width, 21);
  assert.ok(img.data.equals(webp));

  const refused = await rejectsWith(loadInputImage(`${base}/a.png`, { ...OPTS, allowPrivate: false }), 'invalid_image_url');
  assert.match(refused.message, /private/);
  await rejectsWith(loadInputImage(`${base}/missing.png`, OPTS), 'image_fetch_failed');
  await rejectsWith(loadInputImage(`${base}/page`, OPTS), 'not_an_image');
  await rejectsWith(loadInputImage(`${base}/fake.png`, OPTS), 'not_an_image');
});

test('uploaded files by aio-file:// or by their API URL', async () => {
  const files = new Map([['file_abc123', { data: jpeg, contentType: 'image/jpeg' }]]);
  const asked: string[] = [];
  const readUpload = async (id: string) => {
    asked.push(id);
    return files.get(id) ?? null;
  };
  for (const url of ['aio-file://file_abc123', 'https://api.example.com/api/v1/files/file_abc123/content', '/api/v1/files/file_abc123/content']) {
    const img = await loadInputImage(url, { ...OPTS, allowPrivate: false, readUpload });
    assert.equal(img.width, 40);
    assert.equal(img.contentType, 'image/jpeg');
  }
  assert.deepEqual(asked, ['file_abc123', 'file_abc123', 'file_abc123']);
  await rejectsWith(loadInputImage('aio-file://file_nope', { ...OPTS, readUpload }), 'invalid_image_url');
  await rejectsWith(loadInputImage('aio-file://file_abc123', OPTS), 'invalid_image_url');
  await rejectsWith(loadInputImage('aio-file://file_abc123', { ...OPTS, maxBytes: 10, readUpload }), 'image_too_large');
});

test('other schemes and garbage are invalid, named by the given param', async () => {
  for (const url of ['ftp://example.com/a.png', 'file:///etc/passwd', 'just words', '', 'javascript:alert(1)']) {
    await rejectsWith(loadInputImage(url, { ...OPTS, param: 'first_frame' }), 'invalid_image_url', 'first_frame');
  }
});
