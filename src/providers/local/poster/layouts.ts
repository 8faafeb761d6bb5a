// The five compositions a poster can take; the seed picks one. Each places the text box and
// draws its shapes after the text is laid out, so they can avoid it.
import { hex, mix, type RGB } from './color.js';
import { fmt, type Box } from './geometry.js';
import type { Palette } from './palette.js';
import type { Rng } from './random.js';
import { circle, dotGrid, rect, ring, stripes, type Shape } from './shapes.js';
import type { TextBlock, TextSpec } from './text-block.js';

export interface Ctx {
  W: number;
  H: number;
  rng: Rng;
  pal: Palette;
  defs: string[];
}

export interface LayoutResult {
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

export const LAYOUTS = [layoutCentered, layoutSidebar, layoutTopBand, layoutSwiss, layoutFrame] as const;
