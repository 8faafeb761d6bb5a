// The header reader agrees with sharp (libvips) on real PNG and JPEG files, and says nothing
// about anything else; normalizeImage hands back an image that already fits without re-encoding.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import sharp from 'sharp';
import { readImageSize } from '../../src/media/image-size.js';
import { normalizeImage } from '../../src/modalities/image/normalize.js';

const make = (width: number, height: number) => sharp({ create: { width, height, channels: 3, background: { r: 200, g: 80, b: 40 } } });

test('PNG and JPEG sizes read from the header match what sharp reads', async () => {
  const images = [
    await make(1024, 1024).png().toBuffer(),
    await make(1536, 864).png({ palette: true }).toBuffer(),
    await make(7, 3).png().toBuffer(),
    await make(1024, 1536).jpeg().toBuffer(),
    await make(640, 480).jpeg({ progressive: true }).toBuffer(),
    await make(300, 200).jpeg().withMetadata({ orientation: 6 }).toBuffer(),
  ];
  for (const data of images) {
    const meta = await sharp(data).metadata();
    assert.deepEqual(readImageSize(data), { format: meta.format, width: meta.width, height: meta.height });
  }
});

test('anything else, or a header cut short, is not vouched for', async () => {
  const png = await make(64, 64).png().toBuffer();
  const jpeg = await make(64, 64).jpeg().toBuffer();
  for (const data of [
    await make(64, 64).webp().toBuffer(),
    Buffer.from('<html><body>not an image</body></html>'),
    Buffer.alloc(0),
    png.subarray(0, 20),
    jpeg.subarray(0, 12),
    Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xda, 0, 4, 0, 0]), Buffer.alloc(16)]),
  ])
    assert.equal(readImageSize(data), undefined);
});

test('an image of the asked size and format comes back as it is; others go through sharp', async () => {
  const png = await make(1024, 1024).png().toBuffer();
  const same = await normalizeImage(png, { width: 1024, height: 1024, format: 'png' });
  assert.equal(same.data, png, 'the very same bytes, not a copy');
  const converted = await normalizeImage(png, { width: 1024, height: 1024, format: 'jpeg' });
  assert.equal((await sharp(converted.data).metadata()).format, 'jpeg');
  const cropped = await normalizeImage(png, { width: 1024, height: 576, format: 'png' });
  assert.deepEqual([cropped.width, cropped.height], [1024, 576]);
  await assert.rejects(normalizeImage(Buffer.from('not an image'), { width: 1024, height: 1024, format: 'png' }), { code: 'upstream_bad_response' });
});
