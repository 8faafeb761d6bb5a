import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as fontkit from 'fontkit';
import sharp from 'sharp';
import {
  renderPoster,
  extractHeadline,
  parsePosterText,
  posterFontFiles,
  buildPosterSvg,
  buildPosterLayers,
  posterSvgDocument,
} from '../../src/providers/local/poster/index.js';

const EN = 'A clean editorial poster reading "SUMMER DESIGN WEEK", bold typography, warm daylight, modern layout';
const ZH = '一张海报 "夏日设计周" 暖色';
const PNG_MAGIC = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

function openFont(file: string): fontkit.Font {
  const f = fontkit.create(readFileSync(file));
  return ('fonts' in f ? f.fonts[0] : f) as fontkit.Font;
}

for (const [w, h] of [
  [1024, 1024], // 1:1
  [2048, 1152], // 16:9
  [1280, 2987], // 9:21
  [2987, 1280], // 21:9
  [256, 256],
] as const) {
  test(`renders a PNG of exactly ${w}x${h}`, async () => {
    const buf = await renderPoster({ prompt: EN, seed: 7, width: w, height: h });
    assert.ok(buf.subarray(0, 8).equals(PNG_MAGIC), 'starts with the PNG signature');
    const meta = await sharp(buf).metadata();
    assert.equal(meta.format, 'png');
    assert.equal(meta.width, w);
    assert.equal(meta.height, h);
  });
}

test('is deterministic: same input gives identical bytes, another seed different bytes', async () => {
  const req = { prompt: EN, seed: 12345, width: 640, height: 960 };
  const a = await renderPoster(req);
  const b = await renderPoster({ ...req });
  assert.ok(a.equals(b), 'same prompt+seed+size must give byte-identical PNGs');
  const c = await renderPoster({ ...req, seed: 12346 });
  assert.ok(!a.equals(c), 'a different seed must change the poster');
  const d = await renderPoster({ ...req, prompt: EN.replace('SUMMER', 'WINTER') });
  assert.ok(!a.equals(d), 'a different prompt must change the poster');
});

async function pixels(svg: string): Promise<Buffer> {
  return sharp(Buffer.from(svg)).raw().toBuffer();
}

test('a Chinese headline is drawn, and characters no font has are dropped (no tofu)', async () => {
  // Same prompt and seed, so the same palette and layout; only the headline differs.
  const req = { prompt: ZH, seed: 3, width: 512, height: 768 };
  const parsed = parsePosterText(ZH);
  const withHeadline = await pixels(buildPosterSvg(req, parsed));
  const spaces = await pixels(buildPosterSvg(req, { ...parsed, headline: '     ' }));
  // Emoji and plane-16 private use are in neither font: they must vanish, not become boxes.
  const undrawable = await pixels(buildPosterSvg(req, { ...parsed, headline: '\u{1F389} \u{10FFFD}\u{1F600}' }));

  let diff = 0;
  for (let i = 0; i < withHeadline.length; i++) if (withHeadline[i] !== spaces[i]) diff++;
  assert.ok(diff > withHeadline.length * 0.02, `the Chinese headline changed only ${diff} bytes`);
  assert.ok(undrawable.equals(spaces), 'undrawable characters must be dropped, not drawn as boxes');

  // And the default path (headline parsed from the prompt) really uses the parsed text.
  assert.ok((await pixels(buildPosterSvg(req))).equals(withHeadline));
});

test('the CJK font from node_modules has outlines for the Chinese headline', () => {
  const files = posterFontFiles();
  for (const file of Object.values(files)) assert.match(file, /node_modules/);
  for (const file of [files.cjkBold, files.cjkRegular]) {
    const font = openFont(file);
    for (const ch of '夏日设计周暖色') {
      const cp = ch.codePointAt(0)!;
      assert.ok(font.hasGlyphForCodePoint(cp), `${file} lacks ${ch}`);
      assert.notEqual(font.glyphForCodePoint(cp).id, 0, `${ch} maps to .notdef`);
    }
    assert.ok(font.glyphForCodePoint('夏'.codePointAt(0)!).path.commands.length > 10, '夏 has an outline');
    assert.equal(font.hasGlyphForCodePoint(0x1f389), false);
    assert.equal(font.hasGlyphForCodePoint(0x10fffd), false);
  }
  // Inter has no CJK, so it is the fallback font that draws 夏.
  assert.equal(openFont(files.latinBold).hasGlyphForCodePoint('夏'.codePointAt(0)!), false);
  assert.equal(openFont(files.latinBold).hasGlyphForCodePoint(0x1f389), false);
  assert.equal(openFont(files.latinBold).hasGlyphForCodePoint(0x10fffd), false);
});

