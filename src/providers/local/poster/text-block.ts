// Text layout: sizes, wraps and places headline, rule and subtitle inside a layout's box.
import { CJK_RE } from './cjk.js';
import { hex } from './color.js';
import { drawable, measure, textPath } from './fonts.js';
import type { Box } from './geometry.js';
import { atomize, balance, wrap, type Wrapped } from './line-break.js';
import type { Palette } from './palette.js';
import type { PosterText } from './prompt-text.js';

export interface TextSpec {
  box: Box;
  align: 'left' | 'center';
  anchor: 'top' | 'middle' | 'bottom';
  maxLines: number;
  /** Largest headline size, in % of the geometric mean of width and height. */
  maxSize: number;
  /** Draw a short accent rule between headline and subtitle. */
  rule: boolean;
}

/** One drawn line of text: its SVG path and its padded box. */
export interface TextLine {
  kind: 'headline' | 'subtitle';
  svg: string;
  box: Box;
}

export interface TextBlock {
  svg: string;
  /** The same drawing line by line, headline lines first (for animating them one by one). */
  lines: TextLine[];
  /** Bounds of everything drawn (with some padding). */
  bounds: Box;
  /** One padded box per drawn line, for finer overlap tests. */
  lineBoxes: Box[];
  headlineSize: number;
  /** Where the accent rule between headline and subtitle goes, if there is one. */
  ruleBox: Box | null;
}

export function layoutText(pt: PosterText, spec: TextSpec, W: number, H: number, pal: Palette): TextBlock {
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

  const drawn: TextLine[] = [];
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
    drawn.push({
      kind: 'headline',
      svg: `<path fill="${hex(pal.text)}" d="${textPath(line, 'bold', size, x, y, tracking)}"/>`,
      box: { x: x - pad, y: y - size * capH - pad, w: wpx + 2 * pad, h: size * (capH + descH) + 2 * pad },
    });
  });
  const subTop = top + headH + gap;
  sub.lines.forEach((line, i) => {
    const wpx = measure(line, 'regular', 0) * subSize;
    const x = lineX(wpx);
    minX = Math.min(minX, x);
    maxX = Math.max(maxX, x + wpx);
    const y = subTop + subSize * (0.75 + subLh * i);
    drawn.push({
      kind: 'subtitle',
      svg: `<path fill="${hex(pal.subtext)}" d="${textPath(line, 'regular', subSize, x, y, 0)}"/>`,
      box: { x: x - pad, y: y - subSize * 0.9 - pad, w: wpx + 2 * pad, h: subSize * 1.15 + 2 * pad },
    });
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
    svg: drawn.map((l) => l.svg).join(''),
    lines: drawn,
    bounds: { x: minX - pad, y: top - pad, w: maxX - minX + 2 * pad, h: totalH + 2 * pad },
    lineBoxes: drawn.map((l) => l.box),
    headlineSize: size,
    ruleBox,
  };
}
