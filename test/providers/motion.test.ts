// aio-motion, the local video engine: real MP4s probed and decoded with FFmpeg.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import sharp from 'sharp';
import { runFfmpeg } from '../../src/media/ffmpeg.js';
import { probeMedia } from '../../src/media/probe.js';
import { makeThumbnail } from '../../src/media/video.js';
import { renderMotion } from '../../src/providers/local/motion.js';
import { boxOffset } from '../media/make-media.js';

const PROMPT = 'A clean editorial poster reading "SUMMER DESIGN WEEK", bold typography, warm daylight, modern layout';

// Rendering is deterministic, so tests that look at the same clip share one render.
const rendered = new Map<string, Promise<Buffer>>();
function render(req: Parameters<typeof renderMotion>[0]): Promise<Buffer> {
  const key = JSON.stringify(req);
  let p = rendered.get(key);
  if (!p) rendered.set(key, (p = renderMotion(req)));
  return p;
}

/** The MP4's video stream line as FFmpeg describes it, and how many frames it decodes to. */
async function decode(mp4: Buffer): Promise<{ stream: string; frames: number }> {
  const { stderr } = await runFfmpeg(['-i', 'pipe:0', '-map', '0:v:0', '-f', 'null', '-'], { input: mp4 });
  const stream = /Stream #0:0\S*: Video: .*/.exec(stderr)?.[0] ?? '';
  const counts = [...stderr.matchAll(/frame=\s*(\d+)/g)];
  return { stream, frames: Number(counts[counts.length - 1]?.[1] ?? -1) };
}

/** One decoded frame at `atS` as raw RGB. */
async function frameAt(mp4: Buffer, atS: number): Promise<Buffer> {
  const { stdout } = await runFfmpeg(['-i', 'pipe:0', '-ss', String(atS), '-frames:v', '1', '-f', 'rawvideo', '-pix_fmt', 'rgb24', 'pipe:1'], { input: mp4 });
  assert.ok(stdout.length > 0, `a frame at ${atS} s`);
  return stdout;
}

/** Share of bytes that differ by more than 12 levels. */
function changed(a: Buffer, b: Buffer): number {
  assert.equal(a.length, b.length);
  let n = 0;
  for (let i = 0; i < a.length; i++) if (Math.abs(a[i]! - b[i]!) > 12) n++;
  return n / a.length;
}

const cases = [
  { ratio: '16:9', width: 1280, height: 720 },
  { ratio: '9:16', width: 720, height: 1280 },
  { ratio: '1:1', width: 720, height: 720 },
] as const;

for (const c of cases) {
  for (const durationS of [5, 10]) {
    test(`${c.ratio} ${c.width}x${c.height}, ${durationS} s: H.264 yuv420p MP4, exact size, duration and frame count`, async () => {
      const mp4 = await render({ prompt: PROMPT, seed: 7, width: c.width, height: c.height, durationS });
      const info = await probeMedia(mp4);
      assert.equal(info.container, 'mp4');
      assert.equal(info.video?.codec, 'h264');
      assert.equal(info.video?.width, c.width);
      assert.equal(info.video?.height, c.height);
      assert.equal(info.video?.fps, 24);
      assert.ok(Math.abs(info.durationS - durationS) <= 0.1, `duration ${info.durationS}`);
      assert.equal(info.audio, undefined);
      const { stream, frames } = await decode(mp4);
      assert.match(stream, /yuv420p/);
      assert.equal(frames, durationS * 24);
      assert.ok(boxOffset(mp4, 'moov') >= 0 && boxOffset(mp4, 'moov') < boxOffset(mp4, 'mdat'), 'faststart: the index comes before the media');
    });
  }
}

test('1080p, another frame rate and a duration that is not whole frames', async () => {
  const mp4 = await renderMotion({ prompt: '一张海报 "夏日设计周" 暖色', seed: 3, width: 1920, height: 1080, durationS: 10 });
  const info = await probeMedia(mp4);
  assert.deepEqual([info.video?.width, info.video?.height, info.video?.codec], [1920, 1080, 'h264']);
  assert.ok(Math.abs(info.durationS - 10) <= 0.1, `duration ${info.durationS}`);

  const odd = await renderMotion({ prompt: 'ocean blue minimal', seed: 1, width: 640, height: 360, durationS: 2.7, fps: 30 });
  const o = await probeMedia(odd);
  assert.equal(o.video?.fps, 30);
  assert.ok(Math.abs(o.durationS - 2.7) <= 0.05, `duration ${o.durationS}`);
  assert.equal((await decode(odd)).frames, 81);
});

