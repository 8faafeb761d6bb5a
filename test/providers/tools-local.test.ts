import { test } from 'node:test';
import assert from 'node:assert/strict';
import sharp from 'sharp';
import { upscaleImage } from '../../src/providers/local/upscale.js';
import { removeBackground } from '../../src/providers/local/cutout.js';

async function rgba(buf: Buffer) {
  const { data, info } = await sharp(buf).ensureAlpha().raw().toBuffer({ resolveWithObject: true });
  const at = (x: number, y: number) => Array.from(data.subarray((y * info.width + x) * 4, (y * info.width + x) * 4 + 4));
  return { data, width: info.width, height: info.height, at };
}

// ---- upscale ----

test('upscale: exactly 2x and 4x for odd sizes, PNG by default', async () => {
  const src = await sharp({ create: { width: 37, height: 23, channels: 3, background: '#c03020' } }).png().toBuffer();
  for (const scale of [2, 4] as const) {
    const out = await upscaleImage(src, scale);
    const meta = await sharp(out).metadata();
    assert.equal(meta.format, 'png');
    assert.equal(meta.width, 37 * scale);
    assert.equal(meta.height, 23 * scale);
    const px = (await rgba(out)).at(10, 10);
    assert.ok(Math.abs(px[0]! - 0xc0) <= 2 && Math.abs(px[1]! - 0x30) <= 2 && Math.abs(px[2]! - 0x20) <= 2, `colour kept: ${px}`);
  }
});

test('upscale: keeps transparency', async () => {
  // Left half opaque blue, right half fully transparent.
  const raw = Buffer.alloc(31 * 17 * 4);
  for (let y = 0; y < 17; y++)
    for (let x = 0; x < 31; x++) {
      const p = (y * 31 + x) * 4;
      if (x < 15) raw.set([20, 40, 200, 255], p);
    }
  const src = await sharp(raw, { raw: { width: 31, height: 17, channels: 4 } }).png().toBuffer();
  const out = await upscaleImage(src, 4);
  const meta = await sharp(out).metadata();
  assert.equal(meta.hasAlpha, true);
  assert.equal(meta.channels, 4);
  assert.equal(meta.width, 124);
  assert.equal(meta.height, 68);
  const img = await rgba(out);
  assert.equal(img.at(4, 30)[3], 255, 'opaque side stays opaque');
  assert.equal(img.at(120, 30)[3], 0, 'transparent side stays transparent');
});

test('upscale: jpeg and webp output, EXIF orientation applied first', async () => {
  const turned = await sharp({ create: { width: 40, height: 30, channels: 3, background: '#336699' } }).jpeg().withMetadata({ orientation: 6 }).toBuffer();
  const jpeg = await sharp(await upscaleImage(turned, 2, 'jpeg')).metadata();
  assert.equal(jpeg.format, 'jpeg');
  assert.equal(jpeg.width, 60);
  assert.equal(jpeg.height, 80);
  const webp = await sharp(await upscaleImage(turned, 4, 'webp')).metadata();
  assert.equal(webp.format, 'webp');
  assert.equal(webp.width, 120);
  assert.equal(webp.height, 160);
});

test('upscale: only 2 and 4', async () => {
  const src = await sharp({ create: { width: 4, height: 4, channels: 3, background: '#000' } }).png().toBuffer();
  await assert.rejects(upscaleImage(src, 3 as 2), RangeError);
});

// ---- cutout ----

/** Subject shapes: a circle, a ring (with a hole the background shows through) and letter-like bars. */
function shapes(w: number, h: number, fills: { circle: string; ring: string; text: string }): string {
  return `
    <circle cx="${w * 0.35}" cy="${h * 0.5}" r="${h * 0.25}" fill="${fills.circle}"/>
    <circle cx="${w * 0.72}" cy="${h * 0.4}" r="${h * 0.14}" fill="none" stroke="${fills.ring}" stroke-width="${h * 0.06}"/>
    <g fill="${fills.text}">
      <rect x="${w * 0.6}" y="${h * 0.7}" width="${w * 0.02}" height="${h * 0.12}"/>
      <rect x="${w * 0.64}" y="${h * 0.7}" width="${w * 0.02}" height="${h * 0.12}"/>
      <rect x="${w * 0.64}" y="${h * 0.8}" width="${w * 0.06}" height="${h * 0.02}"/>
      <rect x="${w * 0.72}" y="${h * 0.7}" width="${w * 0.07}" height="${h * 0.02}"/>
      <rect x="${w * 0.745}" y="${h * 0.7}" width="${w * 0.02}" height="${h * 0.12}"/>
    </g>`;
}

