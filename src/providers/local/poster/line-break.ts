// Line breaking: unbreakable pieces (words, CJK dictionary words), greedy wrapping with an
// ellipsis when lines run out, and balancing for an even rag.
import { CJK_RE, wordSegmenter } from './cjk.js';
import { measure, type Weight } from './fonts.js';

/** Characters that must not start a line. */
const NO_START = new Set([...'，。、！？；：）」』”’》〉】〕…—～·,.!?;:)]}%']);
/** Characters that must not end a line. */
const NO_END = new Set([...'（「『“‘《〈【〔([{']);

export interface Atom {
  t: string;
  /** Followed by a space in the source text. */
  sp: boolean;
}

/**
 * Split text into unbreakable pieces. Breaks are allowed at spaces and next to CJK text,
 * at word boundaries found by ICU's dictionary segmenter (so 夏日设计周 breaks as
 * 夏日|设计|周, not between any two characters), never before closing or after opening
 * punctuation.
 */
export function atomize(text: string): Atom[] {
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

export interface Wrapped {
  lines: string[];
  /** A word had to be split because it was wider than the line. */
  broken: boolean;
  /** Text was cut off (only with maxLines). */
  truncated: boolean;
}

const ELLIPSIS = '\u2026';

export function wrap(atoms: Atom[], maxW: number, w: Weight, tracking: number, maxLines = Infinity): Wrapped {
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
export function balance(atoms: Atom[], maxW: number, w: Weight, tracking: number, n: number): number {
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
