// probeMedia and isSilent on real files made by FFmpeg, and on bytes that are not media.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { isSilent, NotMediaError, probeMedia } from '../../src/media/probe.js';
import { boxOffset, ffmpegFile, garbage, h264, tone } from './make-media.js';

const near = (actual: number, expected: number, tolerance: number, what: string) =>
  assert.ok(Math.abs(actual - expected) <= tolerance, `${what}: ${actual}, expected ${expected} ± ${tolerance}`);

test('MP4 (H.264 + AAC) with its index at the end', async () => {
  const mp4 = await ffmpegFile(
    ['-f', 'lavfi', '-i', 'testsrc=size=320x240:rate=25:duration=2', '-f', 'lavfi', '-i', 'sine=frequency=440:duration=2', '-c:v', 'libx264', '-preset', 'ultrafast', '-pix_fmt', 'yuv420p', '-c:a', 'aac', '-shortest'],
    'mp4',
  );
  assert.ok(boxOffset(mp4, 'moov') > boxOffset(mp4, 'mdat'), 'the fixture must have moov after mdat (the case a pipe cannot read)');
  const info = await probeMedia(mp4);
  assert.equal(info.container, 'mp4');
  near(info.durationS, 2, 0.1, 'duration');
  assert.deepEqual(info.video, { codec: 'h264', width: 320, height: 240, fps: 25, displayAspect: 320 / 240 });
  assert.deepEqual(info.audio, { codec: 'aac', sampleRate: 44100, channels: 1 });
});

test('WebM (VP9)', async () => {
  const webm = await ffmpegFile(['-f', 'lavfi', '-i', 'testsrc=size=320x180:rate=30:duration=1.5', '-c:v', 'libvpx-vp9', '-b:v', '200k', '-deadline', 'realtime'], 'webm');
  const info = await probeMedia(webm);
  assert.equal(info.container, 'webm');
  near(info.durationS, 1.5, 0.05, 'duration');
  assert.equal(info.video?.codec, 'vp9');
  assert.equal(info.video?.width, 320);
  assert.equal(info.video?.height, 180);
  assert.equal(info.video?.fps, 30);
  assert.equal(info.audio, undefined);
});

const audioCases: Array<{ name: string; ext: string; args: string[]; rate?: number; container: string; codec: string; sampleRate: number; channels: number }> = [
  { name: 'MP3', ext: 'mp3', args: ['-c:a', 'libmp3lame', '-b:a', '64k'], container: 'mp3', codec: 'mp3', sampleRate: 44100, channels: 1 },
  { name: 'WAV', ext: 'wav', args: ['-c:a', 'pcm_s16le'], rate: 22050, container: 'wav', codec: 'pcm_s16le', sampleRate: 22050, channels: 1 },
  { name: 'Opus in Ogg', ext: 'opus', args: ['-ac', '2', '-c:a', 'libopus'], rate: 48000, container: 'ogg', codec: 'opus', sampleRate: 48000, channels: 2 },
  { name: 'FLAC', ext: 'flac', args: ['-c:a', 'flac'], container: 'flac', codec: 'flac', sampleRate: 44100, channels: 1 },
  // Raw ADTS has no duration in any header: FFmpeg only estimates it from the bit rate (2.11 s here).
  { name: 'AAC (ADTS)', ext: 'aac', args: ['-c:a', 'aac', '-f', 'adts'], container: 'aac', codec: 'aac', sampleRate: 44100, channels: 1 },
];

for (const c of audioCases) {
  test(`${c.name}: container, codec, rate, channels and duration`, async () => {
    const data = await tone(2, c.ext, c.args, { rate: c.rate });
    const info = await probeMedia(data);
    assert.equal(info.container, c.container);
    assert.deepEqual(info.audio, { codec: c.codec, sampleRate: c.sampleRate, channels: c.channels });
    assert.equal(info.video, undefined);
    near(info.durationS, 2, 0.06, 'duration');
  });
}

