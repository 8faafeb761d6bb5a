// A video task as OpenAI's Video object: {id, object:"video", model, status, progress, created_at,
// completed_at, expires_at, prompt, seconds, size, error}. The id is the task's id, so the native
// routes (GET /api/v1/tasks/{id}, its events) work on it too.
import type { VideoTaskInput } from '../../../modalities/video/request.js';
import { videoSize } from '../../../modalities/video/params.js';
import type { TaskError, TaskRow, TaskStatus } from '../../../services/tasks.js';
import { unixSeconds } from './tasks.js';

const STATUS: Record<TaskStatus, 'queued' | 'in_progress' | 'completed' | 'failed'> = {
  queued: 'queued',
  running: 'in_progress',
  succeeded: 'completed',
  failed: 'failed',
  canceled: 'failed',
};

export function videoObject(task: TaskRow) {
  const input = JSON.parse(task.input) as VideoTaskInput;
  const made = task.output ? (JSON.parse(task.output) as { videos?: Array<{ width: number; height: number }> }).videos?.[0] : undefined;
  const { width, height } = made ?? videoSize(input.aspect_ratio, input.resolution);
  return {
    id: task.id,
    object: 'video' as const,
    model: task.model,
    status: STATUS[task.status],
    progress: task.status === 'succeeded' ? 100 : (task.progress ?? 0),
    created_at: unixSeconds(task.created_at),
    completed_at: task.finished_at && task.status === 'succeeded' ? unixSeconds(task.finished_at) : null,
    // Stored videos do not expire.
    expires_at: null,
    prompt: input.prompt,
    seconds: String(input.duration),
    size: `${width}x${height}`,
    remixed_from_video_id: null,
    error: task.error ? (JSON.parse(task.error) as TaskError) : null,
  };
}
