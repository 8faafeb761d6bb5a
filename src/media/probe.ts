// What a media file holds: container, duration, first video and first audio stream. There is no
// ffprobe in the npm FFmpeg build, so this reads what `ffmpeg -i` prints about its input. The
// bytes go to a temporary file, not a pipe: an MP4 whose index (moov) is at the end, or a WAV,
// MP3 or Ogg file's duration, can only be read from something FFmpeg can seek in.
import { open } from 'node:fs/promises';
import { FfmpegError, runFfmpeg } from './ffmpeg.js';
import { withTempFile } from './temp-file.js';

export interface MediaInfo {
  /** Short container name: mp4, mov, webm, matroska, ogg, mp3, wav, flac, aac, ... */
  container: string;
  durationS: number;
  video?: {
    codec: string;
    /** Display size: swapped when the file says to rotate by 90 degrees. */
    width: number;
    height: number;
    fps?: number;
    /** Width / height as shown, counting non-square pixels (equals width / height when they are square). */
    displayAspect: number;
  };
  audio?: { codec: string; sampleRate: number; channels: number };
}

/** The bytes are not audio or video FFmpeg can read (garbage, text, an error page, a still image...). */
export class NotMediaError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'NotMediaError';
  }
}

export interface ProbeOptions {
  signal?: AbortSignal;
  timeoutMs?: number;
}

/** Reads the container, duration and streams of audio or video bytes; throws NotMediaError for anything else. */
export async function probeMedia(data: Buffer, opts: ProbeOptions = {}): Promise<MediaInfo> {
  if (!data.length) throw new NotMediaError('the file is empty');
  return withTempFile(data, (file) => probeMediaFile(file, opts));
}

/** probeMedia for bytes already in a file. */
export async function probeMediaFile(file: string, opts: ProbeOptions = {}): Promise<MediaInfo> {
  const head = await readHead(file);
  // Without an output ffmpeg prints the input's description and exits with 1: that is expected.
  const { stderr } = await runFfmpeg(['-i', file], { signal: opts.signal, timeoutMs: opts.timeoutMs ?? 30_000, allowFailure: true });
  const info = parseInputDescription(stderr, head);
  if (info.durationS === undefined) {
    // No duration in the headers, or only one estimated from the bit rate (raw AAC, some MP3s):
    // read the stream through to its end (an audio-only pass is fast).
    info.durationS = await measureDuration(file, info.audio ? '0:a:0' : '0:v:0', opts);
  }
  return info as MediaInfo;
}

type Parsed = Omit<MediaInfo, 'durationS'> & { durationS?: number };

/**
 * Parses the `Input #0 ...` block of ffmpeg's stderr. `head` (the file's first bytes) tells MP4
 * from MOV and WebM from Matroska, which FFmpeg reports as one demuxer each.
 */
