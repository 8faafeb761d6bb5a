// What stands in front of the dashboard routes: the session cookie, the CSRF token, the Origin
// check and the admin check. Scopes install them as hooks, so no route can forget one.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { AppError } from '../../../lib/app-error.js';
import { SESSION_TTL_MS, sameSecret, type Session, type SessionService } from '../../../services/sessions.js';
import type { User } from '../../../services/users.js';

export const SESSION_COOKIE = 'aio_session';
export const CSRF_COOKIE = 'aio_csrf';
export const CSRF_HEADER = 'x-csrf-token';

export interface SignedIn {
  user: User;
  session: Session;
}

const signedIn = new WeakMap<FastifyRequest, SignedIn>();

const STATE_CHANGING = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);
export const isStateChanging = (req: FastifyRequest) => STATE_CHANGING.has(req.method);

/** `{id, email, is_admin, created_at}`: a user as the dashboard shows them to themselves. */
export function presentUser(u: User) {
  return { id: u.id, email: u.email, is_admin: u.is_admin === 1, created_at: u.created_at };
}

export const notSignedIn = () => new AppError(401, 'not_signed_in', 'You are not signed in, or your session has ended. Sign in again.');
export const accountDisabled = () => new AppError(403, 'account_disabled', 'This account is disabled. Contact the operator.');
const csrfFailed = (why: string) => new AppError(403, 'csrf_failed', `This request was refused to protect your account: ${why} Reload the page and try again.`);

/**
 * Refuses a request whose `Origin` names another site. Browsers send Origin on cross-site
 * requests (and on same-origin POSTs); its host must be this server's host, or PUBLIC_URL's.
 */
export function checkOrigin(req: FastifyRequest, publicUrl?: string): void {
  const origin = req.headers.origin;
  if (origin === undefined) return;
  let host: string;
  try {
    host = new URL(origin).host;
  } catch {
    throw csrfFailed('it came from another site.');
  }
  const allowed = [req.host, publicUrl ? new URL(publicUrl).host : undefined];
  if (!host || !allowed.includes(host)) throw csrfFailed('it came from another site.');
}

/** The `x-csrf-token` header must equal both the `aio_csrf` cookie and the session's own token. */
export function checkCsrf(req: FastifyRequest, session: Session): void {
  const header = req.headers[CSRF_HEADER];
  const sent = Array.isArray(header) ? header[0] : header;
  if (!sent) throw csrfFailed(`the ${CSRF_HEADER} header is missing.`);
  if (!sameSecret(sent, req.cookies[CSRF_COOKIE]) || !sameSecret(sent, session.csrf_token)) throw csrfFailed(`the ${CSRF_HEADER} header does not match.`);
}

/** The session of the `aio_session` cookie (401 without one, 403 for a disabled account). */
export async function resolveSession(req: FastifyRequest, sessions: SessionService): Promise<SignedIn> {
  const known = signedIn.get(req);
  if (known) return known;
  const found = await sessions.resolve(req.cookies[SESSION_COOKIE]);
  if (!found) throw notSignedIn();
  if (found.user.disabled) throw accountDisabled();
  signedIn.set(req, found);
  return found;
}

/** The signed-in user of a request that passed the guard hooks. */
export function auth(req: FastifyRequest): SignedIn {
  const found = signedIn.get(req);
  if (!found) throw notSignedIn();
  return found;
}

export interface GuardOptions {
  sessions: SessionService;
  publicUrl?: string;
  admin?: boolean;
}

/** Installs on `scope`: Origin check, then session, then CSRF on state-changing methods, then admin. */
export function guardScope(scope: FastifyInstance, opts: GuardOptions): void {
  scope.addHook('onRequest', async (req) => {
    const changing = isStateChanging(req);
    if (changing) checkOrigin(req, opts.publicUrl);
    const { session, user } = await resolveSession(req, opts.sessions);
    if (changing) checkCsrf(req, session);
    if (opts.admin && !user.is_admin) throw new AppError(403, 'admin_only', 'Only administrators can do this.');
  });
}

function cookieOptions(req: FastifyRequest) {
  return { path: '/', sameSite: 'lax' as const, secure: req.protocol === 'https' };
}

export function setSessionCookies(req: FastifyRequest, reply: FastifyReply, token: string, csrf: string): void {
  const maxAge = Math.floor(SESSION_TTL_MS / 1000);
  reply.setCookie(SESSION_COOKIE, token, { ...cookieOptions(req), httpOnly: true, maxAge });
  reply.setCookie(CSRF_COOKIE, csrf, { ...cookieOptions(req), httpOnly: false, maxAge });
}

export function setCsrfCookie(req: FastifyRequest, reply: FastifyReply, csrf: string, expiresAt: string): void {
  const maxAge = Math.max(0, Math.floor((Date.parse(expiresAt) - Date.now()) / 1000));
  reply.setCookie(CSRF_COOKIE, csrf, { ...cookieOptions(req), httpOnly: false, maxAge });
}

export function clearSessionCookies(req: FastifyRequest, reply: FastifyReply): void {
  reply.clearCookie(SESSION_COOKIE, { ...cookieOptions(req), httpOnly: true });
  reply.clearCookie(CSRF_COOKIE, cookieOptions(req));
}