test('an MP3 with cover art is audio only; a rotated phone video reports its display size', async () => {
  const cover = await sharp({ create: { width: 64, height: 64, channels: 3, background: '#c00' } }).jpeg().toBuffer();
  const mp3 = await ffmpegFile(
    ['-f', 'lavfi', '-i', 'sine=duration=1', '-f', 'jpeg_pipe', '-i', `data:image/jpeg;base64,${cover.toString('base64')}`, '-map', '0', '-map', '1', '-c:a', 'libmp3lame', '-c:v', 'copy', '-disposition:v', 'attached_pic', '-id3v2_version', '3'],
    'mp3',
  );
  const info = await probeMedia(mp3);
  assert.equal(info.container, 'mp3');
  assert.equal(info.audio?.codec, 'mp3');
  assert.equal(info.video, undefined, 'cover art is not a video stream');

  const rotated = await ffmpegFile(['-i', 'pipe:0', '-c', 'copy', '-metadata:s:v:0', 'rotate=90', '-f', 'mp4'], 'mp4', await h264(320, 180, 1));
  const r = await probeMedia(rotated);
  assert.equal(r.video?.width, 180);
  assert.equal(r.video?.height, 320);
  near(r.video!.displayAspect, 180 / 320, 0.001, 'display aspect');
});

test('bytes that are not media throw NotMediaError', async () => {
  const png = await sharp({ create: { width: 32, height: 32, channels: 3, background: '#08f' } }).png().toBuffer();
  const cases: Array<[string, Buffer]> = [
    ['random bytes', garbage(5000)],
    ['a JSON error body', Buffer.from('{"error":{"message":"quota exceeded"}}')],
    ['an HTML page', Buffer.from('<!doctype html><html><body>Bad gateway</body></html>')],
    ['a PNG image', png],
    ['nothing', Buffer.alloc(0)],
    ['a truncated MP4', (await h264(160, 120, 1)).subarray(0, 600)],
  ];
  for (const [what, data] of cases) {
    await assert.rejects(probeMedia(data), (err: Error) => {
      assert.ok(err instanceof NotMediaError, `${what}: ${err.name}: ${err.message}`);
      assert.ok(err.message.length > 5);
      return true;
    });
  }
});

test('temporary files go to os.tmpdir() and are removed, also after a failure', async () => {
  const wav = await tone(0.5, 'wav', ['-c:a', 'pcm_s16le']);
  const saved = process.env.TMPDIR;
  const dir = mkdtempSync(join(tmpdir(), 'probe-test-'));
  try {
    // With TMPDIR pointing nowhere it cannot even start: the work really happens there.
    process.env.TMPDIR = join(dir, 'missing');
    await assert.rejects(probeMedia(wav), /ENOENT/);
    process.env.TMPDIR = dir;
    assert.equal((await probeMedia(wav)).container, 'wav');
    await assert.rejects(probeMedia(garbage(1000)), NotMediaError);
    assert.deepEqual(readdirSync(dir), []);
  } finally {
    process.env.TMPDIR = saved;
    if (saved === undefined) delete process.env.TMPDIR;
    rmSync(dir, { recursive: true, force: true });
  }
});

test('isSilent: a tone is not silent, silence and a -66 dB hum are; the line is at -50 dB', async () => {
  const wav = ['-c:a', 'pcm_s16le'];
  assert.equal(await isSilent(await tone(1, 'wav', wav)), false);
  assert.equal(await isSilent(await tone(1, 'mp3', ['-c:a', 'libmp3lame'])), false);
  assert.equal(await isSilent(await tone(1, 'wav', wav, { volume: 0 })), true);
  // FFmpeg's sine source peaks at -18 dBFS: volume 0.0025 puts it near -70 dB, 0.05 near -44 dB.
  assert.equal(await isSilent(await tone(1, 'wav', wav, { volume: 0.0025 })), true);
  assert.equal(await isSilent(await tone(1, 'wav', wav, { volume: 0.05 })), false);
  // A video without sound has nothing to hear.
  assert.equal(await isSilent(await h264(160, 120, 1)), true);
  await assert.rejects(isSilent(garbage(300)), NotMediaError);
});