async function scene(w: number, h: number, background: string, defs = ''): Promise<Buffer> {
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="${w}" height="${h}">${defs}
    <rect width="100%" height="100%" fill="${background}"/>${shapes(w, h, { circle: '#d02828', ring: '#1f6fd0', text: '#202020' })}</svg>`;
  return sharp(Buffer.from(svg)).png().toBuffer();
}

/** Share of the image that is background, from the same shapes drawn white on black. */
async function backgroundShare(w: number, h: number): Promise<number> {
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="${w}" height="${h}"><rect width="100%" height="100%" fill="#000"/>${shapes(w, h, { circle: '#fff', ring: '#fff', text: '#fff' })}</svg>`;
  const { data } = await sharp(Buffer.from(svg)).greyscale().raw().toBuffer({ resolveWithObject: true });
  let bg = 0;
  for (const v of data) if (v < 128) bg++;
  return bg / data.length;
}

async function checkCutout(input: Buffer, w: number, h: number, label: string) {
  const out = await removeBackground(input);
  const meta = await sharp(out).metadata();
  assert.equal(meta.format, 'png', label);
  assert.equal(meta.channels, 4, label);
  assert.equal(meta.hasAlpha, true, label);
  assert.equal(meta.width, w, label);
  assert.equal(meta.height, h, label);
  const img = await rgba(out);
  for (const [x, y] of [[0, 0], [w - 1, 0], [0, h - 1], [w - 1, h - 1], [Math.round(w / 2), 2]] as const)
    assert.equal(img.at(x, y)[3], 0, `${label}: background at ${x},${y} is fully transparent`);
  const centre = img.at(Math.round(w * 0.35), Math.round(h * 0.5));
  assert.equal(centre[3], 255, `${label}: the circle's centre is fully opaque`);
  assert.ok(centre[0]! > 150 && centre[1]! < 90, `${label}: and keeps its colour ${centre}`);
  assert.equal(img.at(Math.round(w * 0.65), Math.round(h * 0.76))[3], 255, `${label}: a letter bar is opaque`);
  assert.equal(img.at(Math.round(w * 0.72), Math.round(h * 0.4))[3], 0, `${label}: the ring's hole shows the background`);

  let transparent = 0;
  for (let i = 3; i < img.data.length; i += 4) if (img.data[i]! < 128) transparent++;
  const share = transparent / (w * h);
  const expected = await backgroundShare(w, h);
  assert.ok(Math.abs(share - expected) < 0.02, `${label}: ${(share * 100).toFixed(2)}% transparent, background is ${(expected * 100).toFixed(2)}%`);
  return out;
}

test('cutout: solid background', async () => {
  await checkCutout(await scene(400, 300, '#f4f4f0'), 400, 300, 'solid');
});

test('cutout: gradient background', async () => {
  const defs = `<defs><linearGradient id="g" x1="0" y1="0" x2="1" y2="1">
    <stop offset="0" stop-color="#dbe8f7"/><stop offset="1" stop-color="#f6dde6"/></linearGradient></defs>`;
  await checkCutout(await scene(420, 320, 'url(#g)', defs), 420, 320, 'gradient');
});

test('cutout: a JPEG with compression noise around the edges', async () => {
  const jpeg = await sharp(await scene(400, 300, '#ffffff')).jpeg({ quality: 70 }).toBuffer();
  await checkCutout(jpeg, 400, 300, 'jpeg');
});

test('cutout: a noisy photographic backdrop', async () => {
  const w = 360;
  const h = 270;
  const noise = await sharp({ create: { width: w, height: h, channels: 3, background: '#808080', noise: { type: 'gaussian', mean: 128, sigma: 6 } } }).raw().toBuffer();
  const svgShapes = await sharp(Buffer.from(`<svg xmlns="http://www.w3.org/2000/svg" width="${w}" height="${h}">${shapes(w, h, { circle: '#d02828', ring: '#1f6fd0', text: '#202020' })}</svg>`)).png().toBuffer();
  const backdrop = await sharp(noise, { raw: { width: w, height: h, channels: 3 } }).linear(0.3, 150).png().toBuffer();
  const photo = await sharp(backdrop).composite([{ input: svgShapes }]).png().toBuffer();
  await checkCutout(photo, w, h, 'noisy');
});

test('cutout: keeps existing transparency and works at 2048x2048', async (t) => {
  const big = await scene(2048, 2048, '#eef3ea');
  const started = performance.now();
  const out = await checkCutout(big, 2048, 2048, 'large');
  t.diagnostic(`2048x2048 cutout took ${Math.round(performance.now() - started)} ms`);

  // Cutting an already cut-out image changes nothing that matters: transparent stays transparent.
  const again = await rgba(await removeBackground(out));
  assert.equal(again.at(5, 5)[3], 0);
  assert.equal(again.at(Math.round(2048 * 0.35), 1024)[3], 255);
});

test('cutout: a greyscale image without alpha still gets RGBA out', async () => {
  const grey = await sharp(await scene(300, 200, '#eeeeee')).removeAlpha().greyscale().toColourspace('b-w').png().toBuffer();
  assert.equal((await sharp(grey).metadata()).channels, 1);
  const out = await removeBackground(grey);
  const meta = await sharp(out).metadata();
  assert.equal(meta.channels, 4);
  const img = await rgba(out);
  assert.equal(img.at(0, 0)[3], 0);
  assert.equal(img.at(Math.round(300 * 0.35), 100)[3], 255);
});
