// aio-motion, the local video engine: the poster for the prompt, set in motion. A slow Ken Burns
// zoom and pan over the poster's background, its colours drifting a little, while the headline
// lines, the accent rule and the subtitle lines fade and slide in one after another. Encoded as
// H.264 (yuv420p) MP4 with the index first, at exactly width x height and round(durationS * fps)
// frames.
//
// Speed: JS renders only stills (the background, and each text line cropped to its box) and hands
// them to FFmpeg as one raw RGBA atlas on stdin; FFmpeg cuts the atlas apart and does all the
// per-frame work (perspective for the camera, hue, loop, fade, overlay) in one filter graph.
// Output is a pure function of the input for given versions of the fonts, librsvg and FFmpeg/x264
// (x264 runs a fixed number of threads, so the core count does not change the bytes).
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import sharp from 'sharp';
import { runFfmpeg } from '../../media/ffmpeg.js';
import { withTempDir } from '../../media/temp-file.js';
import { buildPosterLayers, checkPosterRequest, posterSvgDocument, type Box, type PosterLayers } from './poster/index.js';

export interface MotionRequest {
  prompt: string;
  seed: number;
  /** Even, 16..4096. */
  width: number;
  height: number;
  /** 0.5..120 seconds. */
  durationS: number;
  /** Frames per second, 1..60; default 24. */
  fps?: number;
  signal?: AbortSignal;
}

export const MOTION_DEFAULT_FPS = 24;

/** Render the clip as MP4 bytes (H.264 High, yuv420p, +faststart, no audio). */
export async function renderMotion(req: MotionRequest): Promise<Buffer> {
  const plan = planMotion(req);
  req.signal?.throwIfAborted();
  const atlas = await renderAtlas(plan);
  req.signal?.throwIfAborted();
  return withTempDir(async (dir) => {
    const out = join(dir, 'motion.mp4');
    const { stderr } = await runFfmpeg(ffmpegArgs(plan, atlas, out), {
      input: atlas.data,
      signal: req.signal,
      // Generous: 10 s of 1080p takes a few seconds here; a busy machine must not fail the task.
      timeoutMs: 60_000 + plan.frames * ((plan.width * plan.height) / (1920 * 1080)) * 500,
    });
    // A filter error ends the stream early but FFmpeg still exits 0: count what was encoded.
    const counts = [...stderr.matchAll(/frame=\s*(\d+)/g)];
    const encoded = Number(counts[counts.length - 1]?.[1] ?? 0);
    if (encoded !== plan.frames || /Error while filtering/.test(stderr)) {
      throw new Error(`renderMotion: FFmpeg encoded ${encoded} of ${plan.frames} frames: ${stderr.trim().split('\n').slice(-3).join(' | ')}`);
    }
    return readFile(out);
  });
}

// ---------------------------------------------------------------------------------------
// Plan: what moves where, decided from the prompt and seed
// ---------------------------------------------------------------------------------------

/** A text element of the poster (a headline line, the rule, a subtitle line) and when it comes in. */
interface Element {
  /** Integer pixel box in the frame, clipped to it. */
  box: Box;
  svg: string;
  /** When it starts to appear and how long that takes, in seconds. */
  start: number;
  length: number;
  /** Where it slides in from, in pixels relative to its place. */
  dx: number;
  dy: number;
}

interface Plan {
  width: number;
  height: number;
  fps: number;
  frames: number;
  layers: PosterLayers;
  /** Zoom at the first and last frame, and the point of the poster (0..1) centred at each. */
  zoom: [number, number];
  focus: [[number, number], [number, number]];
  /** Peak hue drift of the background in degrees, and whether it swings up or down first. */
  hueDeg: number;
  elements: Element[];
}

