// Example answers for the model pages and the docs: a task just made (HTTP 202) and the same task
// once it has succeeded, shaped as the API answers (README "The task object"), with this model's
// example request as its input and its price.
import type { Model } from './types';

const STARTED = '2030-01-01T12:00:00.000Z';
const FINISHED = '2030-01-01T12:00:04.000Z';

/** How many of the model's price units its example uses (seconds, 1,000 characters, megapixels). */
function exampleQuantity(model: Model): number {
  const ex = model.example ?? {};
  switch (model.price.unit) {
    case 'second':
      return Number(ex.duration ?? 5);
    case '1k_characters':
      return String(ex.text ?? ex.input ?? '').length / 1000;
    case 'megapixel':
      return 4.194304;
    default:
      return 1;
  }
}

const round = (n: number) => Math.round(n * 1e6) / 1e6;

function exampleOutput(model: Model, origin: string): Record<string, unknown> {
  const ex = model.example ?? {};
  const files = `${origin}/files`;
  if (model.type === 'video') {
    const tall = ex.aspect_ratio === '9:16';
    const [w, h] = ex.aspect_ratio === '1:1' ? [1080, 1080] : tall ? [1080, 1920] : [1920, 1080];
    return { videos: [{ url: `${files}/vid_….mp4`, width: w, height: h, duration_s: Number(ex.duration ?? 5), format: 'mp4', bytes: 4_812_337, thumbnail_url: `${files}/vid_….jpg` }] };
  }
  if (model.type === 'audio') {
    const format = String(ex.format ?? 'mp3');
    return { audio: [{ url: `${files}/aud_….${format}`, format, duration_s: Number(ex.duration ?? 3.4), bytes: 54_528, sample_rate: 24000 }] };
  }
  if (model.type === 'tool') return { images: [{ url: `${files}/img_….png`, width: 2048, height: 2048, format: 'png', bytes: 3_145_728 }] };
  const size = typeof ex.size === 'string' ? model.sizes?.[ex.size] : undefined;
  const format = String(ex.output_format ?? 'png');
  return { images: [{ url: `${files}/img_….${format}`, width: size?.width ?? 1024, height: size?.height ?? 1024, format, bytes: 1_482_113, ...(ex.seed !== undefined ? { seed: ex.seed } : {}) }] };
}

/** The task as the create call answers it (queued, its price held). */
export function queuedTaskExample(model: Model): Record<string, unknown> {
  return {
    id: 'task_…',
    object: 'task',
    type: model.type,
    model: model.id,
    status: 'queued',
    progress: null,
    output: null,
    error: null,
    cost: { credits: round(model.price.credits * exampleQuantity(model)), charged: false },
    livemode: true,
  };
}

/** The same task once it succeeded: its output, and what it was charged. */
export function finishedTaskExample(model: Model, origin: string): Record<string, unknown> {
  return {
    id: 'task_…',
    object: 'task',
    type: model.type,
    model: model.id,
    status: 'succeeded',
    input: model.example,
    output: exampleOutput(model, origin),
    error: null,
    progress: 100,
    cost: { credits: round(model.price.credits * exampleQuantity(model)), charged: true },
    livemode: true,
    attempts: 1,
    created_at: STARTED,
    started_at: STARTED,
    finished_at: FINISHED,
  };
}
