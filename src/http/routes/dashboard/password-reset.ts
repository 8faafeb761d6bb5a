// Forgotten passwords: a reset link by e-mail when the operator configured SMTP (AIO_SMTP_URL).
// Signed-out routes, so only the Origin check guards them (as sign-in); asking never tells
// whether an account exists. The link opens `/reset-password?token=...` on the dashboard.
import type { FastifyInstance } from 'fastify';
import { Mailer } from '../../../services/mailer.js';
import { PasswordResetService } from '../../../services/password-resets.js';
import { baseUrl } from '../../present.js';
import type { DashboardDeps } from './deps.js';
import { readBody, requiredString } from './input.js';
import { checkOrigin, isStateChanging } from './session-guard.js';

const MAX_PASSWORD = 1024;

export function passwordResetRoutes(app: FastifyInstance, d: DashboardDeps): void {
  const { platform, sessions } = d;
  const { settings } = platform;
  const mailer = new Mailer({ smtpUrl: settings.smtpUrl, from: settings.mailFrom });
  const resets = new PasswordResetService({ db: platform.db, users: platform.users, sessions, mailer, log: platform.log });
  app.addHook('onClose', async () => mailer.close());

  app.addHook('onRequest', async (req) => {
    if (isStateChanging(req)) checkOrigin(req, settings.publicUrl);
  });

  app.get('/api/auth/password-reset', async () => ({ email_enabled: resets.emailEnabled }));

  app.post('/api/auth/password-reset', async (req, reply) => {
    const email = requiredString(readBody(req.body, ['email']), 'email', 254);
    await resets.request(email, `${baseUrl(req, settings.publicUrl)}/reset-password`);
    return reply.status(202).send({ message: 'If an account exists for that address, a link to reset its password is on its way.' });
  });

  app.post('/api/auth/password-reset/confirm', async (req, reply) => {
    const body = readBody(req.body, ['token', 'password']);
    const token = requiredString(body, 'token', 200);
    const password = requiredString(body, 'password', MAX_PASSWORD);
    await resets.complete(token, password);
    return reply.status(204).send();
  });
}