function planMotion(req: MotionRequest): Plan {
  const { width, height, durationS } = req;
  const fps = req.fps ?? MOTION_DEFAULT_FPS;
  if (!Number.isInteger(width) || !Number.isInteger(height) || width % 2 || height % 2 || width < 16 || height < 16 || width > 4096 || height > 4096) {
    throw new RangeError(`renderMotion: width and height must be even integers in 16..4096, got ${width}x${height}`);
  }
  if (!(durationS >= 0.5 && durationS <= 120)) throw new RangeError(`renderMotion: durationS must be within 0.5..120, got ${durationS}`);
  if (!(Number.isInteger(fps) && fps >= 1 && fps <= 60)) throw new RangeError(`renderMotion: fps must be an integer in 1..60, got ${fps}`);
  checkPosterRequest({ prompt: req.prompt, seed: req.seed, width, height });

  const rand = motionRng(req.prompt, req.seed);
  const mn = Math.min(width, height);
  const zoomAmount = 0.08 + rand() * 0.06;
  const zoomIn = rand() < 0.5;
  const zoom: [number, number] = zoomIn ? [1, 1 + zoomAmount] : [1 + zoomAmount, 1];
  const near = () => 0.5 + (rand() - 0.5) * 0.16;
  const focus: [[number, number], [number, number]] = [
    [near(), near()],
    [near(), near()],
  ];
  // The background moves under still text: shapes within this margin of a line are toned down.
  const layers = buildPosterLayers({ prompt: req.prompt, seed: req.seed, width, height }, undefined, {
    textClearance: Math.round(mn * 0.04),
  });

  // Entrances fill at most the first ~45% of a short clip and about 2.5 s of a long one.
  const pace = Math.min(1, durationS / 5);
  const slide = Math.round(mn * 0.035);
  const elements: Element[] = [];
  let t = 0.3 * pace;
  const add = (box: Box, svg: string, length: number, dx: number, dy: number, gap: number) => {
    const b = pixelBox(box, width, height);
    if (b.w < 1 || b.h < 1) return;
    elements.push({ box: b, svg, start: t, length: length * pace, dx, dy });
    t += gap * pace;
  };
  const fromLeft = rand() < 0.35;
  for (const line of layers.lines.filter((l) => l.kind === 'headline')) {
    add(line.box, line.svg, 0.75, fromLeft ? -slide : 0, fromLeft ? 0 : slide, 0.22);
  }
  if (layers.rule) add(grow(layers.rule.box, 2), layers.rule.svg, 0.5, -slide, 0, 0.2);
  for (const line of layers.lines.filter((l) => l.kind === 'subtitle')) add(line.box, line.svg, 0.6, 0, Math.round(slide * 0.6), 0.12);

  return {
    width,
    height,
    fps,
    frames: Math.max(1, Math.round(durationS * fps)),
    layers,
    zoom,
    focus,
    hueDeg: (rand() < 0.5 ? -1 : 1) * (6 + rand() * 8),
    elements,
  };
}

const grow = (b: Box, m: number): Box => ({ x: b.x - m, y: b.y - m, w: b.w + 2 * m, h: b.h + 2 * m });

/** The smallest whole-pixel box inside the frame that holds `b`. */
function pixelBox(b: Box, W: number, H: number): Box {
  const x = Math.max(0, Math.floor(b.x));
  const y = Math.max(0, Math.floor(b.y));
  return { x, y, w: Math.min(W, Math.ceil(b.x + b.w)) - x, h: Math.min(H, Math.ceil(b.y + b.h)) - y };
}

/** A small seeded generator for the motion's own choices (the poster's are made by its renderer). */
function motionRng(prompt: string, seed: number): () => number {
  let a = 0x9e3779b9 ^ seed;
  for (let i = 0; i < prompt.length; i++) a = Math.imul(a ^ prompt.charCodeAt(i), 0x01000193);
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let x = a;
    x = Math.imul(x ^ (x >>> 15), x | 1);
    x ^= x + Math.imul(x ^ (x >>> 7), x | 61);
    return ((x ^ (x >>> 14)) >>> 0) / 4294967296;
  };
}

// ---------------------------------------------------------------------------------------
// Stills: one raw RGBA atlas, the background on top and the text elements stacked below it
// ---------------------------------------------------------------------------------------

interface Atlas {
  data: Buffer;
  width: number;
  height: number;
  /** Where each element sits in the atlas (its x is 0). */
  rows: number[];
}

async function rasterRgba(svg: string): Promise<{ data: Buffer; width: number; height: number }> {
  const { data, info } = await sharp(Buffer.from(svg), { density: 72, limitInputPixels: false })
    .ensureAlpha()
    .raw()
    .toBuffer({ resolveWithObject: true });
  return { data, width: info.width, height: info.height };
}

async function renderAtlas(plan: Plan): Promise<Atlas> {
  const { layers } = plan;
  const stills = await Promise.all([
    rasterRgba(posterSvgDocument(layers, layers.background)),
    ...plan.elements.map((e) => rasterRgba(posterSvgDocument(layers, e.svg, e.box))),
  ]);
  const atlasW = Math.max(...stills.map((s) => s.width));
  const rows: number[] = [];
  let atlasH = 0;
  for (const s of stills) {
    rows.push(atlasH);
    atlasH += s.height;
  }
  const data = Buffer.alloc(atlasW * atlasH * 4);
  stills.forEach((s, i) => {
    for (let y = 0; y < s.height; y++) s.data.copy(data, ((rows[i]! + y) * atlasW) * 4, y * s.width * 4, (y + 1) * s.width * 4);
  });
  return { data, width: atlasW, height: atlasH, rows: rows.slice(1) };
}

