// The early check of an input image URL at submit (the fetch itself happens on the worker): a
// scheme we fetch, and a well-formed URL, so a typo is a 400 now rather than a failed task later.
import { invalidParam } from '../../lib/app-error.js';

const UPLOAD = /^aio-file:\/\/[A-Za-z0-9_-]{1,128}\/?$/i;

export function checkImageUrl(raw: string, param: string): string {
  const url = raw.trim();
  if (/^data:image\/[a-z0-9.+-]+;base64,/i.test(url) || UPLOAD.test(url)) return url;
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw invalidParam(param, `'${param}' is not a URL. Give an https:// URL, a data:image/...;base64 URL, or the URL of a file uploaded with POST /api/v1/files.`);
  }
  if (parsed.protocol !== 'https:' && parsed.protocol !== 'http:') throw invalidParam(param, `'${param}' must be an http(s) URL or a data: URL, not ${parsed.protocol}.`);
  if (parsed.username || parsed.password) throw invalidParam(param, `'${param}' must not carry a user name or password.`);
  return url;
}
