// The retention purge deletes files from either store: local disk, and an S3-compatible bucket
// with a SigV4-signed DELETE (checked by a fake bucket that verifies every signature). Deleting
// a file that is already gone is fine: a purge may run twice.
import assert from 'node:assert/strict';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { test } from 'node:test';
import { sha256Hex } from '../../src/lib/hash.js';
import { LocalDiskStorage } from '../../src/storage/local-disk.js';
import { S3Storage } from '../../src/storage/s3.js';
import { signRequest } from '../../src/storage/sigv4.js';
import type { Storage } from '../../src/storage/types.js';
import { outputFileNames } from '../../src/services/retention.js';
import { tempDir } from '../helpers/databases.js';

const CREDS = { accessKeyId: 'AKIAIOSFODNN7EXAMPLE', secretAccessKey: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY', region: 'us-east-1' };

test('local disk: delete removes the file; deleting it again, or a file never written, is no error', async () => {
  const store: Storage = new LocalDiskStorage(tempDir());
  await store.put('img_gone.png', Buffer.from('x'), 'image/png');
  await store.put('img_kept.png', Buffer.from('y'), 'image/png');
  await store.delete('img_gone.png');
  assert.equal(await store.get('img_gone.png'), null);
  assert.deepEqual(await store.get('img_kept.png'), Buffer.from('y'));
  await store.delete('img_gone.png');
  await store.delete('img_never.png');
  await assert.rejects(store.delete('../escape.png'), /bad file name/);
});

test('S3: a signed DELETE removes the object (204, as S3 answers either way); a bad signature is an error', async () => {
  const objects = new Map<string, Buffer>();
  const seen: string[] = [];
  const server = http.createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const body = Buffer.concat(chunks);
    const signedNames = /SignedHeaders=([^,]+)/.exec(String(req.headers.authorization))?.[1]?.split(';') ?? [];
    const expected = signRequest(CREDS, {
      method: req.method!,
      path: req.url!,
      headers: Object.fromEntries(signedNames.filter((n) => !n.startsWith('x-amz-')).map((n) => [n, String(req.headers[n])])),
      payloadHash: sha256Hex(body),
      amzDate: String(req.headers['x-amz-date']),
    });
    seen.push(`${req.method} ${req.url}`);
    if (req.headers.authorization !== expected.authorization) return void res.writeHead(403).end('<Error><Code>SignatureDoesNotMatch</Code></Error>');
    if (req.method === 'PUT') {
      objects.set(req.url!, body);
      return void res.writeHead(200).end();
    }
    if (req.method === 'DELETE') {
      objects.delete(req.url!);
      return void res.writeHead(204).end();
    }
    if (objects.has(req.url!)) return void res.writeHead(200).end(objects.get(req.url!));
    res.writeHead(404).end('<Error><Code>NoSuchKey</Code></Error>');
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  try {
    const store = new S3Storage({ ...CREDS, endpoint, bucket: 'media', prefix: 'aio/' });
    await store.put('img_abc.png', Buffer.from('png'), 'image/png');
    await store.delete('img_abc.png');
    assert.equal(await store.get('img_abc.png'), null);
    await store.delete('img_abc.png');
    assert.deepEqual(seen, ['PUT /media/aio/img_abc.png', 'DELETE /media/aio/img_abc.png', 'GET /media/aio/img_abc.png', 'DELETE /media/aio/img_abc.png']);
    const wrong = new S3Storage({ ...CREDS, secretAccessKey: 'wrong', endpoint, bucket: 'media' });
    await assert.rejects(wrong.delete('img_x.png'), /403/);
  } finally {
    server.close();
  }
});

test('the purge finds every stored file of a task output, and only those', () => {
  const output = JSON.stringify({
    videos: [{ path: '/files/vid_a.mp4', thumbnail_path: '/files/vid_a.jpg', width: 1 }],
    images: [{ path: '/files/img_b.png' }, { path: 'https://elsewhere.example/x.png' }, { path: '/files/../etc/passwd' }],
  });
  assert.deepEqual(outputFileNames(output), ['vid_a.mp4', 'vid_a.jpg', 'img_b.png']);
  assert.deepEqual(outputFileNames(null), []);
  assert.deepEqual(outputFileNames('not json'), []);
});
