// Video files we deliver: a JPEG thumbnail for the task output, and the check that an upstream's
// file is the video that was asked for before anyone is charged for it.
import sharp from 'sharp';
import { UpstreamError } from '../providers/errors.js';
import { runFfmpeg } from './ffmpeg.js';
import { NotMediaError, probeMedia, probeMediaFile, type MediaInfo } from './probe.js';
import { withTempFile } from './temp-file.js';

export interface ThumbnailOptions {
  /** Where to take the frame, in seconds; default the middle of the clip. */
  atS?: number;
  /** Largest width of the JPEG; default 640 (never wider than the video). */
  maxWidth?: number;
  signal?: AbortSignal;
}

/** A JPEG of one frame of the video, with the video's display aspect, at most 640 pixels wide. */
export async function makeThumbnail(video: Buffer, opts: ThumbnailOptions = {}): Promise<Buffer> {
  if (!video.length) throw new NotMediaError('the file is empty');
  return withTempFile(video, async (file) => {
    const info = await probeMediaFile(file, { signal: opts.signal });
    const v = info.video;
    if (!v) throw new NotMediaError(`the ${info.container} file has no video stream`);
    const at = Math.max(0, Math.min(opts.atS ?? info.durationS / 2, info.durationS));
    const grab = (t: number) =>
      runFfmpeg(['-ss', t.toFixed(3), '-i', file, '-map', '0:v:0', '-frames:v', '1', '-f', 'image2pipe', '-c:v', 'png', 'pipe:1'], {
        signal: opts.signal,
        timeoutMs: 60_000,
      });
    let { stdout } = await grab(at);
    // A seek at or past the last frame gives nothing: take the first frame instead.
    if (!stdout.length && at > 0) ({ stdout } = await grab(0));
    if (!stdout.length) throw new NotMediaError('the video has no decodable frame');
    // Sized by the display aspect, so non-square pixels come out square and the picture keeps its shape.
    const width = Math.min(opts.maxWidth ?? 640, Math.round(v.height * v.displayAspect));
    const height = Math.max(1, Math.round(width / v.displayAspect));
    return sharp(stdout).resize({ width, height, fit: 'fill' }).jpeg({ quality: 82 }).toBuffer();
  });
}

export interface ExpectedVideo {
  /** The size the request resolved to (quoted in messages; the modality scales to it). */
  width?: number;
  height?: number;
  /** The asked ratio, e.g. `16:9`. */
  aspectRatio: string;
  durationS: number;
}

/** Allowed relative difference between the asked and the delivered aspect ratio. */
export const ASPECT_TOLERANCE = 0.02;
/** Allowed difference between the asked and the delivered duration, in seconds. */
export const DURATION_TOLERANCE_S = 0.5;

/**
 * Probes an upstream's video and refuses it (UpstreamError `upstream_bad_response`, not retryable)
 * unless it is H.264 video with the asked aspect ratio (within 2%) and duration (within 0.5 s).
 * Returns what the probe found.
 */
export async function verifyVideo(data: Buffer, expected: ExpectedVideo, opts: { signal?: AbortSignal } = {}): Promise<MediaInfo> {
  const askedRatio = parseRatio(expected.aspectRatio);
  const asked = `${expected.aspectRatio}${expected.width && expected.height ? ` (${expected.width}x${expected.height})` : ''}, ${fmtS(expected.durationS)}`;
  const refuse = (what: string) =>
    new UpstreamError('upstream_bad_response', `the upstream's video does not match the request: asked ${asked}; got ${what}`, { retryable: false });

  let info: MediaInfo;
  try {
    info = await probeMedia(data, { signal: opts.signal });
  } catch (err) {
    if (err instanceof NotMediaError) throw refuse(`${data.length} bytes that are not a video (${err.message})`);
    throw err;
  }
  const v = info.video;
  if (!v) throw refuse(`a ${info.container} file without a video stream (${fmtS(info.durationS)})`);
  const got = `${v.codec} ${v.width}x${v.height} (aspect ${v.displayAspect.toFixed(3)}), ${fmtS(info.durationS)} in ${info.container}`;
  if (v.codec !== 'h264') throw refuse(`${got}: not H.264`);
  if (Math.abs(v.displayAspect / askedRatio - 1) > ASPECT_TOLERANCE) throw refuse(`${got}: the aspect ratio differs from ${askedRatio.toFixed(3)} by more than 2%`);
  if (Math.abs(info.durationS - expected.durationS) > DURATION_TOLERANCE_S) throw refuse(`${got}: the duration differs by more than ${DURATION_TOLERANCE_S} s`);
  return info;
}

/** `16:9` -> 1.777..., `1.5` -> 1.5. */
function parseRatio(ratio: string): number {
  const m = /^\s*(\d+(?:\.\d+)?)\s*[:/x]\s*(\d+(?:\.\d+)?)\s*$/.exec(ratio);
  const value = m ? Number(m[1]) / Number(m[2]) : Number(ratio);
  if (!Number.isFinite(value) || value <= 0) throw new RangeError(`not an aspect ratio: ${ratio}`);
  return value;
}

const fmtS = (s: number) => `${Math.round(s * 100) / 100} s`;
