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

const ModelParams = Type.Object(
  {
    size: Type.Object(
      {
        default: Text,
        values: Type.Record(Type.String(), Type.Tuple([Type.Integer({ minimum: 16 }), Type.Integer({ minimum: 16 })])),
      },
      { additionalProperties: false },
    ),
    rendering_speed: Type.Object(
      { default: Text, values: Type.Array(Type.Union([Type.Literal('TURBO'), Type.Literal('BALANCED'), Type.Literal('QUALITY')]), { minItems: 1 }) },
      { additionalProperties: false },
    ),
    output_format: Type.Object(
      { default: Text, values: Type.Array(Type.Union([Type.Literal('png'), Type.Literal('jpeg'), Type.Literal('webp')]), { minItems: 1 }) },
      { additionalProperties: false },
    ),
    seed: Type.Boolean(),
    negative_prompt: Type.Boolean(),
  },
  { additionalProperties: false },
);

export const ModelSchema = Type.Object(
  {
    id: Type.String({ pattern: '^[a-z0-9][a-z0-9.-]*$' }),
    name: Text,
    provider: Text,
    type: Type.Union([Type.Literal('image'), Type.Literal('video'), Type.Literal('audio'), Type.Literal('tool')]),
    upstream_model: Text,
    input_types: Type.Array(Text, { minItems: 1 }),
    price_credits: Type.Integer({ minimum: 0 }),
    enabled: Type.Boolean(),
    pitch: Text,
    description: Text,
    params: ModelParams,
    capabilities: Type.Array(Text),
    use_cases: Type.Array(Text),
    faq: Faq,
    example_prompt: Text,
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
export type NodeConfig = Static<typeof NodeSchema>;
export type ProviderConfig = Static<typeof ProviderConfigSchema>;
export type CatalogFile = Static<typeof CatalogSchema>;
export type PackConfig = Static<typeof PackSchema>;
