// The endpoint reference's words in English (with the reference's chunk; Chinese in texts-zh.ts).
export const DOCS_REF_EN = {
  no_key: 'No API key needed.',
  params: 'Parameters',
  body: 'Request body',
  field: 'Field',
  where: 'In',
  type: 'Type',
  required: 'Required',
  description: 'Description',
  yes: 'yes',
  example: 'Example request',
  responses: 'Responses',
  finished: 'The finished task (the answer with `Prefer: wait`, or `GET /api/v1/tasks/{id}` once it has ended):',
  models_of: 'Models on this endpoint: {list}.',
  loading: 'Loading the API document…',
  copy: 'Copy',
  values: 'one of {list}',
  range: '{min} to {max}',
  max_length: 'at most {n} characters',
  /** Summaries of the routes by "METHOD path", where they differ from the document's own (English). */
  summaries: {} as Record<string, string>,
};

export type DocsRefText = typeof DOCS_REF_EN;
