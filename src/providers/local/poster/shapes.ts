// Background shapes (discs, rings, bars, stripes, dot grids) with the overlap tests that decide
// whether a shape behind the text must be toned down.
import type { RGB } from './color.js';
import { clipHalfPlane, fmt, type Box, type Pt } from './geometry.js';

/** A shape drawn behind the text: its bounding box decides whether it must be toned down. */
export interface Shape {
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

export function circle(cx: number, cy: number, r: number, color: RGB, opacity = 1): Shape {
  return {
    bbox: circleBox(cx, cy, r),
    hits: (b) => discHits(cx, cy, r, b),
    color,
    opacity,
    draw: (c, o) => `<circle cx="${fmt(cx)}" cy="${fmt(cy)}" r="${fmt(r)}" fill="${c}"${o < 1 ? ` fill-opacity="${o}"` : ''}/>`,
  };
}

export function ring(cx: number, cy: number, r: number, sw: number, color: RGB, opacity = 1): Shape {
  return {
    bbox: circleBox(cx, cy, r + sw),
    hits: (b) => annulusHits(cx, cy, r - sw, r + sw, b),
    color,
    opacity,
    draw: (c, o) =>
      `<circle cx="${fmt(cx)}" cy="${fmt(cy)}" r="${fmt(r)}" fill="none" stroke="${c}" stroke-width="${fmt(sw)}"${o < 1 ? ` stroke-opacity="${o}"` : ''}/>`,
  };
}

export function rect(x: number, y: number, w: number, h: number, color: RGB, opacity = 1): Shape {
  return {
    bbox: { x, y, w, h },
    color,
    opacity,
    draw: (c, o) => `<rect x="${fmt(x)}" y="${fmt(y)}" width="${fmt(w)}" height="${fmt(h)}" fill="${c}"${o < 1 ? ` fill-opacity="${o}"` : ''}/>`,
  };
}

/**
 * Parallel stripes at `angle` degrees filling a circle or a rectangle, as plain paths
 * (librsvg is slow with masks and patterns, fast with paths).
 */
export function stripes(clip: { circle: [number, number, number] } | { rect: Box }, gap: number, angle: number, color: RGB, opacity = 1): Shape {
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

export function dotGrid(x: number, y: number, cols: number, rows: number, step: number, r: number, color: RGB, opacity = 1): Shape {
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
