// Palettes: a seeded colour scheme nudged by the prompt's words, with text that always reads
// at WCAG AA against the background.
import { contrast, hsl, mix, type RGB } from './color.js';
import type { Rng } from './random.js';

export type Mode = 'light' | 'dark' | 'vivid';

export interface Palette {
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

export function makePalette(rng: Rng, prompt: string): Palette {
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
export function safeOpacity(pal: Palette, color: RGB, desired: number, min = 4.5): number {
  for (let op = desired; op > 0.001; op -= 0.05) {
    if (pal.behindText.every((b) => contrast(mix(b, color, op), pal.text) >= min && contrast(mix(b, color, op), pal.subtext) >= min)) {
      return Math.round(op * 100) / 100;
    }
  }
  return 0;
}
