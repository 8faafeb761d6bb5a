// OpenAI text-to-speech: `POST /v1/audio/speech`, Bearer key, JSON body, synchronous answer whose
// body is the audio itself (`Content-Type` of the format asked for); errors in OpenAI's envelope.
import type { Operation, ProducedMedia, SpeechOpInput } from '../types.js';
import { UpstreamError } from '../errors.js';
import { readBytes, upstreamFetch } from '../http.js';
import { NAME, openaiHeaders } from './client.js';

export function buildSpeechBody(input: SpeechOpInput): Record<string, unknown> {
  return {
    model: input.upstreamModel,
    input: input.text,
    voice: input.voice,
    response_format: input.format,
    speed: input.speed,
    // Only gpt-4o-mini-tts takes instructions: the catalog offers them on that model alone.
    ...(input.instructions ? { instructions: input.instructions } : {}),
  };
}

export const generateSpeech: Operation<SpeechOpInput, ProducedMedia> = async (input, ctx) => {
  const url = `${ctx.credentials.baseUrl}/v1/audio/speech`;
  const res = await upstreamFetch(NAME, url, { method: 'POST', headers: openaiHeaders(ctx), body: JSON.stringify(buildSpeechBody(input)) }, ctx);
  const contentType = res.headers.get('content-type')?.split(';')[0]?.trim().toLowerCase() || undefined;
  const data = await readBytes(NAME, res, ctx);
  // A 200 carrying JSON or text (a proxy's page, an error in the wrong status) is not audio.
  if (contentType && /^(application\/json|text\/)/.test(contentType))
    throw new UpstreamError('upstream_bad_response', `${NAME} answered speech with ${contentType} instead of audio`, { retryable: true });
  if (data.length === 0) throw new UpstreamError('upstream_bad_response', `${NAME} answered speech with an empty body`, { retryable: true });
  return { data, contentType };
};