export function parseInputDescription(stderr: string, head: Buffer = Buffer.alloc(0)): Parsed {
  const lines = stderr.split(/\r?\n/);
  const start = lines.findIndex((l) => /^Input #0, /.test(l));
  if (start < 0) {
    const reason = lines.find((l) => /Invalid data found|Invalid argument|could not find codec|End of file/i.test(l));
    throw new NotMediaError(`not audio or video that FFmpeg can read${reason ? ` (${reason.replace(/^.*?: /, '').trim()})` : ''}`);
  }
  const demuxer = /^Input #0, (.+?), from /.exec(lines[start]!)?.[1] ?? '';
  if (/_pipe$|^image2$/.test(demuxer)) {
    throw new NotMediaError(`a still image (${demuxer.replace(/_pipe$/, '')}), not audio or video`);
  }
  const block: string[] = [];
  for (const l of lines.slice(start + 1)) {
    if (!/^\s/.test(l)) break;
    block.push(l);
  }

  const info: Parsed = { container: containerName(demuxer, head) };
  const dm = /^\s*Duration: (\d+):(\d\d):(\d\d(?:\.\d+)?)/m.exec(block.join('\n'));
  if (dm && !/Estimating duration from bitrate/.test(stderr)) info.durationS = Number(dm[1]) * 3600 + Number(dm[2]) * 60 + Number(dm[3]);

  block.forEach((line, i) => {
    const sm = /^\s*Stream #0:\d+\S*: (Video|Audio): (.*)$/.exec(line);
    if (!sm) return;
    const desc = sm[2]!;
    const codec = /^(\w+)/.exec(desc)?.[1] ?? 'unknown';
    if (sm[1] === 'Video' && !info.video && !isCoverArt(codec, desc)) {
      const size = /,\s(\d+)x(\d+)(?=[\s,[]|$)/.exec(desc);
      if (!size) return;
      let width = Number(size[1]);
      let height = Number(size[2]);
      const sar = /SAR (\d+):(\d+)/.exec(desc);
      const sarV = sar && Number(sar[2]) > 0 && Number(sar[1]) > 0 ? Number(sar[1]) / Number(sar[2]) : 1;
      let displayAspect = (width * sarV) / height;
      if (Math.abs(rotationOf(block, i)) % 180 === 90) {
        [width, height] = [height, width];
        displayAspect = 1 / displayAspect;
      }
      const fm = /,\s(\d+(?:\.\d+)?)(k?) fps/.exec(desc);
      info.video = { codec, width, height, displayAspect, ...(fm ? { fps: Number(fm[1]) * (fm[2] ? 1000 : 1) } : {}) };
    } else if (sm[1] === 'Audio' && !info.audio) {
      const rate = /,\s(\d+) Hz(?:,\s([^,]+))?/.exec(desc);
      if (!rate) return;
      info.audio = { codec, sampleRate: Number(rate[1]), channels: channelCount(rate[2]?.trim() ?? '') };
    }
  });
  if (!info.video && !info.audio) throw new NotMediaError(`no audio or video stream in the ${info.container} file`);
  return info;
}

/**
 * Cover art in an audio file (ID3 APIC, MP4 covr, FLAC picture) shows up as a video stream of one
 * still image: an image codec without a frame rate (this FFmpeg does not print "attached pic").
 */
function isCoverArt(codec: string, desc: string): boolean {
  return /\(attached pic\)/.test(desc) || (/^(mjpeg|png|bmp|tiff|webp)$/.test(codec) && !/ fps/.test(desc));
}

/** Rotation in degrees of the stream whose line is block[i], from its side data or metadata. */
function rotationOf(block: string[], i: number): number {
  for (const l of block.slice(i + 1)) {
    if (/^\s*Stream #/.test(l)) break;
    const m = /displaymatrix: rotation of (-?\d+(?:\.\d+)?) degrees/.exec(l) ?? /^\s*rotate\s*:\s*(-?\d+)/.exec(l);
    if (m) return Math.round(Number(m[1]));
  }
  return 0;
}

const LAYOUT_CHANNELS: Record<string, number> = {
  mono: 1, stereo: 2, downmix: 2, '2.1': 3, '3.0': 3, '3.0(back)': 3, '3.1': 4, '4.0': 4, quad: 4, 'quad(side)': 4, '4.1': 5,
  '5.0': 5, '5.0(side)': 5, '5.1': 6, '5.1(side)': 6, '6.0': 6, '6.0(front)': 6, hexagonal: 6, '6.1': 7, '6.1(back)': 7,
  '6.1(front)': 7, '7.0': 7, '7.0(front)': 7, '7.1': 8, '7.1(wide)': 8, '7.1(wide-side)': 8, octagonal: 8,
};

function channelCount(layout: string): number {
  const n = /^(\d+) channels/.exec(layout);
  if (n) return Number(n[1]);
  return LAYOUT_CHANNELS[layout] ?? 0;
}

function containerName(demuxer: string, head: Buffer): string {
  if (demuxer.startsWith('mov,mp4')) {
    const brand = head.length >= 12 && head.toString('latin1', 4, 8) === 'ftyp' ? head.toString('latin1', 8, 12) : '';
    if (brand === 'qt  ') return 'mov';
    if (brand.startsWith('3g')) return '3gp';
    if (brand === 'M4A ' || brand === 'M4B ') return 'm4a';
    return 'mp4';
  }
  if (demuxer.startsWith('matroska')) return head.includes('webm', 0, 'latin1') ? 'webm' : 'matroska';
  return demuxer.split(',')[0]!;
}

async function readHead(file: string): Promise<Buffer> {
  const fh = await open(file, 'r');
  try {
    const buf = Buffer.alloc(64);
    const { bytesRead } = await fh.read(buf, 0, 64, 0);
    return buf.subarray(0, bytesRead);
  } finally {
    await fh.close();
  }
}

/** Decodes one stream to its end and returns the last timestamp FFmpeg reached, in seconds. */
async function measureDuration(file: string, stream: string, opts: ProbeOptions): Promise<number> {
  let stderr: string;
  try {
    ({ stderr } = await runFfmpeg(['-i', file, '-map', stream, '-f', 'null', '-'], { signal: opts.signal, timeoutMs: opts.timeoutMs ?? 60_000 }));
  } catch (err) {
    if (err instanceof FfmpegError && !opts.signal?.aborted) throw new NotMediaError(`the stream cannot be decoded: ${err.message}`);
    throw err;
  }
  const times = [...stderr.matchAll(/time=(\d+):(\d\d):(\d\d(?:\.\d+)?)/g)];
  const last = times[times.length - 1];
  if (!last) throw new NotMediaError('the stream has no decodable frames');
  return Number(last[1]) * 3600 + Number(last[2]) * 60 + Number(last[3]);
}

/**
 * Whether the first audio stream is silent: its loudest sample below -50 dBFS (FFmpeg's
 * volumedetect). Media without an audio stream counts as silent.
 */
export async function isSilent(data: Buffer, opts: ProbeOptions = {}): Promise<boolean> {
  if (!data.length) throw new NotMediaError('the file is empty');
  return withTempFile(data, async (file) => {
    const info = await probeMediaFile(file, opts);
    if (!info.audio) return true;
    const { stderr } = await runFfmpeg(['-i', file, '-map', '0:a:0', '-af', 'volumedetect', '-f', 'null', '-'], {
      signal: opts.signal,
      timeoutMs: opts.timeoutMs ?? 60_000,
    });
    const m = /max_volume: (-?inf|-?\d+(?:\.\d+)?) dB/.exec(stderr);
    if (!m) return true; // no samples were decoded at all
    return m[1]!.endsWith('inf') || Number(m[1]) < SILENCE_DB;
  });
}

/** Loudest sample (dBFS) below which audio counts as silence. */
export const SILENCE_DB = -50;