test('every frame is encoded for many seeds, sizes and frame rates', async () => {
  // A camera expression that turns NaN makes FFmpeg drop frames yet exit 0: renderMotion must
  // never let that through (it counts the frames), and the clips must come out whole.
  const prompts = ['x', '', PROMPT, '一张海报 "夏日设计周" 暖色'];
  for (let seed = 0; seed < 12; seed++) {
    const fps = [24, 25, 30][seed % 3]!;
    const durationS = 0.5 + (seed % 4) * 0.37;
    const [width, height] = ([[64, 36], [36, 64], [48, 48]] as const)[seed % 3]!;
    const mp4 = await renderMotion({ prompt: prompts[seed % prompts.length]!, seed, width, height, durationS, fps });
    assert.equal((await decode(mp4)).frames, Math.round(durationS * fps), `seed ${seed}`);
  }
});

test('deterministic: the same prompt and seed give the same bytes; another seed another clip', async () => {
  const req = { prompt: PROMPT, seed: 7, width: 720, height: 720, durationS: 5 };
  const a = await render(req);
  const b = await renderMotion({ ...req });
  assert.ok(a.equals(b), 'same input, same MP4');
  const hash = (buf: Buffer) => createHash('sha256').update(buf).digest('hex');
  const c = await renderMotion({ ...req, seed: 8 });
  assert.notEqual(hash(await frameAt(c, 3)), hash(await frameAt(a, 3)), 'another seed draws another poster');
});

test('it moves: frames at 0.5 s and 4 s differ, and the text comes in', async () => {
  const mp4 = await render({ prompt: PROMPT, seed: 7, width: 1280, height: 720, durationS: 5 });
  const early = await frameAt(mp4, 0.05);
  const half = await frameAt(mp4, 0.5);
  const later = await frameAt(mp4, 4);
  const end = await frameAt(mp4, 4.9);
  assert.ok(changed(half, later) > 0.05, `0.5 s vs 4 s: ${changed(half, later)}`);
  assert.ok(changed(later, end) > 0.01, `the camera keeps moving: ${changed(later, end)}`);
  // At the very start no text is drawn yet: the darkest pixels (the headline) appear later.
  const darkShare = (rgb: Buffer) => {
    let n = 0;
    for (let i = 0; i < rgb.length; i += 3) if (rgb[i]! + rgb[i + 1]! + rgb[i + 2]! < 120) n++;
    return n / (rgb.length / 3);
  };
  assert.ok(darkShare(later) > darkShare(early) + 0.02, `text appears: ${darkShare(early)} -> ${darkShare(later)}`);
});

test('the thumbnail is a JPEG with the video aspect', async () => {
  for (const [width, height] of [
    [720, 1280],
    [1280, 720],
  ] as const) {
    const mp4 = await render({ prompt: PROMPT, seed: 7, width, height, durationS: 5 });
    const jpeg = await makeThumbnail(mp4);
    const meta = await sharp(jpeg).metadata();
    assert.equal(meta.format, 'jpeg');
    assert.ok(meta.width! <= 640);
    assert.ok(Math.abs(meta.width! / meta.height! - width / height) < 0.01, `${meta.width}x${meta.height} for ${width}x${height}`);
  }
});

test('refuses sizes yuv420p cannot hold and out-of-range durations; honours an aborted signal', async () => {
  const base = { prompt: 'x', seed: 1, width: 640, height: 360, durationS: 5 };
  await assert.rejects(renderMotion({ ...base, width: 641 }), RangeError);
  await assert.rejects(renderMotion({ ...base, height: 8 }), RangeError);
  await assert.rejects(renderMotion({ ...base, durationS: 0 }), RangeError);
  await assert.rejects(renderMotion({ ...base, durationS: Number.NaN }), RangeError);
  await assert.rejects(renderMotion({ ...base, fps: 0 }), RangeError);
  await assert.rejects(renderMotion({ ...base, signal: AbortSignal.abort() }), /abort/i);
});
