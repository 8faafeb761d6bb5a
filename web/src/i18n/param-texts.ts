// Chinese descriptions of the parameters the API describes in English (model pages, playground):
// part of the Chinese dictionary's chunk (zh-CN.ts), so English pages do not carry them.
import type { ParameterView } from '../types';

const MEDIA_ZH: Record<string, string> = { image: '图像', video: '视频', audio: '音频', tool: '结果' };

/** Chinese descriptions by parameter name; `v` is the allowed values, `what` the kind of output. */
const PARAM_DESC_ZH: Record<string, (v: string, what: string, p: ParameterView) => string> = {
  prompt: (_, what, p) => `${what}的文字描述${upTo(p)}。`,
  text: (_, __, p) => `要朗读的文字${upTo(p)}。`,
  negative_prompt: () => '不希望出现的内容。',
  size: (v) => `尺寸：${v}`,
  aspect_ratio: (v) => `画面比例：${v}`,
  resolution: (v) => `分辨率：${v}`,
  rendering_speed: (v) => `渲染速度：${v}`,
  output_format: (v) => `输出格式：${v}`,
  format: (v) => `格式：${v}`,
  seed: () => '随机种子，0 到 2147483647；在模型支持时，相同种子可复现结果。',
  duration: (v) => (v ? `时长（秒）：${v}` : '时长（秒）。'),
  audio: () => '同时生成声音（按含音频的价格计费）。',
  voice: (v) => `音色：${v}`,
  speed: (_, __, p) => `语速${p.minimum !== undefined && p.maximum !== undefined ? `，${p.minimum} 到 ${p.maximum}` : ''}。`,
  instructions: () => '怎么说：语气、节奏、口音。',
  instrumental: () => '不要人声，只生成纯音乐。',
  image_url: (_, what) => (what === '视频' ? '图生视频：作为第一帧的图片（https 链接、data: URL 或上传的文件）。' : '输入图片：https 链接、data: URL 或上传的文件。'),
  scale: (v) => `放大倍数：${v}`,
};

const upTo = (p: ParameterView) => (p.maxLength ? `（最多 ${p.maxLength} 个字符）` : '');

/** A parameter's description in Chinese (the API describes them in English). */
export function paramDescriptionZh(p: ParameterView, modelType = 'image'): string {
  if (p.name === 'model') return `使用 “${String(p.default ?? '')}”`;
  const f = PARAM_DESC_ZH[p.name];
  return f ? f((p.values ?? []).join('、'), MEDIA_ZH[modelType] ?? '内容', p) : p.description;
}
