// `aio-voice`: text to speech on this machine with eSpeak NG, English and Mandarin Chinese, mixed
// freely in one text. The text is cut into runs of Han script and of everything else, each run is
// spoken with the matching eSpeak voice (in a separate process: eSpeak NG is GPL), the pieces are
// joined, brought to the requested speed and encoded.
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { AudioFormat, Operation, ProducedMedia, SpeechOpInput } from '../types.js';
import { changeSpeed, encodeAudio, wavHeader, wavInfo } from '../../media/audio.js';

export interface SpeechRequest {
  text: string;
  voice: string;
  format: AudioFormat;
  /** 0.25..4; 1 is eSpeak's normal 175 words per minute. */
  speed?: number;
  signal?: AbortSignal;
}

export interface SpeechResult {
  data: Buffer;
  contentType: string;
  durationS: number;
  sampleRate: number;
}

interface VoiceStyle {
  /** eSpeak's English voice for non-Han runs (Han runs always use `cmn`). */
  english: string;
  /** eSpeak voice variant (`voices/!v/<name>`), applied to both languages. */
  variant: string;
  /** eSpeak pitch 0..99 (50 is normal). */
  pitch: number;
  /** Multiplies the speaking rate. */
  pace: number;
}

// OpenAI's voice names, each given its own eSpeak timbre so that they really sound different.
export const VOICE_STYLES: Record<string, VoiceStyle> = {
  alloy: { english: 'en-us', variant: 'f5', pitch: 45, pace: 1 },
  ash: { english: 'en-us', variant: 'm3', pitch: 42, pace: 1 },
  ballad: { english: 'en-us', variant: 'm7', pitch: 55, pace: 0.92 },
  coral: { english: 'en-us', variant: 'f3', pitch: 60, pace: 1.03 },
  echo: { english: 'en-us', variant: 'm2', pitch: 50, pace: 1 },
  fable: { english: 'en-gb-x-rp', variant: 'm1', pitch: 56, pace: 0.97 },
  onyx: { english: 'en-us', variant: 'm6', pitch: 25, pace: 0.94 },
  nova: { english: 'en-us', variant: 'f4', pitch: 65, pace: 1.05 },
  sage: { english: 'en-us', variant: 'Annie', pitch: 50, pace: 0.96 },
  shimmer: { english: 'en-us', variant: 'f2', pitch: 72, pace: 1 },
  verse: { english: 'en-us', variant: 'm4', pitch: 48, pace: 1.06 },
  marin: { english: 'en-us', variant: 'linda', pitch: 58, pace: 1 },
  cedar: { english: 'en-us', variant: 'm5', pitch: 35, pace: 0.98 },
};

export const VOICES = Object.keys(VOICE_STYLES);

const STYLE_ORDER = Object.values(VOICE_STYLES);

/** The style of a voice; a name we do not know gets one of ours, always the same for that name. */
export function voiceStyle(voice: string): VoiceStyle {
  const known = VOICE_STYLES[voice.toLowerCase()];
  if (known) return known;
  let h = 2166136261;
  for (let i = 0; i < voice.length; i++) h = Math.imul(h ^ voice.charCodeAt(i), 16777619);
  return STYLE_ORDER[(h >>> 0) % STYLE_ORDER.length]!;
}

export type ScriptRun = { lang: 'zh' | 'en'; text: string };

const HAN = /[\p{Script=Han}\u3000-\u303f\uff00-\uffef]/u; // Han, CJK punctuation, full-width forms
const NEUTRAL = /[\s\p{N}\p{P}\p{S}]/u; // spaces, digits, punctuation: they belong to the run they are in

/**
 * Cuts text into runs of Chinese (Han characters and CJK punctuation) and of everything else.
 * Spaces, digits and ASCII punctuation stay with the run they follow (at the very start, the run
 * they precede), so "我有3个" is one Chinese run and "version 2" one English run.
 */
export function splitScriptRuns(text: string): ScriptRun[] {
  const runs: ScriptRun[] = [];
  let pending = ''; // neutral characters before the first run
  for (const ch of text) {
    const lang = HAN.test(ch) ? 'zh' : NEUTRAL.test(ch) ? undefined : 'en';
    const last = runs[runs.length - 1];
    if (!lang) {
      if (last) last.text += ch;
      else pending += ch;
    } else if (last && last.lang === lang) last.text += ch;
    else {
      runs.push({ lang, text: pending + ch });
      pending = '';
    }
  }
  if (pending) runs.push({ lang: 'en', text: pending });
  return runs.map((r) => ({ lang: r.lang, text: r.text.trim() })).filter((r) => r.text.length > 0);
}

const NORMAL_WPM = 175;
// eSpeak's own rate range (this build has no sonic speed-up); beyond it atempo does the rest.
const MIN_WPM = 80;
const MAX_WPM = 450;
const OUTPUT_RATE = 24000; // what OpenAI's speech endpoint delivers

interface Segment {
  text: string;
  voice: string;
  rate: number;
  pitch: number;
}

