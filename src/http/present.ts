// How a task looks from the outside (the same object for POST, GET, lists and the dashboard).
// Stored media carry paths (`path`, `thumbnail_path`); clients get absolute URLs.
import type { FastifyRequest } from 'fastify';
import { toCredits } from '../lib/credits.js';
import type { TaskError, TaskRow } from '../services/tasks.js';

export function baseUrl(req: FastifyRequest, publicUrl?: string): string {
  return publicUrl ?? `${req.protocol}://${req.host}`;
}

type Media = Record<string, unknown>;

/** `{images|videos|audio: [{path, thumbnail_path?, ...}]}` with the paths made into URLs. */
function presentOutput(output: Record<string, Media[]>, base: string): Record<string, Media[]> {
  return Object.fromEntries(
    Object.entries(output).map(([kind, items]) => [
      kind,
      items.map(({ path, thumbnail_path, ...rest }) => ({ url: `${base}${path}`, ...rest, ...(thumbnail_path ? { thumbnail_url: `${base}${thumbnail_path}` } : {}) })),
    ]),
  );
}

export function presentTask(task: TaskRow, base: string) {
  // What was charged once it succeeded; before that (and when it failed) the price held for it.
  const credits = task.status === 'succeeded' ? task.charged_micro : task.hold_micro;
  return {
    id: task.id,
    object: 'task' as const,
    type: task.type,
    model: task.model,
    status: task.status,
    progress: task.progress,
    input: JSON.parse(task.input) as Record<string, unknown>,
    output: task.output ? presentOutput(JSON.parse(task.output), base) : null,
    // Set once the retention policy deleted the output's files (their URLs answer 404 since).
    ...(task.output_expired_at ? { output_expired_at: task.output_expired_at } : {}),
    error: task.error ? (JSON.parse(task.error) as TaskError) : null,
    cost: { credits: toCredits(credits), charged: task.charged === 1 },
    livemode: task.livemode === 1,
    node: task.node,
    attempts: task.attempts,
    created_at: task.created_at,
    started_at: task.started_at,
    finished_at: task.finished_at,
  };
}

export type PresentedTask = ReturnType<typeof presentTask>;
