// The contract between the platform and upstream adapters. A provider offers one operation per
// kind of work (image, video, speech, music, tool), one file each under `providers/<name>/`.
// Adapters know nothing about billing, tasks or storage: they turn a normalised request into
// media bytes (downloaded at once: upstream links expire), and classify failures as UpstreamError.

import type { ChatOperation } from './chat-types.js';

export type * from './chat-types.js';

export type RenderingSpeed = 'TURBO' | 'BALANCED' | 'QUALITY';
export type OutputFormat = 'png' | 'jpeg' | 'webp';
export type AudioFormat = 'mp3' | 'wav' | 'opus' | 'aac' | 'flac';

/** What every operation input carries. */
export interface OperationBase {
  /** Our task id, for logs and idempotency headers only. */
  taskId: string;
  /** Our public model id, e.g. `kling-v2.6-pro`. */
  model: string;
  /** The provider's own model name (or path, for fal), from the catalog. */
  upstreamModel: string;
}

export interface ImageOpInput extends OperationBase {
  prompt: string;
  /** Our ratio name, e.g. `16:9`. */
  size: string;
  /** The exact pixel size the catalog promises for `size`. */
  width: number;
  height: number;
  renderingSpeed: RenderingSpeed;
  outputFormat: OutputFormat;
  seed?: number;
  negativePrompt?: string;
}

/** An input image already fetched (and checked) by the platform: adapters never fetch client URLs. */
export interface InputImage {
  data: Buffer;
  contentType: string;
  width: number;
  height: number;
}

export interface VideoOpInput extends OperationBase {
  prompt: string;
  durationS: number;
  aspectRatio: '16:9' | '9:16' | '1:1';
  /** The exact pixel size we deliver (the worker checks the upstream's file against it). */
  width: number;
  height: number;
  resolution?: '720p' | '1080p';
  /** Image-to-video: the first frame. */
  image?: InputImage;
  negativePrompt?: string;
  seed?: number;
  audio?: boolean;
}

export interface SpeechOpInput extends OperationBase {
  text: string;
  voice: string;
  format: AudioFormat;
  speed: number;
  instructions?: string;
}

export interface MusicOpInput extends OperationBase {
  prompt: string;
  durationS: number;
  instrumental: boolean;
  seed?: number;
  format: AudioFormat;
}

export type ToolName = 'remove-background' | 'upscale';

export interface ToolOpInput extends OperationBase {
  tool: ToolName;
  image: InputImage;
  /** Upscale factor (upscale only). */
  scale?: number;
  prompt?: string;
  seed?: number;
}

/** Bytes the upstream produced, in whatever container it chose; the modality verifies and converts. */
export interface ProducedMedia {
  data: Buffer;
  contentType?: string;
  /** The seed the upstream reports having used, when it reports one. */
  seed?: number;
}

export interface ProviderCredentials {
  apiKey?: string;
  baseUrl?: string;
}

export interface ProviderContext {
  signal: AbortSignal;
  credentials: ProviderCredentials;
  /** Per-call upstream timeout in milliseconds. */
  timeoutMs: number;
  log: { info(obj: object, msg?: string): void; warn(obj: object, msg?: string): void };
  /** The operator's first delay between status polls of a long job (AIO_POLL_MS), if set. */
  pollMs?: number;
  /** Where the upstream says it is (0-100), for long jobs; optional to call. */
  progress?(percent: number): void;
  /** True once the client asked to cancel: a queue-style adapter cancels upstream and throws UpstreamCanceled. */
  cancelRequested?(): Promise<boolean>;
  /**
   * Keeps a value with the task (e.g. the upstream's request id) before the adapter waits on it,
   * so that after a crash the next attempt resumes that request instead of paying for another;
   * null forgets it. `recall` answers what an earlier attempt kept.
   */
  remember?(key: string, value: unknown): Promise<void>;
  recall?(key: string): unknown;
}

export type Operation<I, O> = (input: I, ctx: ProviderContext) => Promise<O>;

/** The operations a provider may offer, by name. A model's modality says which one it needs. */
export interface ProviderOperations {
  image?: Operation<ImageOpInput, ProducedMedia[]>;
  video?: Operation<VideoOpInput, ProducedMedia>;
  speech?: Operation<SpeechOpInput, ProducedMedia>;
  music?: Operation<MusicOpInput, ProducedMedia>;
  tool?: Operation<ToolOpInput, ProducedMedia[]>;
  /** Chat is direct (no task): a stream of events (src/providers/chat-types.ts). */
  chat?: ChatOperation;
}

export type OperationName = keyof ProviderOperations;

/** What a connection test found, in words an operator reads on the admin page. */
export interface CheckResult {
  ok: boolean;
  /** e.g. "Connected: the key was accepted (42 models listed)." or "The key was refused (401)." */
  message: string;
  /** The upstream's HTTP status, when it answered. */
  status?: number;
}

/** What a connection test gets besides the credentials. */
export interface CheckContext {
  signal: AbortSignal;
  timeoutMs: number;
}

/**
 * One cheap, real call that shows whether the credentials work (e.g. listing models), costing
 * nothing upstream. Never throws: network failures and refusals are results too.
 */
export type CheckOperation = (credentials: ProviderCredentials, ctx: CheckContext) => Promise<CheckResult>;

export interface Provider {
  /** Provider id used in config, e.g. `ideogram`, `openai`, `local`. */
  readonly id: string;
  /** Whether the provider needs an API key / base URL to be usable. */
  readonly needsCredentials: boolean;
  readonly operations: ProviderOperations;
  /** The connection test of the admin pages (credentials in `ctx.credentials`). */
  readonly check?: CheckOperation;
}
