// The web dashboard's API (docs/dashboard-api.md): same origin, session cookie, CSRF header.
// Everything lives in its own Fastify scope, so the cookie parser, the lenient JSON parser and
// the webhook's raw body stay out of the public API.
import fastifyCookie from '@fastify/cookie';
import type { FastifyInstance } from 'fastify';
import type { HttpDeps } from '../../deps.js';
import { accountRoutes } from './account.js';
import { adminRoutes } from './admin.js';
import { authRoutes } from './auth.js';
import { billingRoutes } from './billing.js';
import { chatPlaygroundRoutes } from './chat-playground.js';
import type { DashboardDeps } from './deps.js';
import { playgroundRoutes } from './playground.js';
import { passwordResetRoutes } from './password-reset.js';
import { guardScope } from './session-guard.js';
import { dashboardTaskEventRoutes } from './task-events.js';
import { dashboardWebhookRoutes } from './webhooks.js';

export function dashboardRoutes(app: FastifyInstance, deps: HttpDeps): void {
  const { platform } = deps;
  const { sessions, codes, billing, usage, admin, throttles } = platform;
  const d: DashboardDeps = { ...deps, sessions, codes, billing, usage, admin, loginThrottle: throttles.login, redeemThrottle: throttles.redeem, signupThrottle: throttles.signup };
  const guard = { sessions: d.sessions, publicUrl: platform.settings.publicUrl };

  app.register(async (scope) => {
    await scope.register(fastifyCookie);
    // Browsers' fetch wrappers often send a JSON content type with an empty body: that is `{}` here.
    const json = scope.getDefaultJsonParser('error', 'error');
    scope.addContentTypeParser('application/json', { parseAs: 'string' }, (req, body, done) => {
      if (body === '') return done(null, undefined);
      json(req, body as string, done);
    });
    scope.register(async (s) => authRoutes(s, d));
    scope.register(async (s) => passwordResetRoutes(s, d));
    scope.register(async (s) => {
      guardScope(s, guard);
      accountRoutes(s, d);
      dashboardTaskEventRoutes(s, d);
      dashboardWebhookRoutes(s, d);
      await s.register(async (p) => playgroundRoutes(p, d));
      await s.register(async (p) => chatPlaygroundRoutes(p, d));
    });
    scope.register(async (s) => {
      guardScope(s, { ...guard, admin: true });
      adminRoutes(s, d);
    });
    scope.register(async (s) => billingRoutes(s, d));
  });
}
