// Real media files for tests, made by FFmpeg from its built-in sources (test pattern, sine tone,
// silence). Written to a temporary file, not a pipe, so an MP4 keeps its index at the end the way
// most encoders leave it.
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { runFfmpeg } from '../../src/media/ffmpeg.js';
import { withTempDir } from '../../src/media/temp-file.js';

/** Runs `ffmpeg <args> -y out.<ext>` (with `input` on stdin) and returns the file's bytes. */
export function ffmpegFile(args: string[], ext: string, input?: Buffer): Promise<Buffer> {
  return withTempDir(async (dir) => {
    const out = join(dir, `out.${ext}`);
    await runFfmpeg([...args, '-y', out], { input, timeoutMs: 60_000 });
    return readFile(out);
  });
}

/** An H.264 MP4 of the test pattern, `width`x`height`, `seconds` long, optionally with extra output args. */
export function h264(width: number, height: number, seconds: number, extra: string[] = []): Promise<Buffer> {
  return ffmpegFile(
    ['-f', 'lavfi', '-i', `testsrc=size=${width}x${height}:rate=24:duration=${seconds}`, '-c:v', 'libx264', '-preset', 'ultrafast', '-pix_fmt', 'yuv420p', ...extra],
    'mp4',
  );
}

/** A sine tone (or silence at `volume` 0) `seconds` long, encoded with `codecArgs`. */
export function tone(seconds: number, ext: string, codecArgs: string[], opts: { rate?: number; volume?: number } = {}): Promise<Buffer> {
  const rate = opts.rate ?? 44100;
  const src = opts.volume === 0 ? `anullsrc=r=${rate}:cl=mono` : `sine=frequency=440:sample_rate=${rate}`;
  return ffmpegFile(['-f', 'lavfi', '-i', src, '-t', String(seconds), ...(opts.volume ? ['-af', `volume=${opts.volume}`] : []), ...codecArgs], ext);
}

/** Byte offset of an MP4 top-level box type, or -1. */
export function boxOffset(mp4: Buffer, type: string): number {
  let at = 0;
  while (at + 8 <= mp4.length) {
    const size = mp4.readUInt32BE(at);
    if (mp4.toString('latin1', at + 4, at + 8) === type) return at;
    if (size < 8) return -1;
    at += size;
  }
  return -1;
}

/** Deterministic bytes that are not media. */
export function garbage(n: number): Buffer {
  const out = Buffer.alloc(n);
  let x = 0x12345678;
  for (let i = 0; i < n; i++) {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    out[i] = x & 0xff;
  }
  return out;
}
