// The web dashboard's API (docs/dashboard-api.md): same origin, session cookie, CSRF header.
// Everything lives in its own Fastify scope, so the cookie parser, the lenient JSON parser and
// the webhook's raw body stay out of the public API.
import fastifyCookie from '@fastify/cookie';
import type { FastifyInstance } from 'fastify';
import { AdminService } from '../../../services/admin.js';
import { BillingService } from '../../../services/billing.js';
import { LOGIN_LIMITS, LoginThrottle } from '../../../services/login-throttle.js';
import { RedemptionCodeService } from '../../../services/redemption-codes.js';
import { SessionService } from '../../../services/sessions.js';
import { UsageService } from '../../../services/usage.js';
import type { HttpDeps } from '../../deps.js';
import { accountRoutes } from './account.js';
import { adminRoutes } from './admin.js';
import { authRoutes } from './auth.js';
import { billingRoutes } from './billing.js';
import type { DashboardDeps } from './deps.js';
import { playgroundRoutes } from './playground.js';
import { passwordResetRoutes } from './password-reset.js';
import { guardScope } from './session-guard.js';
import { dashboardTaskEventRoutes } from './task-events.js';
import { dashboardWebhookRoutes } from './webhooks.js';

export function dashboardRoutes(app: FastifyInstance, deps: HttpDeps): void {
  const { platform } = deps;
  const d: DashboardDeps = {
    ...deps,
    sessions: new SessionService(platform.db),
    loginThrottle: new LoginThrottle(LOGIN_LIMITS, platform.limits.attempts('login')),
    redeemThrottle: new LoginThrottle({ perKey: 10, perIp: 10, windowMs: 15 * 60_000 }, platform.limits.attempts('redeem')),
    codes: new RedemptionCodeService(platform.db, platform.ledger),
    billing: new BillingService(platform.db, platform.ledger, platform.catalog.packs, platform.settings.stripe, platform.log),
    usage: new UsageService(platform.db),
    admin: new AdminService(platform.db),
  };
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
    });
    scope.register(async (s) => {
      guardScope(s, { ...guard, admin: true });
      adminRoutes(s, d);
    });
    scope.register(async (s) => billingRoutes(s, d));
  });
}
