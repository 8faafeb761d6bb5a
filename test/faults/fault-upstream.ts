// A fake Ideogram (the generate route of /work/shared/spec/upstreams.md: `Api-Key`, multipart
// form, temporary image URLs) that fails the way real upstreams do, chosen per request by the
// prompt, so many tasks with different faults can run at once:
//
//   "FAULT:<mode>x<n> ..."  the first n generate calls for this prompt fail with <mode>, later ones succeed
//
// Modes: `500` (a gateway error page), `429` (with Retry-After), `hang` (never answers: the
// adapter's timeout ends it), `reset` (200, but the image download sends half its bytes and the
// connection is reset), `html` (200, and the "image" is an HTML page labelled image/png),
// `404` (200, and the image URL answers 404). Any other prompt succeeds.
import type http from 'node:http';
import { randomUUID } from 'node:crypto';
import { makeImage, sendJson, sendText, startFake, type FakeUpstream, type RecordedRequest } from '../fakes/http-helpers.js';

export const FAULT_MODES = ['500', '429', 'hang', 'reset', 'html', '404'] as const;
export type FaultMode = (typeof FAULT_MODES)[number];

export interface FaultUpstream extends FakeUpstream {
  /** Generate calls made so far for the prompt. */
  calls(prompt: string): number;
  /** All generate calls. */
  generateCalls(): number;
  /** Generate calls waiting on `hang` right now. */
  hanging(): number;
}

/** The prompt that makes the first `n` calls fail with `mode`; `tag` keeps prompts apart. */
export const faultPrompt = (mode: FaultMode, n: number, tag: string) => `FAULT:${mode}x${n} ${tag}`;

export async function startFaultUpstream(): Promise<FaultUpstream> {
  // One real 2048x2048 PNG (ideogram-v4's 1:1 size), so a good answer needs no conversion.
  const png = await makeImage(2048, 2048, 'png', 7);
  const perPrompt = new Map<string, number>();
  const hung = new Set<http.ServerResponse>();
  const media = new Map<string, 'ok' | 'reset' | 'html' | '404'>();
  let total = 0;
  let base = '';

  const core = await startFake({
    keyPrefix: 'ideo_',
    errorBody: (status) => (status >= 500 ? '<html><body>Internal Server Error</body></html>' : undefined),
    rateLimited: (res) => sendText(res, 429, 'Too Many Requests'),
    handle,
  });
  base = core.fake.url;
  const fake = Object.assign(core.fake, {
    calls: (prompt: string) => perPrompt.get(prompt) ?? 0,
    generateCalls: () => total,
    hanging: () => hung.size,
  }) as FaultUpstream;
  const close = fake.close;
  fake.close = async () => {
    for (const res of hung) res.destroy();
    await close();
  };
  return fake;

  async function handle(req: http.IncomingMessage, res: http.ServerResponse, rec: RecordedRequest): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://fake');
    if (url.pathname.startsWith('/media/')) return serveMedia(url.pathname.slice('/media/'.length), res);
    if (req.method !== 'POST' || url.pathname !== '/v1/ideogram-v4/generate') return sendText(res, 404, 'Not Found');
    if (req.headers['api-key'] !== fake.apiKey) return sendText(res, 401, 'Unauthorized');
    const form = await formOf(rec, res);
    const prompt = form?.get('text_prompt');
    if (typeof prompt !== 'string') return sendJson(res, 400, { error: 'text_prompt is required' });
    total++;
    const call = (perPrompt.get(prompt) ?? 0) + 1;
    perPrompt.set(prompt, call);
    const fault = /^FAULT:(\w+)x(\d+)/.exec(prompt);
    const mode = fault && call <= Number(fault[2]) ? (fault[1] as FaultMode) : 'ok';
    switch (mode) {
      case '500':
        return sendText(res, 500, '<html><body>Internal Server Error</body></html>', 'text/html');
      case '429':
        res.writeHead(429, { 'Retry-After': '1', 'Content-Type': 'text/plain' });
        return void res.end('Too Many Requests');
      case 'hang':
        hung.add(res);
        res.on('close', () => hung.delete(res));
        return;
      default: {
        const id = randomUUID();
        media.set(id, mode === 'ok' ? 'ok' : (mode as 'reset' | 'html' | '404'));
        const seed = 1000 + call;
        sendJson(res, 200, { created: new Date().toISOString(), response_type: 'url', data: [{ url: `${base}/media/${id}`, prompt, resolution: '2048x2048', is_image_safe: true, seed }] });
      }
    }
  }

  function serveMedia(id: string, res: http.ServerResponse): void {
    const kind = media.get(id);
    if (!kind || kind === '404') return sendText(res, 404, 'Not Found');
    if (kind === 'html') return sendText(res, 200, '<!doctype html><html><body><h1>Image moved</h1></body></html>', 'image/png');
    if (kind === 'ok') {
      res.writeHead(200, { 'Content-Type': 'image/png', 'Content-Length': png.length });
      return void res.end(png);
    }
    // Half the promised bytes, then the connection is reset.
    res.writeHead(200, { 'Content-Type': 'image/png', 'Content-Length': png.length });
    res.write(png.subarray(0, Math.floor(png.length / 2)), () => setTimeout(() => res.socket?.resetAndDestroy(), 20));
  }
}

async function formOf(rec: RecordedRequest, res: http.ServerResponse): Promise<FormData | undefined> {
  try {
    return await new Request('http://fake/', { method: 'POST', headers: { 'content-type': String(rec.headers['content-type'] ?? '') }, body: new Uint8Array(rec.raw) }).formData();
  } catch {
    sendJson(res, 400, { error: 'expected a multipart/form-data body' });
    return undefined;
  }
}
