// CJK detection and dictionary word segmentation (Node's ICU), shared by headline extraction
// and line breaking.

export const CJK_RE = /[\u2E80-\u2FFF\u3000-\u30FF\u3100-\u31FF\u3400-\u4DBF\u4E00-\u9FFF\uF900-\uFAFF\uFE30-\uFE4F\uFF00-\uFFEF\u{20000}-\u{3FFFF}]/u;

export const wordSegmenter = new Intl.Segmenter('zh', { granularity: 'word' });
