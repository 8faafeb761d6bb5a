// The one interface every upstream adapter implements. Adapters know nothing about
// billing, tasks or storage: they turn a normalised request into image bytes.

export type RenderingSpeed = 'TURBO' | 'BALANCED' | 'QUALITY';
export type OutputFormat = 'png' | 'jpeg' | 'webp';

export interface GenerateInput {
  /** Our task id, for logs and idempotency headers only. */
  taskId: string;
  /** Our public model id, e.g. `ideogram-v4`. */
  model: string;
  /** The provider's own model name, from the catalog (e.g. `ideogram-v4`, `gpt-image-1`). */
  upstreamModel: string;
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

export interface GeneratedImage {
  /** Raw image bytes in whatever format the upstream produced; the worker converts and crops. */
  data: Buffer;
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
}

export interface Provider {
  /** Provider id used in config, e.g. `ideogram`, `openai`, `local`. */
  readonly id: string;
  /** Whether the provider needs an API key / base URL to be usable. */
  readonly needsCredentials: boolean;
  generate(input: GenerateInput, ctx: ProviderContext): Promise<GeneratedImage[]>;
}