// ---------------------------------------------------------------------------------------
// FFmpeg: cut the atlas apart, move the pieces, encode
// ---------------------------------------------------------------------------------------

/** x264's output depends on its thread count: fixed, so every machine encodes the same bytes. */
const X264_THREADS = 4;

const num = (v: number) => String(Math.round(v * 1e5) / 1e5);

function ffmpegArgs(plan: Plan, atlas: Atlas, out: string): string[] {
  const { width: W, height: H, fps, frames: N, zoom, focus, elements } = plan;
  // Eased progress 0..1 over the clip (smoothstep) as an expression of perspective's frame number
  // `in` (which counts from 1), and the camera: zoom and the centre of the view, in the
  // background's pixels (W, H). An expression that comes out NaN makes perspective drop the frame
  // (FFmpeg still exits 0), so nothing here may: no clip() whose bounds could cross by a rounding.
  const p = `clip((in-1)/${Math.max(1, N - 1)},0,1)`;
  const ease = `(${p}*${p}*(3-2*${p}))`;
  const lerp = (a: number, b: number) => `(${num(a)}+${num(b - a)}*${ease})`;
  const z = `max(1,${lerp(zoom[0], zoom[1])})`;
  const hw = `(W/(2*${z}))`;
  const hh = `(H/(2*${z}))`;
  const cx = `max(${hw},min(W-${hw},W*${lerp(focus[0][0], focus[1][0])}))`;
  const cy = `max(${hh},min(H-${hh},H*${lerp(focus[0][1], focus[1][1])}))`;
  const [left, right, top, bottom] = [`${cx}-${hw}`, `${cx}+${hw}`, `${cy}-${hh}`, `${cy}+${hh}`];
  const durationS = N / fps;

  const graph: string[] = [];
  graph.push(`[0:v]split=${elements.length + 1}[bgsrc]${elements.map((_, i) => `[e${i}src]`).join('')}`);
  // perspective (not zoompan) because it samples between pixels: zoompan crops at whole pixels,
  // which makes a slow zoom wobble.
  graph.push(
    `[bgsrc]crop=${W}:${H}:0:0,format=yuv420p,loop=loop=${N - 1}:size=1:start=0,setpts=N/(${fps}*TB),` +
      `perspective=x0='${left}':y0='${top}':x1='${right}':y1='${top}':x2='${left}':y2='${bottom}':x3='${right}':y3='${bottom}':eval=frame,` +
      `hue=h='${num(plan.hueDeg)}*sin(PI*t/${num(durationS)})',setsar=1[v0]`,
  );
  elements.forEach((e, i) => {
    const st = num(e.start);
    // Ease-out: the element decelerates into place while it fades in.
    const rest = `pow(max(0,1-(t-${st})/${num(e.length)}),3)`;
    graph.push(
      `[e${i}src]crop=${e.box.w}:${e.box.h}:0:${atlas.rows[i]},loop=loop=${N - 1}:size=1:start=0,setpts=N/(${fps}*TB),` +
        `fade=t=in:st=${st}:d=${num(e.length)}:alpha=1[e${i}]`,
    );
    graph.push(
      `[v${i}][e${i}]overlay=x='${e.box.x}+${e.dx}*${rest}':y='${e.box.y}+${e.dy}*${rest}':eof_action=pass[v${i + 1}]`,
    );
  });
  graph.push(`[v${elements.length}]format=yuv420p[out]`);

  return [
    '-f', 'rawvideo', '-pix_fmt', 'rgba', '-s', `${atlas.width}x${atlas.height}`, '-framerate', String(fps), '-i', 'pipe:0',
    '-filter_complex', graph.join(';'),
    '-map', '[out]',
    '-frames:v', String(N),
    '-c:v', 'libx264', '-preset', 'veryfast', '-crf', '20', '-profile:v', 'high', '-pix_fmt', 'yuv420p',
    '-g', String(fps * 2), '-r', String(fps), '-threads', String(X264_THREADS),
    '-map_metadata', '-1', '-fflags', '+bitexact', '-flags:v', '+bitexact',
    '-movflags', '+faststart',
    '-y', out,
  ];
}
