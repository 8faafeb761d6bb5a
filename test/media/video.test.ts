// makeThumbnail and verifyVideo on real videos made by FFmpeg.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import sharp from 'sharp';
import { UpstreamError } from '../../src/providers/errors.js';
import { makeThumbnail, verifyVideo } from '../../src/media/video.js';
import { ffmpegFile, garbage, h264, tone } from './make-media.js';

const JPEG_MAGIC = Buffer.from([0xff, 0xd8, 0xff]);

async function jpegInfo(jpeg: Buffer) {
  assert.ok(jpeg.subarray(0, 3).equals(JPEG_MAGIC), 'starts like a JPEG');
  const meta = await sharp(jpeg).metadata();
  assert.equal(meta.format, 'jpeg');
  return { width: meta.width!, height: meta.height! };
}

test('thumbnails keep the aspect, are at most 640 wide and never upscaled', async () => {
  assert.deepEqual(await jpegInfo(await makeThumbnail(await h264(1280, 720, 1))), { width: 640, height: 360 });
  assert.deepEqual(await jpegInfo(await makeThumbnail(await h264(360, 640, 1))), { width: 360, height: 640 });
  // 640x480 stored pixels shown 4:3 wider (SAR 4:3) is a 16:9 picture.
  const anamorphic = await h264(640, 480, 1, ['-vf', 'setsar=4/3']);
  assert.deepEqual(await jpegInfo(await makeThumbnail(anamorphic)), { width: 640, height: 360 });
  assert.deepEqual(await jpegInfo(await makeThumbnail(await h264(1280, 720, 1), { maxWidth: 320 })), { width: 320, height: 180 });
});

test('the thumbnail shows the middle of the clip by default, or the asked moment', async () => {
  // One second red, one green, one blue.
  const rgb = await ffmpegFile(
    ['-f', 'lavfi', '-i', 'color=c=red:s=320x180:r=24:d=1', '-f', 'lavfi', '-i', 'color=c=green:s=320x180:r=24:d=1', '-f', 'lavfi', '-i', 'color=c=blue:s=320x180:r=24:d=1',
      '-filter_complex', '[0][1][2]concat=n=3:v=1', '-c:v', 'libx264', '-preset', 'ultrafast', '-pix_fmt', 'yuv420p'],
    'mp4',
  );
  const dominant = async (jpeg: Buffer) => {
    const { channels } = await sharp(jpeg).stats();
    const means = channels.slice(0, 3).map((c) => c.mean);
    return ['red', 'green', 'blue'][means.indexOf(Math.max(...means))];
  };
  assert.equal(await dominant(await makeThumbnail(rgb)), 'green');
  assert.equal(await dominant(await makeThumbnail(rgb, { atS: 0.3 })), 'red');
  assert.equal(await dominant(await makeThumbnail(rgb, { atS: 2.6 })), 'blue');
  // Past the end: the clip still gets a thumbnail.
  await jpegInfo(await makeThumbnail(rgb, { atS: 99 }));
});

/** Asserts verifyVideo refuses with a non-retryable upstream_bad_response whose message matches every pattern. */
async function refused(p: Promise<unknown>, ...patterns: RegExp[]) {
  await assert.rejects(p, (err: Error) => {
    assert.ok(err instanceof UpstreamError, `${err.name}: ${err.message}`);
    assert.equal(err.code, 'upstream_bad_response');
    assert.equal(err.retryable, false);
    assert.match(err.message, /asked/);
    for (const re of patterns) assert.match(err.message, re);
    return true;
  });
}

test('verifyVideo accepts H.264 of the asked aspect (within 2%) and duration (within 0.5 s)', async () => {
  const info = await verifyVideo(await h264(1280, 720, 2), { width: 1280, height: 720, aspectRatio: '16:9', durationS: 2 });
  assert.equal(info.video?.codec, 'h264');
  assert.equal(info.video?.width, 1280);
  // A different size of the same shape is fine (the modality scales it); so is 1.1% off and 0.4 s off.
  await verifyVideo(await h264(640, 360, 2), { width: 1280, height: 720, aspectRatio: '16:9', durationS: 2 });
  await verifyVideo(await h264(1280, 712, 2), { aspectRatio: '16:9', durationS: 2.4 });
  await verifyVideo(await h264(720, 1280, 2), { aspectRatio: '9:16', durationS: 1.6 });
});

test('verifyVideo refuses the wrong codec, shape or length, and bytes that are not a video', async () => {
  const asked = { width: 1280, height: 720, aspectRatio: '16:9', durationS: 2 };
  const vp9 = await ffmpegFile(['-f', 'lavfi', '-i', 'testsrc=size=320x180:rate=24:duration=2', '-c:v', 'libvpx-vp9', '-deadline', 'realtime'], 'webm');
  await refused(verifyVideo(vp9, asked), /vp9/, /not H\.264/, /16:9 \(1280x720\)/);
  await refused(verifyVideo(await h264(320, 320, 2), asked), /320x320/, /aspect/, /16:9/);
  // 1280x704 is 2.3% wider than 16:9.
  await refused(verifyVideo(await h264(1280, 704, 2), asked), /1280x704/, /aspect/);
  await refused(verifyVideo(await h264(1280, 720, 2), { ...asked, durationS: 2.6 }), /2\.6 s/, /duration/);
  await refused(verifyVideo(await h264(1280, 720, 3), asked), /3 s/, /duration/);
  await refused(verifyVideo(garbage(4000), asked), /4000 bytes/, /not a video/);
  await refused(verifyVideo(Buffer.from('{"error":"expired"}'), asked), /not a video/);
  await refused(verifyVideo(await tone(2, 'mp3', ['-c:a', 'libmp3lame']), asked), /without a video stream/);
});
