// How a task looks from the outside (the same object for POST and GET).
import type { FastifyRequest } from 'fastify';
import type { ImageTaskInput } from '../services/generation-request.js';
import type { TaskError, TaskOutput, TaskRow } from '../services/tasks.js';

export function baseUrl(req: FastifyRequest, publicUrl?: string): string {
  return publicUrl ?? `${req.protocol}://${req.host}`;
}

export function presentTask(task: TaskRow, base: string) {
  const output = task.output ? (JSON.parse(task.output) as TaskOutput) : null;
  return {
    id: task.id,
    object: 'task' as const,
    type: task.type,
    model: task.model,
    status: task.status,
    input: JSON.parse(task.input) as ImageTaskInput,
    output: output && {
      images: output.images.map(({ path, ...image }) => ({ url: `${base}${path}`, ...image })),
    },
    error: task.error ? (JSON.parse(task.error) as TaskError) : null,
    cost: { credits: task.cost_credits, charged: task.charged === 1 },
    livemode: task.livemode === 1,
    node: task.node,
    attempts: task.attempts,
    created_at: task.created_at,
    started_at: task.started_at,
    finished_at: task.finished_at,
  };
}
