// Types written by hand for what has no server schema to generate from (chat follows OpenAI's
// chat-completions shape; task events follow GET /api/v1/tasks/{id}/events). Requests and tasks
// are generated: see generated.ts.
import type { Task, TaskOutput, TaskStatus } from './generated.js';

/** A task whose output holds `kind` once it succeeded (images.create answers TaskOf<'images'>). */
export type TaskOf<K extends 'images' | 'videos' | 'audio'> = Omit<Task, 'output'> & { output: Extract<TaskOutput, Record<K, unknown>> | null };

/** A status change or progress report while a task runs (the final task is what wait() answers). */
export interface TaskEvent {
  type: 'queued' | 'running' | 'progress';
  task_id: string;
  /** 1, 2, 3... per task. */
  seq: number;
  status: TaskStatus;
  progress: number | null;
  created_at: string;
}

export interface WaitOptions {
  signal?: AbortSignal;
  /** Give up (AioError `wait_timeout`) after this long; the task goes on. Default: no limit. */
  timeoutMs?: number;
  /** Called for each status change and progress report. */
  onEvent?(event: TaskEvent): void;
  /** Polling interval when the server has no event stream; default 1000 ms. */
  pollIntervalMs?: number;
}

export interface TaskList {
  object: 'list';
  data: Task[];
  has_more: boolean;
}

export interface TaskListQuery {
  /** 1 to 100, default 20. */
  limit?: number;
  /** A task id: the page after it. */
  starting_after?: string;
  status?: TaskStatus;
  model?: string;
  type?: Task['type'];
}

/** A model of the public catalog (GET /api/v1/models); see the model page for its parameters. */
export interface Model {
  id: string;
  type: 'image' | 'video' | 'audio' | 'tool' | 'chat';
  name?: string;
  available?: boolean;
  /** The request fields the model takes. */
  parameters?: Array<{ name: string; type: string; required: boolean; default?: string | number | boolean; values?: Array<string | number>; description: string }>;
  [field: string]: unknown;
}

export type ChatContentPart = { type: 'text'; text: string } | { type: 'image_url'; image_url: { url: string; detail?: 'auto' | 'low' | 'high' } };

export interface ChatToolCall {
  id: string;
  type: 'function';
  function: { name: string; arguments: string };
}

export type ChatMessage =
  | { role: 'system' | 'developer'; content: string | ChatContentPart[]; name?: string }
  | { role: 'user'; content: string | ChatContentPart[]; name?: string }
  | { role: 'assistant'; content: string | null; tool_calls?: ChatToolCall[]; name?: string }
  | { role: 'tool'; content: string; tool_call_id: string };

export interface ChatRequest {
  /** A chat model id (GET /api/v1/models?type=chat). */
  model: string;
  messages: ChatMessage[];
  stream?: boolean;
  stream_options?: { include_usage?: boolean };
  max_completion_tokens?: number;
  /** Legacy name of max_completion_tokens. */
  max_tokens?: number;
  temperature?: number;
  top_p?: number;
  stop?: string | string[];
  tools?: Array<{ type: 'function'; function: { name: string; description?: string; parameters?: Record<string, unknown> } }>;
  tool_choice?: 'none' | 'auto' | 'required' | { type: 'function'; function: { name: string } };
}

export interface ChatUsage {
  prompt_tokens: number;
  completion_tokens: number;
  total_tokens: number;
  [detail: string]: unknown;
}

export interface ChatCompletion {
  id: string;
  object: 'chat.completion';
  created: number;
  model: string;
  choices: Array<{ index: number; message: { role: 'assistant'; content: string | null; tool_calls?: ChatToolCall[] }; finish_reason: string | null }>;
  usage?: ChatUsage;
}

export interface ChatCompletionChunk {
  id: string;
  object: 'chat.completion.chunk';
  created: number;
  model: string;
  choices: Array<{ index: number; delta: { role?: 'assistant'; content?: string | null; tool_calls?: Array<Partial<ChatToolCall> & { index: number }> }; finish_reason: string | null }>;
  usage?: ChatUsage | null;
}
