// Local poster renderer: turns a prompt into a deterministic, typographic poster PNG.
//
// Pipeline: prompt -> (headline, subtitle) -> seeded palette + layout -> SVG whose text is
// already converted to glyph outlines (fontkit, fonts from npm packages in node_modules)
// -> PNG via sharp/librsvg. No system fonts and nothing fetched at run time: the SVG holds
// only paths and shapes (prompt text never enters it as text, so nothing needs XML escaping).
// Output bytes are a pure function of (prompt, seed, width, height) for given versions of
// the fonts, sharp/librsvg and Node's ICU (used for Chinese word breaking).
//
// Fonts: Inter (Latin, @expo-google-fonts/inter) with Noto Sans Hans (Simplified Chinese,
// @embedpdf/fonts-sc) as the per-character fallback for CJK and anything Inter lacks.
// Characters neither font has (e.g. emoji) are dropped rather than drawn as tofu boxes.

import { createHash } from 'node:crypto';
import { readFileSync, existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import * as fontkit from 'fontkit';
import sharp from 'sharp';

export interface PosterRequest {
  prompt: string;
  seed: number;
  width: number;
  height: number;
}

export interface PosterText {
  /** The large line(s): the first quoted text, or a few words derived from the prompt. */
  headline: string;
  /** The rest of the prompt, unquoted and tidied; may be empty. */
  subtitle: string;
  /** Whether the headline came from quoted text in the prompt. */
  quoted: boolean;
}

// ---------------------------------------------------------------------------------------
// Prompt -> headline / subtitle
// ---------------------------------------------------------------------------------------

/** Opening -> closing quote pairs recognised as "headline" delimiters. */
const QUOTE_PAIRS: ReadonlyArray<readonly [string, string]> = [
  ['"', '"'],
  ['\u201C', '\u201D'], // “ ”
  ['\u300C', '\u300D'], // 「 」
  ['\u300E', '\u300F'], // 『 』
];

/** Words that introduce the quoted text and would dangle once the quote is removed. */
const LEAD_IN_RE =
  /(?:\b(?:that\s+(?:says|reads)|which\s+(?:says|reads)|reading|saying|says|titled|entitled|called|named|with\s+(?:the\s+)?(?:text|words?|title|headline|caption|slogan)|(?:text|title|headline|caption|slogan))\s*:?\s*|(?:写着|标题为|标题是|标题|题为|文字为|文字是|文字|文案|字样|上写)\s*[:：]?\s*)$/iu;

const PROMPT_PREFIX_RE =
  /^\s*(?:please\s+)?(?:(?:create|make|generate|draw|design|render|paint)\s+(?:me\s+)?)?(?:(?:a|an|the)\s+)?(?:[\w-]+\s+){0,3}?(?:poster|image|picture|photo|illustration|painting|drawing|render|graphic|banner|flyer)\s+(?:of|for|about|with|showing|featuring|depicting)\s+/iu;

const STOPWORDS = new Set([
  'a', 'an', 'the', 'of', 'on', 'in', 'at', 'to', 'for', 'and', 'or', 'with', 'by', 'from', 'as', 'into', 'over', 'under', 'is', 'are',
]);

function cleanSpaces(s: string): string {
  return s
    .replace(/[\u0000-\u001F\u007F]/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
}

/** Tidy the leftovers of a prompt after the headline was cut out of it. */
function tidySubtitle(s: string): string {
  let out = cleanSpaces(s)
    .replace(/\s+([,.;:!?，。；：！？、])/g, '$1') // no space before punctuation
    .replace(/([,;:，；：、])(?:\s*[,;:，；：、])+/g, '$1') // collapse runs of separators
    .replace(/^[\s,.;:!?，。；：！？、\-–—]+/u, '') // no leading separators
    .replace(/[\s,;:，；：、\-–—]+$/u, ''); // no trailing separators
  if (/^[a-z]/.test(out)) out = out[0]!.toUpperCase() + out.slice(1);
  return out;
}

function findQuoted(prompt: string): { text: string; start: number; end: number } | null {
  let best: { text: string; start: number; end: number } | null = null;
  for (const [open, close] of QUOTE_PAIRS) {
    let from = 0;
    while (from < prompt.length) {
      const s = prompt.indexOf(open, from);
      if (s < 0) break;
      const e = prompt.indexOf(close, s + open.length);
      if (e < 0) break;
      const text = cleanSpaces(prompt.slice(s + open.length, e));
      if (text && (!best || s < best.start)) {
        best = { text, start: s, end: e + close.length };
        break;
      }
      from = e + close.length;
    }
  }
  return best;
}

/**
 * Split a prompt into the poster's headline and subtitle.
 * The headline is the first text in "…", “…”, 「…」 or 『…』; without quotes it is a short
 * phrase taken from the start of the prompt.
 */
export function parsePosterText(prompt: string): PosterText {
  const p = (prompt ?? '').normalize('NFC');
  const q = findQuoted(p);
  if (q) {
    const before = p.slice(0, q.start).replace(LEAD_IN_RE, '');
    const after = p.slice(q.end);
    // Other quoted bits stay in the subtitle, without their quote marks.
    const rest = `${before} ${after}`.replace(/["\u201C\u201D\u300C\u300D\u300E\u300F]/g, ' ');
    return { headline: q.text, subtitle: tidySubtitle(rest), quoted: true };
  }

  const text = cleanSpaces(p.replace(/["\u201C\u201D\u300C\u300D\u300E\u300F]/g, ' '));
  if (!text) return { headline: '', subtitle: '', quoted: false };
  const body = text.replace(PROMPT_PREFIX_RE, '').replace(/^(?:一张|一幅|一个|一份)/u, '') || text;
  // First clause of the prompt.
  const clauseMatch = /^[^,.;:!?，。；：！？\n]+/u.exec(body);
  const clause = (clauseMatch ? clauseMatch[0] : body).trim() || body;

  let headline: string;
  let rest: string;
  const tail = body.slice(body.indexOf(clause) + clause.length);
  if (/\s/.test(clause) || !CJK_RE.test(clause)) {
    // Up to six words, without stop words at either end, at most ~40 characters.
    const words = clause.split(' ').filter(Boolean);
    let start = 0;
    while (start < words.length - 1 && STOPWORDS.has(words[start]!.toLowerCase())) start++;
    let end = Math.min(words.length, start + 6);
    const trim = () => {
      while (end - 1 > start && STOPWORDS.has(words[end - 1]!.toLowerCase())) end--;
    };
    trim();
    while (end - 1 > start && words.slice(start, end).join(' ').length > 40) {
      end--;
      trim();
    }
    headline = words.slice(start, end).join(' ');
    if ([...headline].length > 64) headline = [...headline].slice(0, 63).join('') + '\u2026';
    rest = words.slice(end).join(' ') + tail;
  } else {
    // CJK clause without spaces: whole words up to about a dozen characters.
    headline = '';
    for (const { segment } of wordSegmenter.segment(clause)) {
      if (headline && [...headline].length + [...segment].length > 12) break;
      headline += segment;
    }
    headline = [...headline].slice(0, 16).join('');
    rest = clause.slice(headline.length) + tail;
  }
  if (/^[a-z]/.test(headline)) headline = headline[0]!.toUpperCase() + headline.slice(1);
  return { headline, subtitle: tidySubtitle(rest), quoted: false };
}

/** The headline a poster for this prompt shows (see parsePosterText). */
export function extractHeadline(prompt: string): string {
  return parsePosterText(prompt).headline;
}

// ---------------------------------------------------------------------------------------
// Fonts
// ---------------------------------------------------------------------------------------

const require = createRequire(import.meta.url);

function packageRoot(pkg: string): string {
  let dir = path.dirname(require.resolve(pkg));
  for (;;) {
    const pj = path.join(dir, 'package.json');
    if (existsSync(pj)) {
      try {
        if ((JSON.parse(readFileSync(pj, 'utf8')) as { name?: string }).name === pkg) return dir;
      } catch {
        /* keep walking */
      }
    }
    const up = path.dirname(dir);
    if (up === dir) throw new Error(`render-poster: cannot locate package root of ${pkg}`);
    dir = up;
  }
}

export interface PosterFontFiles {
  latinBold: string;
  latinRegular: string;
  cjkBold: string;
  cjkRegular: string;
}

let fontFilesCache: PosterFontFiles | null = null;

/** Absolute paths of the font files the renderer uses (all inside node_modules). */
export function posterFontFiles(): PosterFontFiles {
  if (fontFilesCache) return fontFilesCache;
  // @embedpdf/fonts-sc's "exports" only exposes its index, so locate the package folder.
  const cjkDir = path.join(packageRoot('@embedpdf/fonts-sc'), 'fonts');
  fontFilesCache = {
    latinBold: require.resolve('@expo-google-fonts/inter/800ExtraBold/Inter_800ExtraBold.ttf'),
    latinRegular: require.resolve('@expo-google-fonts/inter/400Regular/Inter_400Regular.ttf'),
    cjkBold: path.join(cjkDir, 'NotoSansHans-Bold.otf'),
    cjkRegular: path.join(cjkDir, 'NotoSansHans-Regular.otf'),
  };
  return fontFilesCache;
}

type Weight = 'bold' | 'regular';

interface LoadedFont {
  font: fontkit.Font;
  id: string;
  upm: number;
}

const loadedFonts = new Map<string, LoadedFont>();

function loadFont(key: keyof PosterFontFiles): LoadedFont {
  let f = loadedFonts.get(key);
  if (!f) {
    const file = posterFontFiles()[key];
    const created = fontkit.create(readFileSync(file));
    const font = ('fonts' in created ? created.fonts[0] : created) as fontkit.Font;
    f = { font, id: key, upm: font.unitsPerEm };
    loadedFonts.set(key, f);
  }
  return f;
}

const latinFont = (w: Weight) => loadFont(w === 'bold' ? 'latinBold' : 'latinRegular');
const cjkFont = (w: Weight) => loadFont(w === 'bold' ? 'cjkBold' : 'cjkRegular');

/** Which font draws a code point: Inter first, Noto Sans Hans second, none (dropped) last. */
function fontFor(cp: number, w: Weight): LoadedFont | null {
  const latin = latinFont(w);
  if (latin.font.hasGlyphForCodePoint(cp)) return latin;
  const cjk = cjkFont(w);
  if (cjk.font.hasGlyphForCodePoint(cp)) return cjk;
  return null;
}

interface Run {
  font: LoadedFont;
  text: string;
}

function runsOf(text: string, w: Weight): Run[] {
  const runs: Run[] = [];
  for (const ch of text) {
    const cp = ch.codePointAt(0)!;
    // Spaces take the font of their neighbours where possible, so runs stay long.
    const f = cp === 0x20 && runs.length ? runs[runs.length - 1]!.font : fontFor(cp, w);
    if (!f) continue;
    const last = runs[runs.length - 1];
    if (last && last.font === f) last.text += ch;
    else runs.push({ font: f, text: ch });
  }
  return runs;
}

/** Remove characters no font can draw (emoji, private use…), so nothing renders as tofu. */
function drawable(text: string, w: Weight): string {
  let out = '';
  for (const ch of text) {
    const cp = ch.codePointAt(0)!;
    if (cp === 0x20 || fontFor(cp, w)) out += ch;
  }
  return cleanSpaces(out);
}

const widthCache = new Map<string, number>();

/** Advance width of `text` at font size 1, including `tracking` (em) between characters. */
function measure(text: string, w: Weight, tracking: number): number {
  const key = `${w}|${tracking}|${text}`;
  let v = widthCache.get(key);
  if (v === undefined) {
    v = 0;
    let n = 0;
    for (const run of runsOf(text, w)) {
      v += run.font.font.layout(run.text).advanceWidth / run.font.upm;
      n += [...run.text].length;
    }
    if (n > 1) v += tracking * (n - 1);
    if (widthCache.size > 20000) widthCache.clear();
    widthCache.set(key, v);
  }
  return v;
}

const fmt = (v: number) => {
  const r = Math.round(v * 10) / 10;
  return Object.is(r, -0) ? '0' : String(r);
};

/** SVG path data for one line of text with its left end of the baseline at (x, y). */
function textPath(text: string, w: Weight, size: number, x: number, y: number, tracking: number): string {
  const parts: string[] = [];
  let pen = x;
  for (const run of runsOf(text, w)) {
    const s = size / run.font.upm;
    const layout = run.font.font.layout(run.text);
    layout.glyphs.forEach((glyph, i) => {
      const pos = layout.positions[i]!;
      const ox = pen + pos.xOffset * s;
      const oy = y - pos.yOffset * s;
      for (const c of glyph.path.commands) {
        const a = c.args;
        switch (c.command) {
          case 'moveTo':
            parts.push(`M${fmt(ox + a[0]! * s)} ${fmt(oy - a[1]! * s)}`);
            break;
          case 'lineTo':
            parts.push(`L${fmt(ox + a[0]! * s)} ${fmt(oy - a[1]! * s)}`);
            break;
          case 'quadraticCurveTo':
            parts.push(`Q${fmt(ox + a[0]! * s)} ${fmt(oy - a[1]! * s)} ${fmt(ox + a[2]! * s)} ${fmt(oy - a[3]! * s)}`);
            break;
          case 'bezierCurveTo':
            parts.push(
              `C${fmt(ox + a[0]! * s)} ${fmt(oy - a[1]! * s)} ${fmt(ox + a[2]! * s)} ${fmt(oy - a[3]! * s)} ${fmt(ox + a[4]! * s)} ${fmt(oy - a[5]! * s)}`,
            );
            break;
          case 'closePath':
            parts.push('Z');
            break;
        }
      }
      pen += pos.xAdvance * s + tracking * size;
    });
  }
  return parts.join('');
}

// ---------------------------------------------------------------------------------------
// Line breaking
// ---------------------------------------------------------------------------------------

const CJK_RE = /[\u2E80-\u2FFF\u3000-\u30FF\u3100-\u31FF\u3400-\u4DBF\u4E00-\u9FFF\uF900-\uFAFF\uFE30-\uFE4F\uFF00-\uFFEF\u{20000}-\u{3FFFF}]/u;
/** Characters that must not start a line. */
const NO_START = new Set([...'，。、！？；：）」』”’》〉】〕…—～·,.!?;:)]}%']);
/** Characters that must not end a line. */
const NO_END = new Set([...'（「『“‘《〈【〔([{']);

interface Atom {
  t: string;
  /** Followed by a space in the source text. */
  sp: boolean;
}

const wordSegmenter = new Intl.Segmenter('zh', { granularity: 'word' });

/**
 * Split text into unbreakable pieces. Breaks are allowed at spaces and next to CJK text,
 * at word boundaries found by ICU's dictionary segmenter (so 夏日设计周 breaks as
 * 夏日|设计|周, not between any two characters), never before closing or after opening
 * punctuation.
 */
function atomize(text: string): Atom[] {
  const atoms: Atom[] = [];
  let cur = '';
  const flush = (sp: boolean) => {
    if (cur) {
      atoms.push({ t: cur, sp });
      cur = '';
    } else if (sp && atoms.length) atoms[atoms.length - 1]!.sp = true;
  };
  for (const { segment } of wordSegmenter.segment(text)) {
    if (/^\s+$/u.test(segment)) {
      flush(true);
      continue;
    }
    if (cur) {
      const last = [...cur].pop()!;
      const first = [...segment][0]!;
      const canBreak =
        (CJK_RE.test(last) || CJK_RE.test(first) || ((last === '-' || last === '/') && /\p{L}/u.test(first))) &&
        !NO_END.has(last) &&
        !NO_START.has(first);
      if (canBreak) flush(false);
    }
    cur += segment;
  }
  flush(false);
  return atoms;
}

interface Wrapped {
  lines: string[];
  /** A word had to be split because it was wider than the line. */
  broken: boolean;
  /** Text was cut off (only with maxLines). */
  truncated: boolean;
}

const ELLIPSIS = '\u2026';

function wrap(atoms: Atom[], maxW: number, w: Weight, tracking: number, maxLines = Infinity): Wrapped {
  const space = measure(' ', w, 0) + tracking;
  const lines: Atom[][] = [];
  let line: Atom[] = [];
  let lineW = 0;
  let broken = false;
  const push = () => {
    lines.push(line);
    line = [];
    lineW = 0;
  };
  for (const atom0 of atoms) {
    let atom = atom0;
    let aw = measure(atom.t, w, tracking);
    const prev = line[line.length - 1];
    const gap = prev ? (prev.sp ? space : tracking) : 0;
    if (line.length && lineW + gap + aw > maxW) push();
    if (!line.length && aw > maxW) {
      // Hard-break an over-long word character by character.
      broken = true;
      let piece = '';
      const chars = [...atom.t];
      for (let i = 0; i < chars.length; i++) {
        const next = piece + chars[i];
        if (piece && measure(next, w, tracking) > maxW) {
          line.push({ t: piece, sp: false });
          push();
          piece = chars[i]!;
        } else piece = next;
      }
      atom = { t: piece, sp: atom.sp };
      aw = measure(piece, w, tracking);
    }
    const g2 = line.length ? (line[line.length - 1]!.sp ? space : tracking) : 0;
    line.push(atom);
    lineW += g2 + aw;
  }
  if (line.length) push();

  const join = (l: Atom[]) => l.map((a, i) => a.t + (a.sp && i < l.length - 1 ? ' ' : '')).join('');
  let truncated = false;
  if (lines.length > maxLines) {
    truncated = true;
    const kept = lines.slice(0, maxLines);
    const last = [...kept[maxLines - 1]!];
    const fits = (l: Atom[]) => measure(join(l) + ELLIPSIS, w, tracking) <= maxW;
    while (last.length > 1 && !fits(last)) last.pop();
    let lastText = join(last).replace(/[\s,.;:，。；：、\-–—]+$/u, '');
    while (lastText && measure(lastText + ELLIPSIS, w, tracking) > maxW) lastText = [...lastText].slice(0, -1).join('');
    kept[maxLines - 1] = [{ t: lastText + ELLIPSIS, sp: false }];
    return { lines: kept.map(join), broken, truncated };
  }
  return { lines: lines.map(join), broken, truncated };
}

/** Narrowest width (>= 55% of maxW) that still needs the same number of lines: an even rag. */
function balance(atoms: Atom[], maxW: number, w: Weight, tracking: number, n: number): number {
  if (n < 2) return maxW;
  let lo = maxW * 0.55;
  let hi = maxW;
  for (let i = 0; i < 14; i++) {
    const mid = (lo + hi) / 2;
    const r = wrap(atoms, mid, w, tracking);
    if (r.lines.length <= n && !r.broken) hi = mid;
    else lo = mid;
  }
  return hi;
}

// ---------------------------------------------------------------------------------------
// Seeded randomness and colour
// ---------------------------------------------------------------------------------------

function mulberry32(a: number): () => number {
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

interface Rng {
  next(): number;
  range(a: number, b: number): number;
  int(a: number, b: number): number; // inclusive
  pick<T>(xs: readonly T[]): T;
  chance(p: number): boolean;
}

function makeRng(prompt: string, seed: number): Rng {
  const digest = createHash('sha256').update(`${seed}:${prompt}`).digest();
  const next = mulberry32(digest.readUInt32LE(0) ^ digest.readUInt32LE(4));
  return {
    next,
    range: (a, b) => a + (b - a) * next(),
    int: (a, b) => a + Math.floor(next() * (b - a + 1)),
    pick: (xs) => xs[Math.floor(next() * xs.length)]!,
    chance: (p) => next() < p,
  };
}

type RGB = [number, number, number];

function hsl(h: number, s: number, l: number): RGB {
  h = ((h % 360) + 360) % 360;
  s = Math.max(0, Math.min(100, s)) / 100;
  l = Math.max(0, Math.min(100, l)) / 100;
  const k = (n: number) => (n + h / 30) % 12;
  const a = s * Math.min(l, 1 - l);
  const f = (n: number) => l - a * Math.max(-1, Math.min(k(n) - 3, Math.min(9 - k(n), 1)));
  return [f(0) * 255, f(8) * 255, f(4) * 255];
}

const hex = (c: RGB) =>
  '#' + c.map((v) => Math.round(Math.max(0, Math.min(255, v))).toString(16).padStart(2, '0')).join('');

const mix = (a: RGB, b: RGB, t: number): RGB => [a[0] + (b[0] - a[0]) * t, a[1] + (b[1] - a[1]) * t, a[2] + (b[2] - a[2]) * t];

function luminance(c: RGB): number {
  const ch = (v: number) => {
    const x = Math.round(Math.max(0, Math.min(255, v))) / 255;
    return x <= 0.03928 ? x / 12.92 : ((x + 0.055) / 1.055) ** 2.4;
  };
  return 0.2126 * ch(c[0]) + 0.7152 * ch(c[1]) + 0.0722 * ch(c[2]);
}

function contrast(a: RGB, b: RGB): number {
  const la = luminance(a);
  const lb = luminance(b);
  return (Math.max(la, lb) + 0.05) / (Math.min(la, lb) + 0.05);
}

type Mode = 'light' | 'dark' | 'vivid';

interface Palette {
  mode: Mode;
  bg1: RGB;
  bg2: RGB;
  glow: RGB;
  glowOpacity: number;
  accent1: RGB;
  accent2: RGB;
  text: RGB;
  subtext: RGB;
  /** Colours that may sit behind text (for contrast checks). */
  behindText: RGB[];
}

function hasWord(p: string, words: string[]): boolean {
  return words.some((w) => (/[a-z]/.test(w) ? new RegExp(`\\b${w}`, 'i').test(p) : p.includes(w)));
}

function makePalette(rng: Rng, prompt: string): Palette {
  const p = prompt.toLowerCase();
  // Main hue, nudged by a few words in the prompt.
  let hue = rng.range(0, 360);
  if (hasWord(p, ['warm', 'sunset', 'sunrise', 'summer', 'autumn', 'fall', 'orange', 'gold', 'daylight', 'desert', 'fire', 'coffee', '暖', '夏', '秋', '橙', '金', '日落', '火'])) hue = rng.range(-6, 42);
  else if (hasWord(p, ['ocean', 'sea', 'water', 'blue', 'cool', 'winter', 'ice', 'sky', 'marine', '海', '蓝', '冷', '冬', '冰', '天空'])) hue = rng.range(185, 232);
  else if (hasWord(p, ['forest', 'green', 'nature', 'spring', 'leaf', 'garden', 'eco', '森林', '绿', '春', '自然'])) hue = rng.range(85, 160);
  else if (hasWord(p, ['purple', 'violet', 'lavender', '紫'])) hue = rng.range(255, 300);
  else if (hasWord(p, ['pink', 'rose', 'love', 'valentine', '粉', '玫瑰', '爱'])) hue = rng.range(320, 350);
  else if (hasWord(p, ['red', '红', '春节', 'festival'])) hue = rng.range(350, 372);

  let mode: Mode = rng.pick(['light', 'light', 'light', 'dark', 'vivid', 'vivid'] as const);
  const neon = hasWord(p, ['neon', 'cyber', 'synthwave', 'vaporwave', '霓虹', '赛博']);
  const pastel = hasWord(p, ['pastel', 'soft', 'gentle', 'calm', 'baby', '柔和', '马卡龙', '淡雅', '清新']);
  if (neon || hasWord(p, ['dark', 'night', 'noir', 'midnight', 'moody', 'black', 'space', '黑', '夜', '暗'])) mode = 'dark';
  else if (pastel || hasWord(p, ['light', 'white', 'clean', 'minimal', 'airy', '白', '简约', '明亮'])) mode = rng.chance(0.75) ? 'light' : 'vivid';
  else if (hasWord(p, ['vibrant', 'vivid', 'colorful', 'colourful', 'bright colors', 'pop art', '鲜艳', '多彩'])) mode = 'vivid';

  const drift = rng.range(-14, 14);
  // Second accent: a deep complement, an analogous neighbour, or a pale tint.
  const a2kind = rng.pick(['deep', 'deep', 'analogous', 'analogous', 'tint'] as const);
  const side = rng.chance(0.5) ? 1 : -1;
  let bg1: RGB;
  let bg2: RGB;
  let accent1: RGB;
  let accent2: RGB;
  if (mode === 'light') {
    const bh = hue + rng.range(-12, 12);
    const s = pastel ? rng.range(45, 70) : rng.range(22, 55);
    const l = rng.range(91, 95);
    bg1 = hsl(bh, s, l);
    bg2 = hsl(bh + drift, s, l - rng.range(4, 8));
    if (pastel) {
      accent1 = hsl(hue, rng.range(60, 80), rng.range(70, 78));
      accent2 = hsl(hue + side * rng.range(60, 120), rng.range(50, 70), rng.range(76, 84));
    } else {
      accent1 = hsl(hue, rng.range(75, 92), rng.range(50, 58));
      accent2 =
        a2kind === 'deep'
          ? hsl(hue + 180 + rng.range(-25, 25), rng.range(45, 70), rng.range(22, 32))
          : a2kind === 'analogous'
            ? hsl(hue + side * rng.range(28, 48), rng.range(80, 95), rng.range(55, 64))
            : hsl(hue + side * rng.range(10, 30), rng.range(70, 90), rng.range(76, 84));
    }
  } else if (mode === 'dark') {
    const bh = rng.chance(0.5) ? hue + 180 + rng.range(-20, 20) : hue;
    const s = rng.range(30, 60);
    bg1 = hsl(bh, s, rng.range(7, 11));
    bg2 = hsl(bh + drift, s, rng.range(14, 20));
    if (neon) {
      const nh = rng.pick([300, 320, 190, 175] as const) + rng.range(-8, 8);
      accent1 = hsl(nh, 100, 58);
      accent2 = hsl(nh + side * rng.range(100, 140), 100, 60);
    } else {
      accent1 = hsl(hue, rng.range(78, 95), rng.range(54, 62));
      accent2 = hsl(hue + side * rng.range(28, 48), rng.range(80, 95), rng.range(60, 68));
    }
  } else {
    const s = rng.range(68, 85);
    const l = rng.range(46, 54);
    bg1 = hsl(hue, s, l);
    bg2 = hsl(hue + drift, s, l - rng.range(6, 10));
    accent1 = hsl(hue + side * rng.range(20, 40), rng.range(85, 98), rng.range(72, 82));
    accent2 =
      a2kind === 'deep' || a2kind === 'analogous'
        ? hsl(hue + 180 + rng.range(-25, 25), rng.range(45, 70), rng.range(16, 26))
        : hsl(hue + side * rng.range(10, 30), rng.range(60, 90), rng.range(88, 93));
  }

  const glow: RGB = mode === 'dark' ? mix(accent1, [255, 255, 255], 0.2) : [255, 255, 255];
  const glowOpacity = mode === 'dark' ? 0.2 : mode === 'vivid' ? 0.22 : 0.5;

  const dark = hsl(hue, 35, 9);
  const light = hsl(hue, 40, 97);
  const bgs = () => [bg1, bg2, mix(bg1, glow, glowOpacity), mix(bg2, glow, glowOpacity)];
  const minC = (c: RGB) => Math.min(...bgs().map((b) => contrast(b, c)));
  const text = minC(dark) >= minC(light) ? dark : light;
  // Nudge the background until the text reads at WCAG AA (4.5:1) everywhere.
  for (let i = 0; i < 30 && minC(text) < 4.8; i++) {
    const toward: RGB = text === dark ? [255, 255, 255] : [0, 0, 0];
    bg1 = mix(bg1, toward, 0.08);
    bg2 = mix(bg2, toward, 0.08);
  }
  let subtext = mix(text, bg1, 0.22);
  if (minC(subtext) < 4.5) subtext = text;
  return { mode, bg1, bg2, glow, glowOpacity, accent1, accent2, text, subtext, behindText: bgs() };
}

/** Largest opacity <= desired at which `color` behind the text keeps text contrast >= min. */
function safeOpacity(pal: Palette, color: RGB, desired: number, min = 4.5): number {
  for (let op = desired; op > 0.001; op -= 0.05) {
    if (pal.behindText.every((b) => contrast(mix(b, color, op), pal.text) >= min && contrast(mix(b, color, op), pal.subtext) >= min)) {
      return Math.round(op * 100) / 100;
    }
  }
  return 0;
}

// ---------------------------------------------------------------------------------------
// Layout
// ---------------------------------------------------------------------------------------

interface Box {
  x: number;
  y: number;
  w: number;
  h: number;
}

const intersects = (a: Box, b: Box) => a.x < b.x + b.w && b.x < a.x + a.w && a.y < b.y + b.h && b.y < a.y + a.h;

interface TextSpec {
  box: Box;
  align: 'left' | 'center';
  anchor: 'top' | 'middle' | 'bottom';
  maxLines: number;
  /** Largest headline size, in % of the geometric mean of width and height. */
  maxSize: number;
  /** Draw a short accent rule between headline and subtitle. */
  rule: boolean;
}

interface TextBlock {
  svg: string;
  /** Bounds of everything drawn (with some padding). */
  bounds: Box;
  /** One padded box per drawn line, for finer overlap tests. */
  lineBoxes: Box[];
  headlineSize: number;
  /** Where the accent rule between headline and subtitle goes, if there is one. */
  ruleBox: Box | null;
}

function layoutText(pt: PosterText, spec: TextSpec, W: number, H: number, pal: Palette): TextBlock {
  const g = Math.sqrt(W * H) / 100; // 1% of the geometric mean side
  const { box } = spec;
  const headlineText = drawable(pt.headline, 'bold');
  const subtitleText = drawable(pt.subtitle, 'regular');

  // Subtitle first: its size is fixed, and the headline gets what is left.
  const subSize = Math.max(8, g * (W / H > 1.6 ? 2.5 : 2.7));
  const subLh = 1.4;
  const subMaxW = (Math.min(box.w, subSize * 34) / subSize) * 0.985;
  const subAtoms = atomize(subtitleText);
  let sub: Wrapped = { lines: [], broken: false, truncated: false };
  if (subAtoms.length) {
    sub = wrap(subAtoms, subMaxW, 'regular', 0, W / H > 1.3 ? 3 : 4);
    if (!sub.truncated && sub.lines.length > 1) {
      sub = wrap(subAtoms, balance(subAtoms, subMaxW, 'regular', 0, sub.lines.length), 'regular', 0);
    }
  }
  const subBlockH = sub.lines.length ? subSize * (0.75 + subLh * (sub.lines.length - 1) + 0.25) : 0;
  const ruleGap = spec.rule ? g * 6 : g * 3.4;
  const gap = sub.lines.length ? ruleGap : 0;

  const hasCjk = CJK_RE.test(headlineText);
  const upper = headlineText === headlineText.toUpperCase();
  const lh = hasCjk ? 1.2 : upper ? 1.0 : 1.08;
  const tracking = hasCjk ? 0.02 : -0.022;
  const capH = hasCjk ? 0.86 : 0.73;
  const descH = hasCjk ? 0.1 : upper ? 0 : 0.2;
  const atoms = atomize(headlineText);
  const availH = Math.max(box.h - subBlockH - gap, box.h * 0.35);
  const blockH = (n: number, s: number) => s * (capH + lh * (n - 1) + descH);

  const sMax = Math.min(g * spec.maxSize, box.h);
  const sMin = Math.max(10, g * 3.2);
  let size = sMin;
  let lines: string[] = [];
  if (atoms.length) {
    // Largest size whose (balanced) wrapping fits; a size that leaves a lone character on
    // the last line gives way to a slightly smaller one that does not, if there is one.
    const widow = (ls: string[]) => ls.length > 1 && [...ls[ls.length - 1]!.trim()].length <= (hasCjk ? 1 : 2);
    const search = (allowBreaks: boolean) => {
      let best: { s: number; lines: string[] } | null = null;
      for (let s = sMax; s >= sMin; s *= 0.97) {
        if (best && s < best.s * 0.8) break;
        const maxW = (box.w / s) * 0.985;
        const r = wrap(atoms, maxW, 'bold', tracking);
        if (r.broken && !allowBreaks) continue;
        if (r.lines.length > spec.maxLines || blockH(r.lines.length, s) > availH) continue;
        const ls =
          r.lines.length > 1 && !r.broken
            ? wrap(atoms, balance(atoms, maxW, 'bold', tracking, r.lines.length), 'bold', tracking).lines
            : r.lines;
        if (!widow(ls)) return { s, lines: ls };
        best ??= { s, lines: ls };
      }
      return best;
    };
    // Whole words first; over-long words may break only if nothing else fits.
    const first = search(false) ?? search(true);
    if (first) {
      size = first.s;
      lines = first.lines;
    } else {
      // Very long headline: smallest size, cut to as many lines as fit.
      size = sMin;
      const n = Math.max(1, Math.min(spec.maxLines + 2, Math.floor((availH / size - capH - descH) / lh) + 1));
      lines = wrap(atoms, (box.w / size) * 0.985, 'bold', tracking, n).lines;
    }
  }

  const headH = lines.length ? blockH(lines.length, size) : 0;
  const totalH = headH + gap + subBlockH;
  let top: number;
  if (spec.anchor === 'top') top = box.y;
  else if (spec.anchor === 'bottom') top = box.y + box.h - totalH;
  else top = box.y + (box.h - totalH) / 2;

  const parts: string[] = [];
  const lineBoxes: Box[] = [];
  const pad = g * 1.5;
  let minX = Infinity;
  let maxX = -Infinity;
  const lineX = (wpx: number) => (spec.align === 'center' ? box.x + (box.w - wpx) / 2 : box.x);
  lines.forEach((line, i) => {
    const wpx = measure(line, 'bold', tracking) * size;
    const x = lineX(wpx);
    minX = Math.min(minX, x);
    maxX = Math.max(maxX, x + wpx);
    const y = top + size * (capH + lh * i);
    lineBoxes.push({ x: x - pad, y: y - size * capH - pad, w: wpx + 2 * pad, h: size * (capH + descH) + 2 * pad });
    parts.push(`<path fill="${hex(pal.text)}" d="${textPath(line, 'bold', size, x, y, tracking)}"/>`);
  });
  const subTop = top + headH + gap;
  sub.lines.forEach((line, i) => {
    const wpx = measure(line, 'regular', 0) * subSize;
    const x = lineX(wpx);
    minX = Math.min(minX, x);
    maxX = Math.max(maxX, x + wpx);
    const y = subTop + subSize * (0.75 + subLh * i);
    lineBoxes.push({ x: x - pad, y: y - subSize * 0.9 - pad, w: wpx + 2 * pad, h: subSize * 1.15 + 2 * pad });
    parts.push(`<path fill="${hex(pal.subtext)}" d="${textPath(line, 'regular', subSize, x, y, 0)}"/>`);
  });
  if (!Number.isFinite(minX)) {
    minX = box.x;
    maxX = box.x;
  }
  const ruleW = Math.max(g * 7, size * 0.9);
  const ruleH = Math.max(2, g * 0.6);
  const ruleY = top + headH + gap / 2 - ruleH / 2;
  const ruleX = spec.align === 'center' ? box.x + (box.w - ruleW) / 2 : box.x;
  const ruleBox = spec.rule && sub.lines.length && lines.length ? { x: ruleX, y: ruleY, w: ruleW, h: ruleH } : null;
  return {
    svg: parts.join(''),
    bounds: { x: minX - pad, y: top - pad, w: maxX - minX + 2 * pad, h: totalH + 2 * pad },
    lineBoxes,
    headlineSize: size,
    ruleBox,
  };
}

interface Ctx {
  W: number;
  H: number;
  rng: Rng;
  pal: Palette;
  defs: string[];
}

/** A shape drawn behind the text: its bounding box decides whether it must be toned down. */
interface Shape {
  bbox: Box;
  /** Exact-ish overlap test; defaults to the bounding box. */
  hits?: (b: Box) => boolean;
  color: RGB;
  opacity: number;
  /** SVG for the shape given the fill/stroke colour and final opacity. */
  draw: (color: string, opacity: number) => string;
}

const circleBox = (cx: number, cy: number, r: number): Box => ({ x: cx - r, y: cy - r, w: 2 * r, h: 2 * r });

/** Does the disc (cx, cy, r) overlap box b? */
function discHits(cx: number, cy: number, r: number, b: Box): boolean {
  const dx = cx - Math.max(b.x, Math.min(cx, b.x + b.w));
  const dy = cy - Math.max(b.y, Math.min(cy, b.y + b.h));
  return dx * dx + dy * dy < r * r;
}

/** Does the annulus between r0 and r1 around (cx, cy) overlap box b? */
function annulusHits(cx: number, cy: number, r0: number, r1: number, b: Box): boolean {
  if (!discHits(cx, cy, r1, b)) return false;
  // Entirely inside the hole if the farthest corner is closer than r0.
  const fx = Math.max(Math.abs(cx - b.x), Math.abs(cx - b.x - b.w));
  const fy = Math.max(Math.abs(cy - b.y), Math.abs(cy - b.y - b.h));
  return fx * fx + fy * fy > r0 * r0;
}

function circle(cx: number, cy: number, r: number, color: RGB, opacity = 1): Shape {
  return {
    bbox: circleBox(cx, cy, r),
    hits: (b) => discHits(cx, cy, r, b),
    color,
    opacity,
    draw: (c, o) => `<circle cx="${fmt(cx)}" cy="${fmt(cy)}" r="${fmt(r)}" fill="${c}"${o < 1 ? ` fill-opacity="${o}"` : ''}/>`,
  };
}

function ring(cx: number, cy: number, r: number, sw: number, color: RGB, opacity = 1): Shape {
  return {
    bbox: circleBox(cx, cy, r + sw),
    hits: (b) => annulusHits(cx, cy, r - sw, r + sw, b),
    color,
    opacity,
    draw: (c, o) =>
      `<circle cx="${fmt(cx)}" cy="${fmt(cy)}" r="${fmt(r)}" fill="none" stroke="${c}" stroke-width="${fmt(sw)}"${o < 1 ? ` stroke-opacity="${o}"` : ''}/>`,
  };
}

function rect(x: number, y: number, w: number, h: number, color: RGB, opacity = 1): Shape {
  return {
    bbox: { x, y, w, h },
    color,
    opacity,
    draw: (c, o) => `<rect x="${fmt(x)}" y="${fmt(y)}" width="${fmt(w)}" height="${fmt(h)}" fill="${c}"${o < 1 ? ` fill-opacity="${o}"` : ''}/>`,
  };
}

type Pt = [number, number];

/** Clip a convex polygon to the half-plane n·p <= c (Sutherland–Hodgman, one edge). */
function clipHalfPlane(poly: Pt[], nx: number, ny: number, c: number): Pt[] {
  const out: Pt[] = [];
  const inside = (p: Pt) => nx * p[0] + ny * p[1] <= c;
  for (let i = 0; i < poly.length; i++) {
    const a = poly[i]!;
    const b = poly[(i + 1) % poly.length]!;
    const ia = inside(a);
    const ib = inside(b);
    if (ia) out.push(a);
    if (ia !== ib) {
      const da = nx * a[0] + ny * a[1] - c;
      const db = nx * b[0] + ny * b[1] - c;
      const t = da / (da - db);
      out.push([a[0] + (b[0] - a[0]) * t, a[1] + (b[1] - a[1]) * t]);
    }
  }
  return out;
}

/**
 * Parallel stripes at `angle` degrees filling a circle or a rectangle, as plain paths
 * (librsvg is slow with masks and patterns, fast with paths).
 */
function stripes(clip: { circle: [number, number, number] } | { rect: Box }, gap: number, angle: number, color: RGB, opacity = 1): Shape {
  const bbox = 'circle' in clip ? circleBox(...clip.circle) : clip.rect;
  const th = (angle * Math.PI) / 180;
  const nx = Math.cos(th);
  const ny = Math.sin(th);
  const cx = bbox.x + bbox.w / 2;
  const cy = bbox.y + bbox.h / 2;
  const half = 'circle' in clip ? clip.circle[2] : (Math.abs(nx) * bbox.w + Math.abs(ny) * bbox.h) / 2;
  const bands: [number, number][] = [];
  const n = Math.floor((2 * half) / gap);
  const start = -(n * gap) / 2 - gap / 4;
  for (let k = 0; k <= n; k++) {
    const d1 = Math.max(-half, start + k * gap);
    const d2 = Math.min(half, start + k * gap + gap / 2);
    if (d2 - d1 > 0.5) bands.push([d1, d2]);
  }
  let d = '';
  if ('circle' in clip) {
    const r = clip.circle[2];
    for (const [d1, d2] of bands) {
      const h1 = Math.sqrt(Math.max(0, r * r - d1 * d1));
      const h2 = Math.sqrt(Math.max(0, r * r - d2 * d2));
      // In the stripe frame (u along the normal, v along the stripe), then rotated back.
      const P = (u: number, v: number) => `${fmt(cx + u * nx - v * ny)} ${fmt(cy + u * ny + v * nx)}`;
      d += `M${P(d1, -h1)}L${P(d1, h1)}A${fmt(r)} ${fmt(r)} 0 0 0 ${P(d2, h2)}L${P(d2, -h2)}A${fmt(r)} ${fmt(r)} 0 0 0 ${P(d1, -h1)}Z`;
    }
  } else {
    const { x, y, w, h } = clip.rect;
    const poly: Pt[] = [
      [x, y],
      [x + w, y],
      [x + w, y + h],
      [x, y + h],
    ];
    const c0 = nx * cx + ny * cy;
    for (const [d1, d2] of bands) {
      const band = clipHalfPlane(clipHalfPlane(poly, nx, ny, c0 + d2), -nx, -ny, -(c0 + d1));
      if (band.length >= 3) d += 'M' + band.map((q) => `${fmt(q[0])} ${fmt(q[1])}`).join('L') + 'Z';
    }
  }
  return {
    bbox,
    hits: 'circle' in clip ? (b) => discHits(clip.circle[0], clip.circle[1], clip.circle[2], b) : undefined,
    color,
    opacity,
    draw: (c, o) => (d ? `<path d="${d}" fill="${c}"${o < 1 ? ` fill-opacity="${o}"` : ''}/>` : ''),
  };
}

function dotGrid(x: number, y: number, cols: number, rows: number, step: number, r: number, color: RGB, opacity = 1): Shape {
  const bbox = { x, y, w: cols * step, h: rows * step };
  let d = '';
  for (let i = 0; i < cols; i++) {
    for (let j = 0; j < rows; j++) {
      const cx = x + step * (i + 0.5);
      const cy = y + step * (j + 0.5);
      d += `M${fmt(cx - r)} ${fmt(cy)}a${fmt(r)} ${fmt(r)} 0 1 0 ${fmt(2 * r)} 0a${fmt(r)} ${fmt(r)} 0 1 0 ${fmt(-2 * r)} 0Z`;
    }
  }
  return {
    bbox,
    color,
    opacity,
    draw: (c, o) => `<path d="${d}" fill="${c}"${o < 1 ? ` fill-opacity="${o}"` : ''}/>`,
  };
}

interface LayoutResult {
  spec: TextSpec;
  /** Background shapes; computed after the text so they can avoid it. */
  shapes: (text: TextBlock) => Shape[];
  /** Drawn over the shapes, under the text (thin rules and frames; never toned down). */
  overlays?: (text: TextBlock) => string[];
  ruleColor: RGB;
}

type Orientation = 'landscape' | 'square' | 'portrait';

function orientation(W: number, H: number): Orientation {
  const a = W / H;
  return a >= 1.25 ? 'landscape' : a <= 0.8 ? 'portrait' : 'square';
}

// 0: centred text over a large disc and a ring.
function layoutCentered(ctx: Ctx): LayoutResult {
  const { W, H, rng, pal } = ctx;
  const mn = Math.min(W, H);
  const m = mn * 0.075;
  const o = orientation(W, H);
  const box: Box =
    o === 'landscape'
      ? { x: W * 0.15, y: m * 1.5, w: W * 0.7, h: H - 3 * m }
      : o === 'portrait'
        ? { x: m, y: H * 0.2, w: W - 2 * m, h: H * 0.6 }
        : { x: m * 1.4, y: H * 0.17, w: W - 2.8 * m, h: H * 0.66 };
  return {
    spec: { box, align: 'center', anchor: 'middle', maxLines: o === 'landscape' ? 3 : 4, maxSize: 14.5, rule: true },
    ruleColor: pal.accent1,
    shapes: () => {
      const cx = W / 2 + rng.range(-0.12, 0.12) * W;
      const cy = H / 2 + rng.range(-0.12, 0.12) * H;
      const k = o === 'portrait' ? Math.min(1.4, Math.sqrt(H / W)) : 1;
      const r = mn * k * rng.range(0.34, 0.44);
      const out: Shape[] = [circle(cx, cy, r, pal.accent1, 1)];
      const rr = r * rng.range(1.12, 1.3);
      out.push(ring(cx + rng.range(-0.1, 0.1) * mn, cy + rng.range(-0.1, 0.1) * mn, rr, Math.max(1.5, mn * 0.006), pal.accent2, 1));
      // Two small dots in opposite corners.
      const dr = mn * rng.range(0.025, 0.045);
      out.push(circle(m + dr, m * 1.9 + dr, dr, pal.accent2));
      out.push(circle(W - m - dr, H - m * 1.9 - dr, dr, pal.accent1));
      return out;
    },
    overlays: () => {
      const sw = Math.max(1, mn * 0.0025);
      const c = hex(pal.text);
      return [
        `<rect x="${fmt(m)}" y="${fmt(m)}" width="${fmt(W - 2 * m)}" height="${fmt(sw)}" fill="${c}" fill-opacity="0.55"/>`,
        `<rect x="${fmt(m)}" y="${fmt(H - m - sw)}" width="${fmt(W - 2 * m)}" height="${fmt(sw)}" fill="${c}" fill-opacity="0.55"/>`,
      ];
    },
  };
}

// 1: left-aligned text with a coloured side bar and a big disc in the opposite corner.
function layoutSidebar(ctx: Ctx): LayoutResult {
  const { W, H, rng, pal } = ctx;
  const mn = Math.min(W, H);
  const m = mn * 0.075;
  const o = orientation(W, H);
  const barW = Math.max(6, (o === 'landscape' ? W * 0.045 : W * 0.07) * rng.range(0.8, 1.2));
  const x0 = barW + m * 1.1;
  const box: Box =
    o === 'landscape'
      ? { x: x0, y: H * 0.22, w: Math.min(W - x0 - m, W * 0.6), h: H * 0.78 - m }
      : o === 'portrait'
        ? { x: x0, y: H * 0.42, w: W - x0 - m, h: H * 0.58 - m * 1.2 }
        : { x: x0, y: H * 0.36, w: W - x0 - m, h: H * 0.64 - m };
  return {
    spec: { box, align: 'left', anchor: 'bottom', maxLines: 4, maxSize: 16, rule: true },
    ruleColor: pal.accent1,
    shapes: (text) => {
      const out: Shape[] = [rect(0, 0, barW, H, pal.accent1)];
      const thin = Math.max(2, barW * 0.16);
      out.push(rect(barW + thin, 0, thin, H, pal.accent2));
      // The disc fills the corner above the text block.
      const free = o === 'landscape' ? H : Math.max(text.bounds.y, H * 0.3);
      const r = Math.min((o === 'portrait' ? W * 1.1 : mn) * rng.range(0.3, 0.4), free * 0.6);
      const cx = W - r * rng.range(0.55, 0.85);
      const cy = Math.max(r * 0.35, Math.min(r * rng.range(0.55, 0.9), free - r * 1.08));
      out.push(circle(cx, cy, r, pal.accent2));
      const rings = rng.int(2, 4);
      for (let i = 1; i <= rings; i++) {
        out.push(ring(cx, cy, r * (1 + 0.16 * i), Math.max(1.5, mn * 0.004), pal.accent1, 1 - i * 0.15));
      }
      out.push(stripes({ circle: [cx, cy, r] }, mn * rng.range(0.025, 0.04), rng.pick([0, 45, -45, 90] as const), pal.bg1, 0.9));
      return out;
    },
  };
}

// 2: a coloured band across the top with a setting sun; text underneath.
function layoutTopBand(ctx: Ctx): LayoutResult {
  const { W, H, rng, pal } = ctx;
  const mn = Math.min(W, H);
  const m = mn * 0.075;
  const o = orientation(W, H);
  const bandH = H * (o === 'portrait' ? rng.range(0.4, 0.48) : o === 'square' ? rng.range(0.36, 0.44) : rng.range(0.34, 0.4));
  const align = rng.chance(0.5) ? 'left' : 'center';
  const box: Box =
    o === 'landscape'
      ? { x: m * 1.2, y: bandH + m * 0.9, w: align === 'center' ? W - 2.4 * m : W * 0.72, h: H - bandH - m * 1.8 }
      : { x: m, y: bandH + m * 0.9, w: W - 2 * m, h: H - bandH - m * 1.8 };
  const band = mix(pal.accent1, pal.mode === 'dark' ? [0, 0, 0] : pal.bg1, 0.15);
  return {
    spec: { box, align, anchor: 'middle', maxLines: o === 'landscape' ? 2 : 4, maxSize: 15, rule: true },
    ruleColor: pal.accent1,
    shapes: () => {
      const out: Shape[] = [rect(0, 0, W, bandH, band)];
      const r = Math.min(bandH * rng.range(0.62, 0.8), W * 0.32);
      const cx = W * rng.range(0.3, 0.7);
      const sun = pal.accent2;
      out.push({
        bbox: { x: cx - r, y: bandH - r, w: 2 * r, h: r },
        color: sun,
        opacity: 1,
        draw: (c) => {
          // Retro sun: a half disc on the band's lower edge, cut by gaps that widen downwards.
          let gaps = '';
          const n = 5;
          const step = (r * 0.5) / n;
          for (let i = 0; i < n; i++) {
            const gh = step * (0.14 + 0.12 * i);
            const gy = bandH - r * 0.5 + step * (i + 0.5) - gh / 2;
            gaps += `<rect x="${fmt(cx - r - 1)}" y="${fmt(gy)}" width="${fmt(2 * r + 2)}" height="${fmt(gh)}" fill="${hex(band)}"/>`;
          }
          return `<path d="M${fmt(cx - r)} ${fmt(bandH)}A${fmt(r)} ${fmt(r)} 0 0 1 ${fmt(cx + r)} ${fmt(bandH)}Z" fill="${c}"/>${gaps}`;
        },
      });
      const step = mn * 0.03;
      const cols = rng.int(4, 7);
      const rows = rng.int(3, 5);
      const dx = rng.chance(0.5) ? m * 0.6 : W - m * 0.6 - cols * step;
      out.push(dotGrid(dx, m * 0.6, cols, rows, step, step * 0.16, pal.mode === 'dark' ? pal.text : pal.bg1, 0.7));
      // A thin line just under the band.
      out.push(rect(0, bandH + mn * 0.012, W, Math.max(1.5, mn * 0.004), pal.accent2));
      return out;
    },
  };
}

// 3: Swiss-style composition of overlapping shapes, headline anchored bottom-left.
function layoutSwiss(ctx: Ctx): LayoutResult {
  const { W, H, rng, pal } = ctx;
  const mn = Math.min(W, H);
  const m = mn * 0.075;
  const o = orientation(W, H);
  const region: Box =
    o === 'landscape' ? { x: W * 0.56, y: m, w: W * 0.44 - m, h: H - 2 * m } : { x: m, y: m, w: W - 2 * m, h: H * 0.5 - m };
  const box: Box =
    o === 'landscape'
      ? { x: m, y: m, w: W * 0.5 - m, h: H - 2 * m }
      : { x: m, y: H * 0.56, w: W - 2 * m, h: H * 0.44 - m };
  return {
    spec: { box, align: 'left', anchor: 'bottom', maxLines: o === 'landscape' ? 4 : 3, maxSize: 17, rule: false },
    ruleColor: pal.accent1,
    shapes: () => {
      const out: Shape[] = [];
      const r = Math.min(region.w, region.h) * rng.range(0.36, 0.46);
      const cx = region.x + region.w - r - rng.range(0, region.w - 2 * r) * 0.3;
      const cy = region.y + region.h / 2 + rng.range(-0.1, 0.1) * region.h;
      const sq = r * rng.range(0.9, 1.2);
      const sx = Math.max(region.x, cx - r * rng.range(1.2, 1.6));
      const sy = cy - sq * rng.range(0.1, 0.5);
      out.push(rect(sx, sy, sq, sq, pal.accent2));
      out.push(circle(cx, cy, r, pal.accent1));
      out.push(stripes({ circle: [cx, cy, r] }, mn * rng.range(0.022, 0.035), rng.pick([0, 90, 30, -30] as const), pal.text, 0.85));
      out.push(circle(cx + r * 0.1, cy - r * 0.05, r * 0.52, pal.accent1));
      const small = mn * 0.035;
      out.push(circle(sx + small, sy + sq - small, small * 0.8, pal.text));
      return out;
    },
    overlays: (text) => {
      const sw = Math.max(1, mn * 0.003);
      const c = hex(pal.text);
      if (o === 'landscape') {
        const x = W * 0.53;
        return [`<rect x="${fmt(x)}" y="${fmt(m)}" width="${fmt(sw)}" height="${fmt(H - 2 * m)}" fill="${c}" fill-opacity="0.5"/>`];
      }
      const y = Math.max(H * 0.53, text.bounds.y - mn * 0.04);
      return [`<rect x="${fmt(m)}" y="${fmt(y)}" width="${fmt(W - 2 * m)}" height="${fmt(sw)}" fill="${c}" fill-opacity="0.5"/>`];
    },
  };
}

// 4: double frame, centred text, a quarter disc and a striped block in opposite corners.
function layoutFrame(ctx: Ctx): LayoutResult {
  const { W, H, rng, pal } = ctx;
  const mn = Math.min(W, H);
  const m = mn * 0.075;
  const o = orientation(W, H);
  const inset = m * 0.55;
  const box: Box =
    o === 'landscape'
      ? { x: W * 0.17, y: m * 1.6, w: W * 0.66, h: H - 3.2 * m }
      : { x: m * 1.6, y: H * 0.2, w: W - 3.2 * m, h: H * 0.6 };
  return {
    spec: { box, align: 'center', anchor: 'middle', maxLines: o === 'landscape' ? 3 : 4, maxSize: 14, rule: true },
    ruleColor: pal.accent2,
    shapes: () => {
      const out: Shape[] = [];
      const k = o === 'portrait' ? Math.min(1.5, Math.sqrt(H / W)) : 1;
      const r = mn * k * rng.range(0.32, 0.42);
      const corner = rng.chance(0.5);
      const cx = corner ? inset : W - inset;
      out.push(circle(cx, H - inset, r, pal.accent1));
      out.push(ring(cx, H - inset, r * 1.2, Math.max(1.5, mn * 0.005), pal.accent1));
      const bw = mn * k * rng.range(0.16, 0.22);
      const bx = corner ? W - inset - bw : inset;
      out.push(stripes({ rect: { x: bx, y: inset, w: bw, h: bw } }, mn * 0.028, 45, pal.accent2));
      return out;
    },
    overlays: () => {
      const sw = Math.max(1.5, mn * 0.005);
      const sw2 = Math.max(1, mn * 0.002);
      const c = hex(pal.text);
      const i2 = inset + mn * 0.018;
      return [
        `<rect x="${fmt(inset)}" y="${fmt(inset)}" width="${fmt(W - 2 * inset)}" height="${fmt(H - 2 * inset)}" fill="none" stroke="${c}" stroke-width="${fmt(sw)}"/>`,
        `<rect x="${fmt(i2)}" y="${fmt(i2)}" width="${fmt(W - 2 * i2)}" height="${fmt(H - 2 * i2)}" fill="none" stroke="${c}" stroke-width="${fmt(sw2)}" stroke-opacity="0.6"/>`,
      ];
    },
  };
}

const LAYOUTS = [layoutCentered, layoutSidebar, layoutTopBand, layoutSwiss, layoutFrame] as const;

// ---------------------------------------------------------------------------------------
// Render
// ---------------------------------------------------------------------------------------

/**
 * Build the poster as an SVG document (text already converted to outlines).
 * `text` overrides the headline/subtitle parsed from the prompt while keeping the palette and
 * layout the prompt and seed choose (used by tests to compare a poster with and without text).
 */
export function buildPosterSvg(req: PosterRequest, text?: PosterText): string {
  const W = req.width;
  const H = req.height;
  const prompt = typeof req.prompt === 'string' ? req.prompt : '';
  const rng = makeRng(prompt, req.seed);
  const pal = makePalette(rng, prompt);
  const ctx: Ctx = { W, H, rng, pal, defs: [] };
  const layout = LAYOUTS[rng.int(0, LAYOUTS.length - 1)]!(ctx);

  const block = layoutText(text ?? parsePosterText(prompt), layout.spec, W, H, pal);

  // Background: gradient plus a soft glow.
  const ang = rng.range(0, Math.PI * 2);
  const gx = Math.cos(ang) / 2;
  const gy = Math.sin(ang) / 2;
  ctx.defs.push(
    `<linearGradient id="bg" x1="${fmt(0.5 - gx)}" y1="${fmt(0.5 - gy)}" x2="${fmt(0.5 + gx)}" y2="${fmt(0.5 + gy)}"><stop offset="0" stop-color="${hex(pal.bg1)}"/><stop offset="1" stop-color="${hex(pal.bg2)}"/></linearGradient>`,
  );
  const gcx = rng.pick([0.15, 0.85] as const);
  const gcy = rng.pick([0.1, 0.9] as const);
  ctx.defs.push(
    `<radialGradient id="glow" gradientUnits="userSpaceOnUse" cx="${fmt(W * gcx)}" cy="${fmt(H * gcy)}" r="${fmt(Math.max(W, H) * 0.75)}"><stop offset="0" stop-color="${hex(pal.glow)}" stop-opacity="${pal.glowOpacity}"/><stop offset="1" stop-color="${hex(pal.glow)}" stop-opacity="0"/></radialGradient>`,
  );

  const drawnShapes = layout.shapes(block);
  const shapes = drawnShapes.map((s) => {
    const overText = block.lineBoxes.some((b) => (s.hits ? s.hits(b) : intersects(s.bbox, b)));
    const op = overText ? Math.min(s.opacity, safeOpacity(pal, s.color, s.opacity)) : s.opacity;
    return op > 0 ? s.draw(hex(s.color), op) : '';
  });
  const overlays = layout.overlays ? layout.overlays(block) : [];

  // The rule takes the layout's accent unless it would vanish into a shape or the background.
  let ruleSvg = '';
  if (block.ruleBox) {
    const rb = block.ruleBox;
    let rc = layout.ruleColor;
    const hidden = drawnShapes.some((s) => intersects(s.bbox, rb) && contrast(s.color, rc) < 1.6);
    if (hidden || pal.behindText.some((b) => contrast(b, rc) < 1.6)) rc = pal.text;
    ruleSvg = `<rect x="${fmt(rb.x)}" y="${fmt(rb.y)}" width="${fmt(rb.w)}" height="${fmt(rb.h)}" fill="${hex(rc)}"/>`;
  }

  return (
    `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" viewBox="0 0 ${W} ${H}">` +
    `<defs>${ctx.defs.join('')}</defs>` +
    `<rect width="${W}" height="${H}" fill="url(#bg)"/>` +
    `<rect width="${W}" height="${H}" fill="url(#glow)"/>` +
    shapes.join('') +
    overlays.join('') +
    ruleSvg +
    block.svg +
    `</svg>`
  );
}

/** Render a poster for the prompt as PNG bytes of exactly width x height pixels. */
export async function renderPoster(req: PosterRequest): Promise<Buffer> {
  const { width, height } = req;
  if (!Number.isInteger(width) || !Number.isInteger(height) || width < 16 || height < 16 || width > 8192 || height > 8192) {
    throw new RangeError(`renderPoster: width and height must be integers in 16..8192, got ${width}x${height}`);
  }
  if (!Number.isFinite(req.seed)) throw new RangeError(`renderPoster: seed must be a finite number, got ${req.seed}`);
  const svg = buildPosterSvg(req);
  let img = sharp(Buffer.from(svg), { density: 72, limitInputPixels: false });
  const meta = await img.metadata();
  if (meta.width !== width || meta.height !== height) {
    // librsvg renders SVG at its declared size; this is a safety net only.
    img = img.resize(width, height, { fit: 'fill' });
  }
  return img.png({ compressionLevel: 6, adaptiveFiltering: false }).toBuffer();
}
