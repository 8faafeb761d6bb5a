// What a modality (image, video, audio, tool) owns, as the core sees it. The core (tasks, ledger,
// submit, dispatch, runner, HTTP) handles opaque, schema-validated input and output and asks the
// slice for everything else. The core resolves the model first and hands the slice its config.
import type { TSchema } from 'typebox';
import type { ModelConfig } from '../config/catalog-schema.js';
import type { OperationName, Provider, ProviderContext } from '../providers/types.js';
import type { Storage } from '../storage/types.js';
import type { ModalityType, ParameterView } from './parameter-view.js';

export type { ModalityType, ParameterView };

/** How much of the model's price unit an input costs, and at which of its rates. */
export interface PriceQuote {
  /** Units of `model.price.unit`, e.g. 5 (seconds) or 1.2 (thousands of characters). */
  quantity: number;
  /** A named rate from `model.price.rates` (e.g. `audio`); the base rate when absent. */
  rate?: string;
}

/** Everything a slice may use while running a task on a worker. */
export interface ExecuteArgs<I> {
  taskId: string;
  input: I;
  model: ModelConfig;
  provider: Provider;
  ctx: ProviderContext;
  storage: Storage;
  /** Operator settings a slice may need (e.g. whether private URLs may be fetched). */
  settings: { allowPrivateUrls: boolean; maxInputBytes: number };
  /** A file the task's owner uploaded (POST /api/v1/files), or null when there is none. */
  readUpload?(fileId: string): Promise<{ data: Buffer; contentType: string } | null>;
}

export interface ExecuteResult<O> {
  /** Stored, verified media: `{images|videos|audio: [...]}` with `path` (and `thumbnail_path`) fields. */
  output: O;
  /** The units actually delivered, when they can be less than quoted (captured; the rest released). */
  quantity?: number;
}

export interface Modality<I extends { model: string } = { model: string }, O = unknown> {
  readonly type: ModalityType;
  /** The native route, e.g. `/api/v1/videos/generations`. */
  readonly endpoint: string;
  /** Summary for the OpenAPI document and the docs, e.g. 'Create a video generation task'. */
  readonly summary: string;
  /** Schema of a model's `params` block in the catalog (checked at start). */
  readonly paramsSchema: TSchema;
  /** What the schema cannot say about a params block (defaults among values...): one line a problem. */
  checkParams?(params: unknown): string[];
  /** The price units its models may use, e.g. ['second']. */
  readonly units: readonly string[];
  /** Schema of `output` in a finished task. */
  readonly outputSchema: TSchema;
  /** The request body schema for these models: route validation, OpenAPI, playground. */
  requestSchema(models: ModelConfig[]): TSchema;
  /** Per-model checks and defaults, after the schema passed. Throws AppError(400) naming the param. */
  parse(body: Record<string, unknown>, model: ModelConfig): I;
  /** The operation a provider must offer to serve this model. */
  operation(model: ModelConfig): OperationName;
  /** What this input costs at most, held at submit. */
  quote(input: I, model: ModelConfig): PriceQuote;
  /** What the model page, the playground and the docs show. */
  parameters(model: ModelConfig): ParameterView[];
  /** An example request body for the model page and the docs. */
  example(model: ModelConfig): Record<string, unknown>;
  /** Extra fields of the public model view (e.g. an image model's pixel sizes). */
  describe?(model: ModelConfig): Record<string, unknown>;
  /** Runs the provider's operation and turns its bytes into verified, stored media. */
  execute(args: ExecuteArgs<I>): Promise<ExecuteResult<O>>;
}
