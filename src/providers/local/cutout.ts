// `aio-cutout`: removes a plain background on this machine, no model. The background's colours
// are learnt from the border, everything reachable from the border through pixels of those
// colours becomes transparent (plus large enclosed holes of exactly those colours), and the mask
// edge is softened by a pixel. Meant for product shots, logos, stickers and studio portraits on a
// plain or gradient backdrop; a busy photo background is beyond it.
import sharp from 'sharp';

interface Cluster {
  L: number;
  a: number;
  b: number;
  /** Squared Lab distance within which a colour counts as this background colour. */
  tol2: number;
  /** The stricter squared distance for holes not connected to the border. */
  strict2: number;
}

/** Pixels this much below opaque already count as background. */
const TRANSPARENT_BELOW = 128;
/** A border colour must cover this share of the border to count as background (not the subject touching the edge). */
const MIN_BORDER_SHARE = 0.04;
/** Enclosed background-coloured holes at least this share of the image are cut out too. */
const MIN_HOLE_SHARE = 0.0005;

/** `image` as a PNG with an alpha channel: background transparent, subject opaque, edges soft. */
export async function removeBackground(image: Buffer): Promise<Buffer> {
  const { data, info } = await sharp(image).autoOrient().toColourspace('srgb').ensureAlpha().raw().toBuffer({ resolveWithObject: true });
  const { width: w, height: h } = info;
  if (info.channels !== 4) throw new Error(`expected 4 channels, got ${info.channels}`);

  const clusters = backgroundColours(data, w, h);
  const kind = classifyPixels(data, w * h, clusters);
  const background = floodFromBorder(kind, w, h);
  cutHoles(kind, background, w, h);

  const alpha = softenMask(background, w, h);
  for (let i = 0, p = 3; i < w * h; i++, p += 4) data[p] = Math.round((alpha[i]! * data[p]!) / 255);
  return sharp(data, { raw: { width: w, height: h, channels: 4 } }).png({ compressionLevel: 6 }).toBuffer();
}

// ---- colour ----

const LINEAR = new Float64Array(256).map((_, i) => {
  const c = i / 255;
  return c <= 0.04045 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
});
const labF = (t: number) => (t > 0.008856 ? Math.cbrt(t) : 7.787 * t + 16 / 116);

/** CIELAB (D65) of an sRGB colour, written to out[0..2]. */
function toLab(r: number, g: number, b: number, out: Float64Array): void {
  const R = LINEAR[r]!;
  const G = LINEAR[g]!;
  const B = LINEAR[b]!;
  const fx = labF((0.4124564 * R + 0.3575761 * G + 0.1804375 * B) / 0.95047);
  const fy = labF(0.2126729 * R + 0.7151522 * G + 0.072175 * B);
  const fz = labF((0.0193339 * R + 0.119192 * G + 0.9503041 * B) / 1.08883);
  out[0] = 116 * fy - 16;
  out[1] = 500 * (fx - fy);
  out[2] = 200 * (fy - fz);
}

// ---- background colours from the border ----

/** The two outermost rings of pixels, as pixel indices. */
function borderIndices(w: number, h: number): number[] {
  const out: number[] = [];
  const rings = Math.min(2, Math.ceil(Math.min(w, h) / 2));
  for (let r = 0; r < rings; r++) {
    const x0 = r, x1 = w - 1 - r, y0 = r, y1 = h - 1 - r;
    for (let x = x0; x <= x1; x++) {
      out.push(y0 * w + x);
      if (y1 !== y0) out.push(y1 * w + x);
    }
    for (let y = y0 + 1; y < y1; y++) {
      out.push(y * w + x0);
      if (x1 !== x0) out.push(y * w + x1);
    }
  }
  return out;
}

/**
 * Groups the opaque border pixels' Lab colours (greedy seeding, then k-means passes) and keeps the
 * groups covering a fair share of the border. Each group's tolerance grows with its spread, so a
 * noisy or graded backdrop is taken whole while a flat one stays tight around its colour.
 */
