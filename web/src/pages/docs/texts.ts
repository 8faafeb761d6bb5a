// The docs page's prose in English (Chinese: texts-zh.ts, loaded when the page is in Chinese).
// `code` in backticks is shown as code. The endpoint reference comes from the OpenAPI document.
import type { Lang } from '../../i18n';
import type { DocsRefText } from './texts-ref';

export const DOCS_EN = {
  title: 'API documentation',
  lead: 'The whole HTTP API of this server, rendered from its OpenAPI document (`/api/v1/openapi.json`): the same schemas the server checks every request against.',
  toc: 'On this page',
  guides: 'Guides',
  base_title: 'Base URL',
  base_body: 'The API is at `{api}`. OpenAI- and Anthropic-compatible routes are at `{v1}`. Everything is JSON in and JSON out, except file uploads (multipart) and media files.',
  auth_title: 'Authentication',
  auth_body: [
    'Send your API key in the `Authorization` header: `Authorization: Bearer aio_...` (Anthropic clients may send `x-api-key` instead). Create keys on the dashboard’s API keys page; a key’s secret is shown once, when it is created or rolled.',
    'A live key (`aio_...`) runs the real models and spends credits. A test key (`aio_test_...`) runs every model on the built-in engines for free: see Test mode.',
    'A key may be limited to some models (`403 model_not_allowed`), to a number of credits (`402 key_credit_limit_reached`), or expire (`401 api_key_expired`). The catalog (`GET /api/v1/models`) and this document need no key.',
  ],
  errors_title: 'Errors and codes',
  errors_body: [
    'Every error has the same shape. `code` is stable: branch on it. `message` is written for people and may change; `param` names the request field at fault.',
    'A task that fails after it was created is not an HTTP error: the task ends `failed` with an `error` of the same `{code, message}` shape (for example `upstream_timeout`, `content_policy_violation`), and its credits come back.',
  ],
  errors_status: 'Status',
  errors_meaning: 'Meaning',
  errors_codes: 'Codes',
  tasks_title: 'Tasks and their lifecycle',
  tasks_body: [
    'Images, video, audio and tools are tasks. A POST creates one and answers `202` with the task, `"status": "queued"`. It then runs (`running`, with `progress` from 0 to 100 where the model reports it) and ends `succeeded` (its `output` holds the files), `failed` (`error` says why) or `canceled`.',
    'Its price is held when it is created (`402` and no task when the credits are short) and charged only when it succeeds; a failed or canceled task costs nothing. `cost.credits` is the held price while it runs, then what was charged.',
    'Follow a task by polling `GET /api/v1/tasks/{id}`, with the event stream `GET /api/v1/tasks/{id}/events` (Server-Sent Events), with a webhook, or by waiting in the create call with `Prefer: wait`. Media files are served from this server: fetch each from its `url`.',
  ],
  wait_title: 'Prefer: wait',
  wait_body: [
    'Add `Prefer: wait` (up to 60 seconds) or `Prefer: wait=N` (N seconds, at most 60) to a create call, and the answer waits for the task: `200` with the finished task when it ended in time, else `202` with the task as it is then. Keep polling its `id` in that case.',
  ],
  idem_title: 'Idempotency',
  idem_body: [
    'Send `Idempotency-Key: <a unique id>` with a create call to retry it safely. The first answer is kept for 24 hours and replayed for a retry with the same body (with the header `Idempotent-Replayed: true`), so a task is never made twice.',
    'The same key with another body is `422 idempotency_key_reused`; a retry while the first request is still running is `409 idempotency_request_in_progress`. Test and live keys have separate idempotency keys.',
  ],
  test_title: 'Test mode',
  test_body: [
    'A test key (`aio_test_...`) runs every check a live key runs (parameters, model allow-list, rate limit), but each task runs on the built-in engine of its type (posters, animated video, speech, music, upscaling, cut-out) and costs nothing. The results are real media files, so an integration can be built and tested end to end.',
    'Test and live are kept apart: a test key sees only test tasks, files and webhook endpoints, and its tasks say `"livemode": false`. Models marked “Test only” on this server have no live upstream set up yet; test keys still run them.',
  ],
  endpoints_title: 'Endpoints',
  endpoints_lead: 'Every route of the OpenAPI document. The examples read your key from the `AIO_API_KEY` environment variable.',
  /** What each status of the error table means. */
  errors: {
    '400': 'The request is not valid: a parameter is missing, unknown or out of range, or the model does not exist here.',
    '401': 'No key, or the key is not valid, revoked or expired.',
    '402': 'Not enough credits (on the account, or under the key’s limit). No task was made.',
    '403': 'The key may not use this model, or the account is disabled.',
    '404': 'No such task, model, file or route for this key.',
    '409': 'The task can no longer be canceled, or a request with this Idempotency-Key is still running.',
    '413 / 415': 'The body is too large, or not JSON.',
    '422': 'The Idempotency-Key was used with another body.',
    '429': 'Too many requests for this key: wait for the seconds in Retry-After.',
    '503': 'The model cannot run live requests right now (test keys still work).',
  } as Record<string, string>,
  /** Titles of the endpoint groups. */
  groups: {
    image: 'Images',
    video: 'Video',
    audio: 'Audio',
    tool: 'Tools',
    tasks: 'Tasks',
    files: 'Files',
    webhooks: 'Webhooks',
    chat: 'Chat',
    openai: 'OpenAI-compatible',
    catalog: 'Catalog',
    admin: 'Administration',
    other: 'Other',
  } as Record<string, string>,
};

export type DocsText = typeof DOCS_EN;

/** The docs' texts in `lang` (Chinese is a separate download). */
export async function loadDocsText(lang: Lang): Promise<{ guide: DocsText; ref?: DocsRefText }> {
  if (lang !== 'zh-CN') return { guide: DOCS_EN };
  const zh = await import('./texts-zh');
  return { guide: zh.DOCS_ZH, ref: zh.DOCS_REF_ZH };
}

/** Every error code a client can get, by HTTP status (their meanings are in the texts). */
export const ERROR_CODES: [string, string[]][] = [
  ['400', ['invalid_json', 'invalid_request_body', 'missing_parameter', 'invalid_parameter', 'unknown_parameter', 'unsupported_parameter', 'model_not_found', 'model_disabled', 'url_not_allowed', 'webhook_endpoint_required', 'webhook_endpoint_limit_reached']],
  ['401', ['missing_api_key', 'invalid_api_key', 'api_key_revoked', 'api_key_expired']],
  ['402', ['insufficient_credits', 'key_credit_limit_reached']],
  ['403', ['model_not_allowed', 'account_disabled']],
  ['404', ['task_not_found', 'model_not_found', 'route_not_found', 'file_not_found', 'webhook_endpoint_not_found']],
  ['409', ['task_not_cancelable', 'idempotency_request_in_progress']],
  ['413 / 415', ['request_too_large', 'unsupported_media_type']],
  ['422', ['idempotency_key_reused']],
  ['429', ['rate_limit_exceeded']],
  ['503', ['model_unavailable']],
];

/** The endpoint groups, in the order the page shows them (titles in the texts). */
export const GROUP_ORDER = ['image', 'video', 'audio', 'tool', 'tasks', 'files', 'webhooks', 'chat', 'openai', 'catalog', 'admin', 'other'];
