// Signing up, in and out, the session, and changing the password.
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { AppError } from '../../../lib/app-error.js';
import { randomToken } from '../../../lib/ids.js';
import { hashPassword, verifyPassword } from '../../../lib/passwords.js';
import type { Attempt } from '../../../services/login-throttle.js';
import type { DashboardDeps } from './deps.js';
import { readBody, requiredString } from './input.js';
import {
  CSRF_COOKIE,
  SESSION_COOKIE,
  accountDisabled,
  checkCsrf,
  checkOrigin,
  clearSessionCookies,
  isStateChanging,
  presentUser,
  resolveSession,
  setCsrfCookie,
  setSessionCookies,
} from './session-guard.js';

const MAX_PASSWORD = 1024;

// Checked against when the email is unknown, so a wrong email takes as long as a wrong password.
let dummyHash: Promise<string> | undefined;
const dummy = () => (dummyHash ??= hashPassword(randomToken(24)));

const invalidCredentials = () => new AppError(401, 'invalid_credentials', 'The email or password is not right.');

/** A request that fails for a reason other than a wrong guess gives its throttle slot back. */
async function guarded<T>(attempt: Attempt, run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (err) {
    await attempt.release();
    throw err;
  }
}

function meta(req: FastifyRequest) {
  const ua = req.headers['user-agent'];
  return { ip: req.ip, userAgent: typeof ua === 'string' ? ua : undefined };
}

export function authRoutes(app: FastifyInstance, d: DashboardDeps): void {
  const { platform, sessions, loginThrottle, signupThrottle } = d;
  const publicUrl = platform.settings.publicUrl;
  const signupsPerHour = platform.settings.signupLimitPerHour;

  // Signing in from another site's page is refused too (login CSRF).
  app.addHook('onRequest', async (req) => {
    if (isStateChanging(req)) checkOrigin(req, publicUrl);
  });

  app.post('/api/auth/signup', async (req, reply) => {
    const body = readBody(req.body, ['email', 'password']);
    const email = requiredString(body, 'email', 254);
    const password = requiredString(body, 'password', MAX_PASSWORD);
    // Per address, counted before the password is hashed; input refused as invalid does not count.
    const attempt = signupsPerHour > 0 ? await signupThrottle.reserve(req.ip, undefined) : undefined;
    let user;
    try {
      user = await platform.users.create({ email, password });
    } catch (err) {
      if (err instanceof AppError && err.status === 400) await attempt?.release();
      // Two signups for one email at once: the database's unique index decides.
      if (!(err instanceof AppError) && (await platform.users.findByEmail(email)))
        throw new AppError(409, 'email_taken', 'An account for that email already exists.', { param: 'email' });
      throw err;
    }
    const { token, session } = await sessions.create(user.id, meta(req));
    setSessionCookies(req, reply, token, session.csrf_token);
    return reply.status(201).send({ user: presentUser(user), csrf_token: session.csrf_token });
  });

  app.post('/api/auth/login', async (req, reply) => {
    const body = readBody(req.body, ['email', 'password']);
    const email = requiredString(body, 'email', 254).trim().toLowerCase();
    const password = requiredString(body, 'password', MAX_PASSWORD);
    // The slot is taken before the slow hash, so a parallel burst gets at most the limit checked.
    const attempt = await loginThrottle.reserve(email, req.ip);
    const { user, ok } = await guarded(attempt, async () => {
      const found = await platform.users.findByEmail(email);
      return { user: found, ok: await verifyPassword(password, found?.password_hash ?? (await dummy())) };
    });
    if (!user || !user.password_hash || !ok) throw invalidCredentials();
    await attempt.succeed();
    if (user.disabled) throw accountDisabled();
    const { token, session } = await sessions.create(user.id, meta(req));
    setSessionCookies(req, reply, token, session.csrf_token);
    return { user: presentUser(user), csrf_token: session.csrf_token };
  });

  app.post('/api/auth/logout', async (req, reply) => {
    const token = req.cookies[SESSION_COOKIE];
    const found = await sessions.resolve(token);
    if (found) {
      checkCsrf(req, found.session);
      await sessions.destroy(token);
    }
    clearSessionCookies(req, reply);
    return reply.status(204).send();
  });

  app.get('/api/auth/session', async (req, reply) => {
    // Signed out is an answer here, not an error: every page load asks.
    const found = await resolveSession(req, sessions).catch((err: unknown) => {
      if (err instanceof AppError && err.code === 'not_signed_in') return null;
      throw err;
    });
    if (!found) return { user: null, csrf_token: null };
    const { user, session } = found;
    // A browser that lost the readable cookie gets it back.
    if (req.cookies[CSRF_COOKIE] !== session.csrf_token) setCsrfCookie(req, reply, session.csrf_token, session.expires_at);
    return { user: presentUser(user), csrf_token: session.csrf_token };
  });

  app.post('/api/auth/password', async (req, reply) => {
    const { user, session } = await resolveSession(req, sessions);
    checkCsrf(req, session);
    const body = readBody(req.body, ['current_password', 'new_password']);
    const current = requiredString(body, 'current_password', MAX_PASSWORD);
    const next = requiredString(body, 'new_password', MAX_PASSWORD);
    const attempt = await loginThrottle.reserve(user.email, req.ip);
    if (!(await guarded(attempt, () => verifyPassword(current, user.password_hash))))
      throw new AppError(401, 'invalid_credentials', 'The current password is not right.', { param: 'current_password' });
    await attempt.succeed();
    await platform.users.setPassword(user.id, next, 'new_password');
    await sessions.destroyOthers(user.id, session.token_hash);
    return reply.status(204).send();
  });
}
