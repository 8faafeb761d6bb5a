// Fonts: Inter (Latin, @expo-google-fonts/inter) with Noto Sans Hans (Simplified Chinese,
// @embedpdf/fonts-sc) as the per-character fallback for CJK and anything Inter lacks.
// Characters neither font has (e.g. emoji) are dropped rather than drawn as tofu boxes.
// Text is measured and turned into SVG outlines here, so no font is needed to rasterise.

import { readFileSync, existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import * as fontkit from 'fontkit';
import { fmt } from './geometry.js';
import { cleanSpaces } from './prompt-text.js';

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
    if (up === dir) throw new Error(`poster fonts: cannot locate package root of ${pkg}`);
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

export type Weight = 'bold' | 'regular';

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
export function drawable(text: string, w: Weight): string {
  let out = '';
  for (const ch of text) {
    const cp = ch.codePointAt(0)!;
    if (cp === 0x20 || fontFor(cp, w)) out += ch;
  }
  return cleanSpaces(out);
}

const widthCache = new Map<string, number>();

/** Advance width of `text` at font size 1, including `tracking` (em) between characters. */
export function measure(text: string, w: Weight, tracking: number): number {
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

/** SVG path data for one line of text with its left end of the baseline at (x, y). */
export function textPath(text: string, w: Weight, size: number, x: number, y: number, tracking: number): string {
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
