import Type, { type Static } from 'typebox';

const Text = Type.String({ minLength: 1 });
const Faq = Type.Array(Type.Object({ q: Text, a: Text }, { additionalProperties: false }));

const Translation = Type.Object(
  {
    name: Type.Optional(Text),
    pitch: Type.Optional(Text),
    description: Type.Optional(Text),
    capabilities: Type.Optional(Type.Array(Text)),
    use_cases: Type.Optional(Type.Array(Text)),
    faq: Type.Optional(Faq),
  },
  { additionalProperties: false },
);

/**
 * What a model costs: `credits` per `unit` (decimals allowed, kept as micro-credits inside), and
 * optional named `rates` per unit that a request can select (e.g. `audio` for video with sound).
 * Which units a model may use is its modality's business, checked at start.
 */
const Price = Type.Object(
  {
    unit: Type.Union([Type.Literal('image'), Type.Literal('second'), Type.Literal('1k_characters'), Type.Literal('run'), Type.Literal('megapixel'), Type.Literal('1m_tokens')]),
    credits: Type.Number({ minimum: 0, maximum: 1_000_000 }),
    rates: Type.Optional(Type.Record(Type.String({ pattern: '^[a-z0-9_]+$' }), Type.Number({ minimum: 0, maximum: 1_000_000 }))),
  },
  { additionalProperties: false },
);

export const ModelSchema = Type.Object(
  {
    id: Type.String({ pattern: '^[a-z0-9][a-z0-9.-]*$' }),
    name: Text,
    provider: Text,
    type: Type.Union([Type.Literal('image'), Type.Literal('video'), Type.Literal('audio'), Type.Literal('tool'), Type.Literal('chat')]),
    upstream_model: Text,
    input_types: Type.Array(Text, { minItems: 1 }),
    price: Price,
    enabled: Type.Boolean(),
    pitch: Text,
    description: Text,
    /** The modality's own parameter block, checked against that modality's schema at start. */
    params: Type.Record(Type.String(), Type.Unknown()),
    capabilities: Type.Array(Text),
    use_cases: Type.Array(Text),
    faq: Faq,
    example_prompt: Type.Optional(Text),
    i18n: Type.Optional(Type.Record(Type.String(), Translation)),
  },
  { additionalProperties: false },
);

export const NodeSchema = Type.Object(
  {
    id: Type.String({ pattern: '^[a-z0-9][a-z0-9_-]*$' }),
    provider: Text,
    models: Type.Array(Text, { minItems: 1 }),
    concurrency: Type.Integer({ minimum: 1, maximum: 1000 }),
    priority: Type.Integer(),
    weight: Type.Integer({ minimum: 1 }),
    api_key_env: Type.Optional(Text),
    base_url_env: Type.Optional(Text),
  },
  { additionalProperties: false },
);

export const ProviderConfigSchema = Type.Object(
  {
    base_url: Type.Optional(Text),
    api_key: Type.Optional(Text),
    api_key_env: Type.Optional(Text),
    base_url_env: Type.Optional(Text),
  },
  { additionalProperties: false },
);

/** A credit pack sold through Stripe Checkout on the dashboard. */
export const PackSchema = Type.Object(
  {
    id: Type.String({ pattern: '^[a-z0-9][a-z0-9_-]*$' }),
    name: Text,
    credits: Type.Integer({ minimum: 1 }),
    amount_usd: Type.Number({ minimum: 0.5, maximum: 100000 }),
  },
  { additionalProperties: false },
);

export const CatalogSchema = Type.Object(
  {
    $comment: Type.Optional(Type.String()),
    providers: Type.Record(Type.String(), ProviderConfigSchema),
    nodes: Type.Array(NodeSchema),
    models: Type.Array(ModelSchema, { minItems: 1 }),
    packs: Type.Optional(Type.Array(PackSchema)),
  },
  { additionalProperties: false },
);

export type ModelConfig = Static<typeof ModelSchema>;
export type PriceConfig = Static<typeof Price>;
export type NodeConfig = Static<typeof NodeSchema>;
export type ProviderConfig = Static<typeof ProviderConfigSchema>;
export type CatalogFile = Static<typeof CatalogSchema>;
export type PackConfig = Static<typeof PackSchema>;
