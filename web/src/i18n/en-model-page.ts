// English strings of a model's API page (loaded with that page; the lower part's come with it, in
// en-model-page-more.ts). zh-CN-model-page.ts has the keys of both.
import type { enModelPageMore } from './en-model-page-more';

export const enModelPage = {
  model_badge_live: '{type} API · Live',
  model_badge_test_only: '{type} API · Test only',
  model_unavailable: 'Live requests to this model are not available on this server right now. Test keys (aio_test_…) work: they run it on the built-in engine and cost nothing.',
  model_h1: '{id} API',
  model_try: 'Try it in the playground',
  model_get_key: 'Get an API key',
  fact_model_id: 'Model ID',
  fact_model_id_note: 'The “model” field of the request body.',
  fact_endpoint: 'Endpoint',
  fact_endpoint_note: 'POST with a JSON body. Every model of this type shares this route.',
  fact_output: 'Output',
  fact_input_types: 'Input types: {types}',
  fact_auth: 'Authentication',
  fact_auth_value: 'Bearer API key',
  fact_auth_note: 'Keys are created and managed in the dashboard.',
  fact_webhook: 'Webhook',
  fact_webhook_value: 'Not needed',
  fact_webhook_note: 'This route does not rely on webhooks: poll the task, or send “Prefer: wait”.',
  caps_title: 'Capabilities',
  caps_lead: 'What this model does on this API today.',
  params_title: 'Parameters',
  example_title: 'Example request',
  output_title: 'Output',
  steps_title: 'Integration in three steps',
  status_title: 'Task status',
  price_title: 'Price',
  use_cases_title: 'Use cases',
  faq_title: 'FAQ',
  model_not_found: 'There is no model “{id}”. It may have been renamed or disabled.',
  all_models: 'All models',
  on_this_page: 'On this page',
  breadcrumb: 'Breadcrumb',
};

export type ModelPageMessageKey = keyof typeof enModelPage | keyof typeof enModelPageMore;
export type ModelPageMessages = Record<ModelPageMessageKey, string>;
