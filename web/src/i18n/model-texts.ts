// Texts that come with a model from the catalog: its own translations (model.i18n), and Chinese
// descriptions of the parameters the API describes in English.
import type { Model, ModelTexts, ParameterView } from '../types';
import type { Lang } from './index';

/** The model's texts in `lang`, falling back to the catalog's English. */
export function localize(model: Model, lang: Lang): Required<ModelTexts> {
  const tr = lang === 'en' ? {} : (model.i18n?.[lang] ?? {});
  return {
    name: tr.name ?? model.name,
    pitch: tr.pitch ?? model.pitch,
    description: tr.description ?? model.description,
    capabilities: tr.capabilities ?? model.capabilities,
    use_cases: tr.use_cases ?? model.use_cases,
    faq: tr.faq ?? model.faq,
  };
}

const MEDIA_ZH: Record<string, string> = { image: '图像', video: '视频', audio: '音频', tool: '结果' };

/** Chinese descriptions by parameter name; `v` is the allowed values, `what` the kind of output. */
const PARAM_DESC_ZH: Record<string, (v: string, what: string, p: ParameterView) => string> = {
  prompt: (_, what, p) => `${what}的文字描述${p.maxLength ? `（最多 ${p.maxLength} 个字符）` : ''}。`,
  input: (_, __, p) => `要朗读的文字${p.maxLength ? `（最多 ${p.maxLength} 个字符）` : ''}。`,
  text: (_, __, p) => `要朗读的文字${p.maxLength ? `（最多 ${p.maxLength} 个字符）` : ''}。`,
  negative_prompt: () => '不希望出现的内容。',
  size: (v) => `尺寸：${v}`,
  aspect_ratio: (v) => `画面比例：${v}`,
  resolution: (v) => `分辨率：${v}`,
  rendering_speed: (v) => `渲染速度：${v}`,
  output_format: (v) => `输出格式：${v}`,
  response_format: (v) => `输出格式：${v}`,
  format: (v) => `输出格式：${v}`,
  seed: () => '随机种子；在模型支持时，相同种子可复现结果。',
  duration: (v) => (v ? `时长（秒）：${v}` : '时长（秒）。'),
  duration_s: (v) => (v ? `时长（秒）：${v}` : '时长（秒）。'),
  seconds: (v) => (v ? `时长（秒）：${v}` : '时长（秒）。'),
  generate_audio: () => '是否同时生成声音（按含音频的价格计费）。',
  voice: (v) => `音色：${v}`,
  speed: () => '语速倍数。',
  instructions: () => '语气和风格说明。',
  image_url: () => '输入图片：公开的 https 链接，或 data: URL。',
  image: () => '输入图片：公开的 https 链接，或 data: URL。',
  upscale_factor: () => '放大倍数。',
  force_instrumental: () => '只生成纯音乐，不要人声。',
};

/** A parameter's description in `lang` (the API describes them in English). */
export function paramDescription(p: ParameterView, lang: Lang, modelType = 'image'): string {
  if (lang === 'en') return p.description;
  if (p.name === 'model') return `使用 "${String(p.default ?? '')}"`;
  const f = PARAM_DESC_ZH[p.name];
  return f ? f((p.values ?? []).join(', '), MEDIA_ZH[modelType] ?? '内容', p) : p.description;
}