/** Speaks `text` with `voice` and returns it encoded as `format`. */
export async function synthesizeSpeech(req: SpeechRequest): Promise<SpeechResult> {
  const speed = req.speed ?? 1;
  if (!(speed >= 0.25 && speed <= 4)) throw new RangeError(`speed must be within 0.25..4, got ${speed}`);
  const runs = splitScriptRuns(req.text);
  if (runs.length === 0) throw new RangeError('text has nothing to speak');
  const style = voiceStyle(req.voice);
  const wantedWpm = NORMAL_WPM * style.pace * speed;
  const rate = Math.min(MAX_WPM, Math.max(MIN_WPM, wantedWpm));
  const segments: Segment[] = runs.map((r) => ({
    text: r.text,
    voice: `${r.lang === 'zh' ? 'cmn' : style.english}+${style.variant}`,
    rate,
    pitch: style.pitch,
  }));
  const wavs = await runEspeak(segments, req.signal);
  let wav = joinWavs(wavs);
  const residual = wantedWpm / rate;
  if (Math.abs(residual - 1) > 0.01) wav = await changeSpeed(wav, residual, { signal: req.signal });
  const { data: samples, sampleRate, channels } = wavInfo(wav);
  const durationS = samples.length / 2 / channels / sampleRate;
  const encoded = await encodeAudio(wav, req.format, { sampleRate: OUTPUT_RATE, signal: req.signal });
  return { ...encoded, durationS };
}

/** Concatenates 16-bit WAVs of one sample rate and channel count into one WAV. */
export function joinWavs(wavs: Buffer[]): Buffer {
  const parts = wavs.map(wavInfo);
  const first = parts[0];
  if (!first) throw new Error('no audio to join');
  for (const p of parts) {
    if (p.sampleRate !== first.sampleRate || p.channels !== first.channels || p.sampleFormat !== 's16le') {
      throw new Error(`cannot join WAVs of different formats (${p.sampleRate} Hz x${p.channels} ${p.sampleFormat})`);
    }
  }
  const data = Buffer.concat(parts.map((p) => p.data));
  return Buffer.concat([wavHeader({ sampleRate: first.sampleRate, channels: first.channels, sampleFormat: 's16le', dataBytes: data.length }), data]);
}

const WORKER = fileURLToPath(new URL('./espeak-worker.mjs', import.meta.url));
const WORKER_TIMEOUT_MS = 120_000;

/** Runs espeak-worker.mjs in its own node process; resolves with one WAV per segment. */
function runEspeak(segments: Segment[], signal?: AbortSignal): Promise<Buffer[]> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [WORKER], { stdio: ['pipe', 'pipe', 'pipe'] });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    let settled = false;
    const finish = (fn: () => void) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      signal?.removeEventListener('abort', onAbort);
      fn();
    };
    const onAbort = () => {
      child.kill('SIGKILL');
      finish(() => reject(signal?.reason instanceof Error ? signal.reason : new Error('speech synthesis was aborted')));
    };
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      finish(() => reject(new Error(`espeak-ng took longer than ${WORKER_TIMEOUT_MS} ms`)));
    }, WORKER_TIMEOUT_MS);
    if (signal?.aborted) return onAbort();
    signal?.addEventListener('abort', onAbort, { once: true });
    child.stdout.on('data', (c: Buffer) => out.push(c));
    child.stderr.on('data', (c: Buffer) => err.push(c));
    child.on('error', (e) => finish(() => reject(new Error(`espeak-ng worker could not start: ${e.message}`))));
    child.on('close', (code) => {
      if (code !== 0) return finish(() => reject(new Error(`espeak-ng worker failed (${code}): ${Buffer.concat(err).toString().trim().slice(0, 500)}`)));
      try {
        const wavs = unframe(Buffer.concat(out));
        if (wavs.length !== segments.length) throw new Error(`espeak-ng worker gave ${wavs.length} of ${segments.length} segments`);
        finish(() => resolve(wavs));
      } catch (e) {
        finish(() => reject(e));
      }
    });
    child.stdin.on('error', () => undefined);
    child.stdin.end(JSON.stringify({ segments }));
  });
}

function unframe(buf: Buffer): Buffer[] {
  const parts: Buffer[] = [];
  let pos = 0;
  while (pos < buf.length) {
    if (pos + 4 > buf.length) throw new Error('espeak-ng worker output is cut short');
    const len = buf.readUInt32LE(pos);
    if (pos + 4 + len > buf.length) throw new Error('espeak-ng worker output is cut short');
    parts.push(buf.subarray(pos + 4, pos + 4 + len));
    pos += 4 + len;
  }
  return parts;
}

/** The `speech` operation of the local provider. */
export const speakLocally: Operation<SpeechOpInput, ProducedMedia> = async (input, ctx) => {
  const r = await synthesizeSpeech({ text: input.text, voice: input.voice, format: input.format, speed: input.speed, signal: ctx.signal });
  return { data: r.data, contentType: r.contentType };
};
