// Prompt -> headline / subtitle: what the poster says.
import { CJK_RE, wordSegmenter } from './cjk.js';

export interface PosterText {
  /** The large line(s): the first quoted text, or a few words derived from the prompt. */
  headline: string;
  /** The rest of the prompt, unquoted and tidied; may be empty. */
  subtitle: string;
  /** Whether the headline came from quoted text in the prompt. */
  quoted: boolean;
}

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

export function cleanSpaces(s: string): string {
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
