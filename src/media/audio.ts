// Audio bytes in, audio bytes out: WAV headers for PCM we make ourselves, encoding to the formats
// the API offers, and tempo changes. Encoding and resampling run in FFmpeg (a separate process).
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { AudioFormat } from '../providers/types.js';
import { runFfmpeg } from './ffmpeg.js';
import { withTempDir } from './temp-file.js';

export interface EncodedAudio {
  data: Buffer;
  contentType: string;
  sampleRate: number;
}

/** Raw interleaved PCM (no header) handed to encodeAudio. */
export interface RawPcm {
  sampleRate: number;
  channels: number;
  sampleFormat: 's16le' | 'f32le';
}

export interface EncodeAudioOptions {
  /** Set when the input is raw PCM (no header); without it FFmpeg reads the input's own header. */
  pcm?: RawPcm;
  /** Output sample rate; default: the input's (opus is always 48000, the rate libopus works at). */
  sampleRate?: number;
  /** Output channel count; default: the input's. */
  channels?: number;
  /** Bit rate of the lossy formats (mp3, opus, aac); defaults suit speech and music alike. */
  bitrateKbps?: number;
  signal?: AbortSignal;
}

interface FormatSpec {
  ext: string;
  contentType: string;
  args: (bitrateKbps?: number) => string[];
}

// Containers: opus goes in Ogg (what browsers and OpenAI's `opus` output use), aac as a raw ADTS
// stream (what OpenAI's `aac` output is; it plays everywhere and needs no seekable container).
const FORMATS: Record<AudioFormat, FormatSpec> = {
  mp3: { ext: 'mp3', contentType: 'audio/mpeg', args: (b) => ['-c:a', 'libmp3lame', '-b:a', `${b ?? 128}k`, '-f', 'mp3'] },
  opus: { ext: 'ogg', contentType: 'audio/ogg', args: (b) => ['-c:a', 'libopus', '-b:a', `${b ?? 96}k`, '-f', 'ogg'] },
  aac: { ext: 'aac', contentType: 'audio/aac', args: (b) => ['-c:a', 'aac', '-b:a', `${b ?? 128}k`, '-f', 'adts'] },
  flac: { ext: 'flac', contentType: 'audio/flac', args: () => ['-c:a', 'flac', '-f', 'flac'] },
  wav: { ext: 'wav', contentType: 'audio/wav', args: () => ['-c:a', 'pcm_s16le', '-f', 'wav'] },
};

export const AUDIO_FORMATS = Object.keys(FORMATS) as AudioFormat[];

/** The file extension of a format's container (opus is in Ogg). */
export function audioExtension(format: AudioFormat): string {
  return FORMATS[format].ext;
}

/** The Content-Type encodeAudio gives a format. */
export function audioContentType(format: AudioFormat): string {
  return FORMATS[format].contentType;
}

/**
 * Encodes audio as `format`: a WAV file, raw PCM described by `opts.pcm`, or any file FFmpeg reads
 * (an upstream's MP3, M4A, Ogg...). Input and output go through a temporary directory, not pipes,
 * so FFmpeg can seek in the input (an M4A's index may be at its end) and back in the output to
 * finish its headers (WAV sizes, the MP3 Xing frame): players then see the exact duration.
 */
export async function encodeAudio(input: Buffer, format: AudioFormat, opts: EncodeAudioOptions = {}): Promise<EncodedAudio> {
  const spec = FORMATS[format];
  if (!spec) throw new RangeError(`unknown audio format: ${String(format)}`);
  const rate = format === 'opus' ? 48000 : opts.sampleRate;
  const inputArgs = opts.pcm ? ['-f', opts.pcm.sampleFormat, '-ar', String(opts.pcm.sampleRate), '-ac', String(opts.pcm.channels)] : [];
  return withTempDir(async (dir) => {
    const source = join(dir, 'input');
    const out = join(dir, `out.${spec.ext}`);
    await writeFile(source, input);
    const { stderr } = await runFfmpeg(
      [
        ...inputArgs,
        '-i', source,
        '-vn', '-map_metadata', '-1',
        ...(rate ? ['-ar', String(rate)] : []),
        ...(opts.channels ? ['-ac', String(opts.channels)] : []),
        ...spec.args(opts.bitrateKbps),
        '-fflags', '+bitexact', '-flags:a', '+bitexact',
        '-y', out,
      ],
      { signal: opts.signal },
    );
    // Without -ar FFmpeg keeps the input's rate, or picks the nearest the encoder supports.
    const sampleRate = outputSampleRate(stderr) ?? rate ?? opts.pcm?.sampleRate;
    if (!sampleRate) throw new Error('ffmpeg did not say the sample rate it encoded at');
    return { data: await readFile(out), contentType: spec.contentType, sampleRate };
  });
}

/** The sample rate of the first audio stream in the `Output #0` block of ffmpeg's stderr. */
function outputSampleRate(stderr: string): number | undefined {
  const at = stderr.indexOf('Output #0');
  if (at < 0) return undefined;
  const m = /Stream #0:\d+[^\n]*?: Audio: [^\n]*?, (\d+) Hz/.exec(stderr.slice(at));
  return m ? Number(m[1]) : undefined;
}