function backgroundColours(data: Buffer, w: number, h: number): Cluster[] {
  const lab = new Float64Array(3);
  const samples: number[] = [];
  for (const i of borderIndices(w, h)) {
    const p = i * 4;
    if (data[p + 3]! < TRANSPARENT_BELOW) continue;
    toLab(data[p]!, data[p + 1]!, data[p + 2]!, lab);
    samples.push(lab[0]!, lab[1]!, lab[2]!);
  }
  const count = samples.length / 3;
  if (count === 0) return [];

  const SEED_RADIUS2 = 10 * 10;
  const MAX_CENTRES = 24;
  const centres: number[][] = [];
  for (let s = 0; s < count; s++) {
    const [j, d2] = nearest(centres, samples, s);
    if (j < 0 || (d2 > SEED_RADIUS2 && centres.length < MAX_CENTRES)) centres.push([samples[s * 3]!, samples[s * 3 + 1]!, samples[s * 3 + 2]!]);
  }
  let spread = new Float64Array(centres.length);
  let sizes = new Int32Array(centres.length);
  for (let pass = 0; pass < 3; pass++) {
    const sums = centres.map(() => [0, 0, 0]);
    sizes = new Int32Array(centres.length);
    spread = new Float64Array(centres.length);
    for (let s = 0; s < count; s++) {
      const [j, d2] = nearest(centres, samples, s);
      sizes[j]!++;
      spread[j]! += d2;
      const sum = sums[j]!;
      sum[0]! += samples[s * 3]!;
      sum[1]! += samples[s * 3 + 1]!;
      sum[2]! += samples[s * 3 + 2]!;
    }
    centres.forEach((c, j) => {
      if (sizes[j]! > 0) for (let k = 0; k < 3; k++) c[k] = sums[j]![k]! / sizes[j]!;
    });
  }
  const clusters: Cluster[] = [];
  let largest = -1;
  centres.forEach((c, j) => {
    if (largest < 0 || sizes[j]! > sizes[largest]!) largest = j;
  });
  centres.forEach((c, j) => {
    if (sizes[j]! < count * MIN_BORDER_SHARE && j !== largest) return;
    const rms = Math.sqrt(spread[j]! / Math.max(1, sizes[j]!));
    const tol = Math.min(25, Math.max(10, 6 + 3 * rms));
    const strict = Math.min(12, Math.max(5, 2 + 2 * rms));
    clusters.push({ L: c[0]!, a: c[1]!, b: c[2]!, tol2: tol * tol, strict2: strict * strict });
  });
  return clusters;
}

function nearest(centres: number[][], samples: number[], s: number): [number, number] {
  let best = -1;
  let bestD2 = Infinity;
  for (let j = 0; j < centres.length; j++) {
    const c = centres[j]!;
    const dL = samples[s * 3]! - c[0]!;
    const da = samples[s * 3 + 1]! - c[1]!;
    const db = samples[s * 3 + 2]! - c[2]!;
    const d2 = dL * dL + da * da + db * db;
    if (d2 < bestD2) {
      bestD2 = d2;
      best = j;
    }
  }
  return [best, bestD2];
}

// ---- masks ----

const FOREGROUND = 0;
/** Close to a background colour (may be flooded from the border). */
const NEAR = 1;
/** Very close to a background colour (an enclosed hole of it may be cut too). */
const EXACT = 2;

/**
 * Each pixel's kind. Colours repeat a lot, so each colour is judged once, at 7 bits a channel (a
 * 2 MB table; one step of 255 moves a colour well under 1 Lab unit).
 */
function classifyPixels(data: Buffer, n: number, clusters: Cluster[]): Uint8Array {
  const kind = new Uint8Array(n);
  const memo = new Uint8Array(1 << 21); // 0 = not judged yet, else kind + 1
  const lab = new Float64Array(3);
  for (let i = 0, p = 0; i < n; i++, p += 4) {
    if (data[p + 3]! < TRANSPARENT_BELOW) {
      kind[i] = EXACT;
      continue;
    }
    const key = ((data[p]! >> 1) << 14) | ((data[p + 1]! >> 1) << 7) | (data[p + 2]! >> 1);
    let k = memo[key]!;
    if (k === 0) {
      toLab(data[p]! | 1, data[p + 1]! | 1, data[p + 2]! | 1, lab);
      let judged = FOREGROUND;
      for (const c of clusters) {
        const dL = lab[0]! - c.L;
        const da = lab[1]! - c.a;
        const db = lab[2]! - c.b;
        const d2 = dL * dL + da * da + db * db;
        if (d2 <= c.strict2) {
          judged = EXACT;
          break;
        }
        if (d2 <= c.tol2) judged = NEAR;
      }
      k = judged + 1;
      memo[key] = k;
    }
    kind[i] = k - 1;
  }
  return kind;
}

