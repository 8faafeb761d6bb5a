// Real media for the fake upstreams, made by FFmpeg (a separate process): H.264 MP4 video with an
// optional AAC track, and audio in the formats the upstreams answer. Encoding takes a second or
// so per file on a small machine, so each distinct request is made once per test process and
// then served from memory.
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { runFfmpeg } from '../../src/media/ffmpeg.js';
import { withTempDir } from '../../src/media/temp-file.js';

const cache = new Map<string, Promise<Buffer>>();

function cached(key: string, make: () => Promise<Buffer>): Promise<Buffer> {
  let hit = cache.get(key);
  if (!hit) {
    hit = make();
    cache.set(key, hit);
    // A failed encode is not kept: the next call tries again.
    hit.catch(() => cache.delete(key));
  }
  return hit;
}

/** A solid colour (picked from the seed) fills the frame: fast to encode, still a real stream. */
function colour(seed: number): string {
  const c = (n: number) => (((seed * n) % 256) + 256) % 256;
  return `0x${[c(97), c(57), c(31)].map((v) => v.toString(16).padStart(2, '0')).join('')}`;
}

export interface VideoSpec {
  width: number;
  height: number;
  durationS: number;
  /** Adds a stereo AAC track (a sine tone). */
  audio: boolean;
  seed?: number;
  fps?: number;
}

/** An H.264 (yuv420p) MP4, index at the front, of exactly this size and length. */
export function makeVideo(spec: VideoSpec): Promise<Buffer> {
  const { width, height, durationS, audio, seed = 1, fps = 24 } = spec;
  return cached(`video:${width}x${height}:${durationS}:${audio}:${seed}:${fps}`, () =>
    withTempDir(async (dir) => {
      const out = join(dir, 'out.mp4');
      const args = ['-f', 'lavfi', '-i', `color=c=${colour(seed)}:s=${width}x${height}:r=${fps}:d=${durationS}`];
      if (audio) args.push('-f', 'lavfi', '-i', `sine=frequency=440:sample_rate=48000:duration=${durationS}`);
      args.push('-c:v', 'libx264', '-preset', 'ultrafast', '-pix_fmt', 'yuv420p');
      if (audio) args.push('-c:a', 'aac', '-ac', '2', '-b:a', '96k', '-shortest');
      args.push('-movflags', '+faststart', '-y', out);
      await runFfmpeg(args, { timeoutMs: 120_000 });
      return readFile(out);
    }),
  );
}

export type FakeAudioFormat = 'mp3' | 'opus' | 'aac' | 'flac' | 'wav' | 'pcm';

const AUDIO: Record<FakeAudioFormat, { ext: string; args: string[]; contentType: string }> = {
  mp3: { ext: 'mp3', args: ['-c:a', 'libmp3lame', '-b:a', '128k', '-f', 'mp3'], contentType: 'audio/mpeg' },
  opus: { ext: 'ogg', args: ['-c:a', 'libopus', '-b:a', '64k', '-f', 'ogg'], contentType: 'audio/opus' },
  aac: { ext: 'aac', args: ['-c:a', 'aac', '-b:a', '96k', '-f', 'adts'], contentType: 'audio/aac' },
  flac: { ext: 'flac', args: ['-c:a', 'flac', '-f', 'flac'], contentType: 'audio/flac' },
  wav: { ext: 'wav', args: ['-c:a', 'pcm_s16le', '-f', 'wav'], contentType: 'audio/wav' },
  // OpenAI's `pcm`: raw 24 kHz 16-bit signed little-endian mono, no header.
  pcm: { ext: 'pcm', args: ['-c:a', 'pcm_s16le', '-f', 's16le'], contentType: 'audio/pcm' },
};

export const fakeAudioContentType = (format: FakeAudioFormat) => AUDIO[format].contentType;

/** Audio of exactly `durationS` seconds in `format` (a tone whose pitch comes from the seed). */
export function makeAudio(format: FakeAudioFormat, durationS: number, seed = 1, sampleRate = format === 'opus' ? 48000 : 24000): Promise<Buffer> {
  return cached(`audio:${format}:${durationS}:${seed}:${sampleRate}`, () =>
    withTempDir(async (dir) => {
      const spec = AUDIO[format];
      const out = join(dir, `out.${spec.ext}`);
      const frequency = 220 + (Math.abs(seed) % 440);
      await runFfmpeg(['-f', 'lavfi', '-i', `sine=frequency=${frequency}:sample_rate=${sampleRate}:duration=${durationS}`, '-ac', '1', ...spec.args, '-y', out], {
        timeoutMs: 60_000,
      });
      return readFile(out);
    }),
  );
}

/** Bytes that are no media at all: what a CDN error page served with a 200 looks like. */
export const NOT_MEDIA = Buffer.from('<html><head><title>Error</title></head><body>The object you asked for is not available.</body></html>');