/** The tempo factors atempo is best at (each within 0.5..2) whose product is `speed`. */
export function atempoChain(speed: number): number[] {
  const factors: number[] = [];
  let rest = speed;
  while (rest > 2) {
    factors.push(2);
    rest /= 2;
  }
  while (rest < 0.5) {
    factors.push(0.5);
    rest /= 0.5;
  }
  if (Math.abs(rest - 1) > 1e-6 || factors.length === 0) factors.push(rest);
  return factors;
}

/**
 * Plays a WAV `speed` times as fast without changing its pitch (0.25..4; 2 halves the duration).
 * Returns a 16-bit WAV at the input's sample rate and channel count.
 */
export async function changeSpeed(wav: Buffer, speed: number, opts: { signal?: AbortSignal } = {}): Promise<Buffer> {
  if (!(speed >= 0.25 && speed <= 4)) throw new RangeError(`speed must be within 0.25..4, got ${speed}`);
  if (Math.abs(speed - 1) < 1e-6) return wav;
  const filter = atempoChain(speed).map((f) => `atempo=${f.toFixed(6)}`).join(',');
  const { sampleRate, channels } = wavInfo(wav);
  const { stdout } = await runFfmpeg(['-f', 'wav', '-i', 'pipe:0', '-af', filter, '-f', 's16le', '-c:a', 'pcm_s16le', '-ar', String(sampleRate), 'pipe:1'], {
    input: wav,
    signal: opts.signal,
  });
  return Buffer.concat([wavHeader({ sampleRate, channels, sampleFormat: 's16le', dataBytes: stdout.length }), stdout]);
}

/** A 44-byte RIFF/WAVE header for `dataBytes` of interleaved PCM (16-bit integer or 32-bit float). */
export function wavHeader(o: { sampleRate: number; channels: number; sampleFormat: 's16le' | 'f32le'; dataBytes: number }): Buffer {
  const bytesPerSample = o.sampleFormat === 'f32le' ? 4 : 2;
  const h = Buffer.alloc(44);
  h.write('RIFF', 0, 'ascii');
  h.writeUInt32LE(36 + o.dataBytes, 4);
  h.write('WAVE', 8, 'ascii');
  h.write('fmt ', 12, 'ascii');
  h.writeUInt32LE(16, 16);
  h.writeUInt16LE(o.sampleFormat === 'f32le' ? 3 : 1, 20); // 3 = IEEE float, 1 = integer PCM
  h.writeUInt16LE(o.channels, 22);
  h.writeUInt32LE(o.sampleRate, 24);
  h.writeUInt32LE(o.sampleRate * o.channels * bytesPerSample, 28);
  h.writeUInt16LE(o.channels * bytesPerSample, 32);
  h.writeUInt16LE(bytesPerSample * 8, 34);
  h.write('data', 36, 'ascii');
  h.writeUInt32LE(o.dataBytes, 40);
  return h;
}

/** Wraps interleaved samples in a WAV file: Float32Array as 32-bit float, Int16Array as 16-bit. */
export function pcmToWav(samples: Float32Array | Int16Array, o: { sampleRate: number; channels: number }): Buffer {
  const data = Buffer.from(samples.buffer, samples.byteOffset, samples.byteLength);
  const sampleFormat = samples instanceof Float32Array ? 'f32le' : 's16le';
  return Buffer.concat([wavHeader({ ...o, sampleFormat, dataBytes: data.length }), data]);
}

export interface WavInfo extends RawPcm {
  /** The sample bytes (a view into the input). */
  data: Buffer;
}

/** Reads a WAV file's format and sample bytes; throws on anything but 16-bit or float32 PCM. */
export function wavInfo(wav: Buffer): WavInfo {
  if (wav.length < 12 || wav.toString('ascii', 0, 4) !== 'RIFF' || wav.toString('ascii', 8, 12) !== 'WAVE') {
    throw new Error('not a WAV file');
  }
  let fmt: { tag: number; channels: number; sampleRate: number; bits: number } | undefined;
  let pos = 12;
  while (pos + 8 <= wav.length) {
    const id = wav.toString('ascii', pos, pos + 4);
    const declared = wav.readUInt32LE(pos + 4);
    const body = pos + 8;
    // Streamed WAVs leave the size as 0 or 0xFFFFFFFF: the data then runs to the end of the file.
    const size = id === 'data' && (declared === 0 || declared === 0xffffffff || body + declared > wav.length) ? wav.length - body : declared;
    if (id === 'fmt ') {
      fmt = { tag: wav.readUInt16LE(body), channels: wav.readUInt16LE(body + 2), sampleRate: wav.readUInt32LE(body + 4), bits: wav.readUInt16LE(body + 14) };
      // WAVE_FORMAT_EXTENSIBLE keeps the real format tag in the sub-format GUID.
      if (fmt.tag === 0xfffe && size >= 26) fmt.tag = wav.readUInt16LE(body + 24);
    } else if (id === 'data') {
      if (!fmt) throw new Error('WAV data chunk before its fmt chunk');
      const sampleFormat = fmt.tag === 1 && fmt.bits === 16 ? 's16le' : fmt.tag === 3 && fmt.bits === 32 ? 'f32le' : undefined;
      if (!sampleFormat) throw new Error(`unsupported WAV sample format (tag ${fmt.tag}, ${fmt.bits} bits)`);
      return { sampleRate: fmt.sampleRate, channels: fmt.channels, sampleFormat, data: wav.subarray(body, body + size) };
    }
    pos = body + size + (size & 1);
  }
  throw new Error('WAV file has no data chunk');
}