/** 1 for every background-coloured pixel 4-connected to the image's edge (iterative, one queue). */
function floodFromBorder(kind: Uint8Array, w: number, h: number): Uint8Array {
  const bg = new Uint8Array(w * h);
  const queue = new Int32Array(w * h);
  let head = 0;
  let tail = 0;
  const push = (i: number) => {
    if (bg[i] === 0 && kind[i] !== FOREGROUND) {
      bg[i] = 1;
      queue[tail++] = i;
    }
  };
  for (let x = 0; x < w; x++) {
    push(x);
    push((h - 1) * w + x);
  }
  for (let y = 0; y < h; y++) {
    push(y * w);
    push(y * w + w - 1);
  }
  while (head < tail) {
    const i = queue[head++]!;
    const x = i % w;
    if (x > 0) push(i - 1);
    if (x < w - 1) push(i + 1);
    if (i >= w) push(i - w);
    if (i < w * (h - 1)) push(i + w);
  }
  return bg;
}

/** Marks as background the enclosed regions of exact background colour that are big enough to be gaps, not details. */
function cutHoles(kind: Uint8Array, bg: Uint8Array, w: number, h: number): void {
  const n = w * h;
  const minArea = Math.max(16, Math.round(n * MIN_HOLE_SHARE));
  // open[i] = 1 while pixel i is an enclosed exact-colour pixel not yet put in a region.
  const open = new Uint8Array(n);
  for (let i = 0; i < n; i++) open[i] = !bg[i] && kind[i] === EXACT ? 1 : 0;
  const queue = new Int32Array(n);
  for (let start = 0; start < n; start++) {
    if (!open[start]) continue;
    let tail = 0;
    queue[tail++] = start;
    open[start] = 0;
    for (let head = 0; head < tail; head++) {
      const i = queue[head]!;
      const x = i % w;
      if (x > 0 && open[i - 1]) {
        open[i - 1] = 0;
        queue[tail++] = i - 1;
      }
      if (x < w - 1 && open[i + 1]) {
        open[i + 1] = 0;
        queue[tail++] = i + 1;
      }
      if (i >= w && open[i - w]) {
        open[i - w] = 0;
        queue[tail++] = i - w;
      }
      if (i < n - w && open[i + w]) {
        open[i + w] = 0;
        queue[tail++] = i + w;
      }
    }
    if (tail >= minArea) for (let q = 0; q < tail; q++) bg[queue[q]!] = 1;
  }
}

/**
 * Opacity 0..255 from the background mask, blurred by a 5-tap binomial kernel (sigma about 1 px)
 * across and then down: the subject's inside stays exactly 255 and the far background exactly 0.
 */
function softenMask(bg: Uint8Array, w: number, h: number): Uint8Array {
  const n = w * h;
  const across = new Uint16Array(n);
  const K = [1, 4, 6, 4, 1];
  for (let y = 0; y < h; y++) {
    const row = y * w;
    for (let x = 0; x < w; x++) {
      let sum = 0;
      for (let k = -2; k <= 2; k++) {
        const xx = x + k < 0 ? 0 : x + k >= w ? w - 1 : x + k;
        sum += K[k + 2]! * (bg[row + xx] ? 0 : 255);
      }
      across[row + x] = sum; // up to 255 * 16
    }
  }
  const alpha = new Uint8Array(n);
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      let sum = 0;
      for (let k = -2; k <= 2; k++) {
        const yy = y + k < 0 ? 0 : y + k >= h ? h - 1 : y + k;
        sum += K[k + 2]! * across[yy * w + x]!;
      }
      alpha[y * w + x] = Math.round(sum / 256);
    }
  }
  return alpha;
}
