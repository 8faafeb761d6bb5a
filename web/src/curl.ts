// Request snippets: a curl that POSTs a JSON body.

/** A JSON body as a shell argument in single quotes. */
export function shellQuote(s: string): string {
  return `'${s.replace(/'/g, `'\\''`)}'`;
}

/** A `curl` that POSTs `body` to `endpoint` on `origin`, with extra headers (e.g. `Prefer: wait`). */
export function curlFor(origin: string, endpoint: string, body: Record<string, unknown>, opts: { key?: string; headers?: string[] } = {}): string {
  return [
    `curl -X POST ${origin}${endpoint} \\`,
    `  -H "Authorization: Bearer ${opts.key ?? 'aio_your_api_key'}" \\`,
    `  -H "Content-Type: application/json" \\`,
    ...(opts.headers ?? []).map((h) => `  -H "${h}" \\`),
    `  --data-raw ${shellQuote(JSON.stringify(body, null, 2))}`,
  ].join('\n');
}