test('extractHeadline handles "...", “...”, 「...」 and no quotes', () => {
  assert.equal(extractHeadline(EN), 'SUMMER DESIGN WEEK');
  assert.equal(extractHeadline('poster with “Hello World” on it'), 'Hello World');
  assert.equal(extractHeadline('新年海报 「春节快乐」 红色'), '春节快乐');
  assert.equal(extractHeadline(ZH), '夏日设计周');
  assert.equal(extractHeadline('『東京』の夜'), '東京');
  // The earliest quote wins when several kinds are present.
  assert.equal(extractHeadline('「第一」 then "second"'), '第一');
  // No quotes: a few leading words, without leading/trailing stop words.
  assert.equal(extractHeadline('a cat sitting on a windowsill at sunset, oil painting'), 'Cat sitting on a windowsill');
  assert.equal(extractHeadline('sunset'), 'Sunset');
  assert.equal(extractHeadline('夏日海报，暖色调'), '夏日海报');
  // Empty or unbalanced quotes are not a headline.
  assert.equal(extractHeadline('"" minimal poster'), 'Minimal poster');
  assert.equal(extractHeadline('unbalanced "quote here'), 'Unbalanced quote here');
  assert.equal(extractHeadline(''), '');
});

test('parsePosterText puts the unquoted rest of the prompt in the subtitle', () => {
  assert.deepEqual(parsePosterText(EN), {
    headline: 'SUMMER DESIGN WEEK',
    subtitle: 'A clean editorial poster, bold typography, warm daylight, modern layout',
    quoted: true,
  });
  assert.deepEqual(parsePosterText(ZH), { headline: '夏日设计周', subtitle: '一张海报 暖色', quoted: true });
  const p = parsePosterText('a cat sitting on a windowsill at sunset, oil painting');
  assert.equal(p.quoted, false);
  assert.equal(p.subtitle, 'At sunset, oil painting');
});

test('long prompts, odd characters and tiny or extreme sizes still render', async () => {
  const long = `Poster "${'VERY LONG HEADLINE WORDS '.repeat(12)}" ${'and a long subtitle that goes on '.repeat(20)}`;
  const cases = [
    { prompt: long, seed: 1, width: 1024, height: 1024 },
    { prompt: '一张海报 "' + '人工智能与未来城市生活'.repeat(6) + '" ' + '很长的副标题文字'.repeat(20), seed: 2, width: 2987, height: 1280 },
    { prompt: 'emoji only "🎉🎉" & <xml> \'chars\'', seed: 3, width: 300, height: 700 },
    { prompt: '', seed: 0, width: 256, height: 256 },
    { prompt: 'Supercalifragilisticexpialidocious-antidisestablishmentarianism', seed: 4, width: 256, height: 597 },
  ];
  for (const req of cases) {
    const buf = await renderPoster(req);
    const meta = await sharp(buf).metadata();
    assert.equal(meta.width, req.width);
    assert.equal(meta.height, req.height);
  }
});

test('rejects invalid sizes', async () => {
  await assert.rejects(renderPoster({ prompt: 'x', seed: 1, width: 0, height: 100 }), RangeError);
  await assert.rejects(renderPoster({ prompt: 'x', seed: 1, width: 100.5, height: 100 }), RangeError);
  await assert.rejects(renderPoster({ prompt: 'x', seed: Number.NaN, width: 100, height: 100 }), RangeError);
});

test('the layers (background, rule, one element per text line) compose to the very same poster', async () => {
  const req = { prompt: EN, seed: 5, width: 900, height: 600 };
  const layers = buildPosterLayers(req);
  assert.equal(posterSvgDocument(layers, layers.background + (layers.rule?.svg ?? '') + layers.lines.map((l) => l.svg).join('')), buildPosterSvg(req));
  assert.ok(layers.lines.some((l) => l.kind === 'headline') && layers.lines.some((l) => l.kind === 'subtitle'));
  const firstSubtitle = layers.lines.findIndex((l) => l.kind === 'subtitle');
  assert.ok(layers.lines.slice(firstSubtitle).every((l) => l.kind === 'subtitle'), 'headline lines come first');
  for (const l of layers.lines) {
    assert.ok(l.box.x >= 0 && l.box.y >= 0 && l.box.x + l.box.w <= req.width && l.box.y + l.box.h <= req.height, 'each line box is inside the poster');
  }
  // A line cropped to its box draws pixels (it is not empty) and only there.
  const line = layers.lines[0]!;
  const box = { x: Math.floor(line.box.x), y: Math.floor(line.box.y), w: Math.ceil(line.box.w), h: Math.ceil(line.box.h) };
  const { channels } = await sharp(Buffer.from(posterSvgDocument(layers, line.svg, box))).stats();
  assert.ok(channels[3]!.max === 255, 'the headline line is drawn inside its box');
  // Clearance around the text tones down more shapes, and touches nothing but the background.
  const clear = buildPosterLayers(req, undefined, { textClearance: 400 });
  assert.deepEqual(clear.lines, layers.lines);
  assert.deepEqual(clear.rule, layers.rule);
  assert.notEqual(clear.background, layers.background);
});
