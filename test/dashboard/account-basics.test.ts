// Account basics over real HTTP on SQLite and PostgreSQL: password reset by e-mail through a fake
// SMTP server (single use, expiring, ends sessions, never says whether an account exists); the
// CLI's users create / set-password / promote on the same database; an admin sets a password,
// makes an admin, reads one user's keys, tasks and ledger; redemption codes voided and expiring;
// the first-run checklist.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { after, before, describe, test } from 'node:test';
import { expectError } from '../helpers/assert-error.js';
import { dbTargets, dropCreatedDatabases, tempDir } from '../helpers/databases.js';
import { Browser, PASSWORD, signIn, signInAdmin, signUp } from '../helpers/dashboard.js';
import { startTestServer, type TestServer } from '../helpers/server.js';
import { startFakeSmtp, type FakeSmtp } from '../fakes/smtp-server.js';

after(dropCreatedDatabases);

const run = promisify(execFile);
const BIN = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../bin/aio.js');
const NEW_PASSWORD = 'a brand new passphrase';

/** The reset link of a mail, and its token. */
function linkOf(text: string): { link: string; token: string } {
  const link = /(http:\/\/\S+\/reset-password\?token=([0-9A-Za-z]+))/.exec(text);
  assert.ok(link, `no reset link in: ${text}`);
  return { link: link[1]!, token: link[2]! };
}

for (const target of await dbTargets()) {
  describe(`account basics on ${target.name}`, { skip: target.skip }, () => {
    let server: TestServer;
    let smtp: FakeSmtp;
    let admin: Awaited<ReturnType<typeof signInAdmin>>;
    let databaseUrl: string;
    const dataDir = tempDir();

    before(async () => {
      smtp = await startFakeSmtp();
      databaseUrl = await target.create();
      server = await startTestServer({ databaseUrl, env: { AIO_DATA_DIR: dataDir, AIO_SMTP_URL: smtp.url, AIO_MAIL_FROM: 'API in One <ops@example.com>' } });
      admin = await signInAdmin(server);
    });
    after(async () => {
      await server?.close();
      await smtp?.close();
    });

    test('password reset by e-mail: one link, used once, sessions ended, new password works', async () => {
      const user = await signUp(server);
      assert.deepEqual((await new Browser(server.url).get('/api/auth/password-reset')).body, { email_enabled: true });

      const stranger = new Browser(server.url);
      const asked = await stranger.post('/api/auth/password-reset', { email: user.email.toUpperCase() });
      assert.equal(asked.status, 202, asked.text);
      const mail = await smtp.nextMail();
      assert.deepEqual(mail.to, [user.email]);
      assert.equal(mail.from, 'ops@example.com');
      assert.match(mail.headers.subject!, /Reset your API in One password/);
      const { link, token } = linkOf(mail.text);
      assert.ok(link.startsWith(`${server.url}/reset-password?token=`), link);

      // The token is stored only as its hash.
      const rows = await server.platform.db.selectFrom('password_resets').selectAll().execute();
      assert.ok(rows.length >= 1 && rows.every((r) => r.token_hash !== token && /^[0-9a-f]{64}$/.test(r.token_hash)));

      expectError(await stranger.post('/api/auth/password-reset/confirm', { token, password: 'short' }), 400, 'weak_password', 'password');
      const done = await stranger.post('/api/auth/password-reset/confirm', { token, password: NEW_PASSWORD });
      assert.equal(done.status, 204, done.text);
      expectError(await user.get('/api/account'), 401, 'not_signed_in');
      expectError(await new Browser(server.url).post('/api/auth/login', { email: user.email, password: PASSWORD }), 401, 'invalid_credentials');
      await signIn(server, user.email, NEW_PASSWORD);
      expectError(await stranger.post('/api/auth/password-reset/confirm', { token, password: 'yet another passphrase' }), 400, 'invalid_reset_token', 'token');
      expectError(await stranger.post('/api/auth/password-reset/confirm', { token: 'x'.repeat(43), password: NEW_PASSWORD }), 400, 'invalid_reset_token', 'token');
    });

    test('an unknown address gets the same answer and no mail; an expired link is refused; asking is capped', async () => {
      const before = smtp.mails.length;
      const unknown = await new Browser(server.url).post('/api/auth/password-reset', { email: 'nobody-here@example.com' });
      assert.equal(unknown.status, 202);
      const user = await signUp(server);
      const known = await new Browser(server.url).post('/api/auth/password-reset', { email: user.email });
      assert.deepEqual(known.body, unknown.body, 'the answer does not tell whether the account exists');
      const mail = await smtp.nextMail();
      assert.deepEqual(mail.to, [user.email], 'only the known address got mail');
      assert.equal(smtp.mails.length, before + 1);

      const { token } = linkOf(mail.text);
      await server.platform.db.updateTable('password_resets').set({ expires_at: new Date(Date.now() - 1000).toISOString() }).where('user_id', '=', user.userId).execute();
      expectError(await new Browser(server.url).post('/api/auth/password-reset/confirm', { token, password: NEW_PASSWORD }), 400, 'invalid_reset_token', 'token');

      for (let i = 0; i < 3; i++) assert.equal((await new Browser(server.url).post('/api/auth/password-reset', { email: user.email })).status, 202);
      await new Promise((r) => setTimeout(r, 300));
      assert.equal(smtp.mails.length, before + 3, 'three mails an hour per account at most');
      expectError(await new Browser(server.url).post('/api/auth/password-reset', { email: user.email }, { origin: 'https://evil.example' }), 403, 'csrf_failed');
    });

    test('the CLI creates a user who can sign in, sets a password and promotes, on the same database', async () => {
      const env = { ...process.env, AIO_DATA_DIR: dataDir, DATABASE_URL: databaseUrl };
      const aio = async (...args: string[]) => JSON.parse((await run(process.execPath, [BIN, ...args, '--json'], { env })).stdout);
      const email = `cli-${Date.now()}@example.com`;
      await aio('users', 'create', '--email', email, '--password', 'a long password');
      const browser = await signIn(server, email, 'a long password');
      expectError(await browser.get('/api/admin/users'), 403, 'admin_only');

      assert.deepEqual(await aio('users', 'set-password', '--email', email, '--password', NEW_PASSWORD), { id: (await server.platform.users.findByEmail(email))!.id, email, password_set: true });
      expectError(await browser.get('/api/account'), 401, 'not_signed_in');
      const again = await signIn(server, email, NEW_PASSWORD);
      const promoted = await aio('users', 'promote', '--email', email);
      assert.equal(promoted.admin, true);
      assert.equal((await again.get('/api/admin/users')).status, 200);
      assert.equal((await aio('users', 'promote', '--email', email, '--demote')).admin, false);
      expectError(await again.get('/api/admin/users'), 403, 'admin_only');

      const weak = await run(process.execPath, [BIN, 'users', 'set-password', '--email', email, '--password', 'short', '--json'], { env }).catch((e) => e);
      assert.equal(weak.code, 1);
      assert.equal(JSON.parse(weak.stdout).error.code, 'weak_password');
    });

    test('an admin sets a password, makes an admin, and cannot lock themselves out', async () => {
      const user = await signUp(server);
      expectError(await admin.post(`/api/admin/users/${user.userId}/password`, { password: 'short' }), 400, 'weak_password', 'password');
      assert.equal((await admin.post(`/api/admin/users/${user.userId}/password`, { password: NEW_PASSWORD })).status, 204);
      expectError(await user.get('/api/account'), 401, 'not_signed_in');
      const back = await signIn(server, user.email, NEW_PASSWORD);

      const made = await admin.post(`/api/admin/users/${user.userId}/admin`, { admin: true });
      assert.equal(made.status, 200, made.text);
      assert.equal(made.body.is_admin, true);
      assert.equal((await back.get('/api/admin/users')).status, 200);
      expectError(await admin.post(`/api/admin/users/${admin.userId}/admin`, { admin: false }), 400, 'cannot_demote_self', 'id');
      expectError(await admin.post(`/api/admin/users/${user.userId}/admin`, {}), 400, 'missing_parameter', 'admin');
      expectError(await admin.post('/api/admin/users/usr_nobody/admin', { admin: true }), 404, 'user_not_found');
      assert.equal((await admin.post(`/api/admin/users/${user.userId}/admin`, { admin: false })).body.is_admin, false);

      // Their own password: the admin's session stays.
      assert.equal((await admin.post(`/api/admin/users/${admin.userId}/password`, { password: PASSWORD })).status, 204);
      assert.equal((await admin.get('/api/admin/users')).status, 200);
    });

    test("a user's detail: keys (never the secret), tasks and ledger", async () => {
      const user = await signUp(server);
      const made = await user.post('/api/account/keys', { name: 'ci', test: true });
      await admin.post(`/api/admin/users/${user.userId}/grant`, { amount: 20, note: 'welcome' });
      const task = await server.api('POST', '/api/v1/images/generations', { key: made.body.key, body: { model: 'aio-poster', prompt: 'Hello poster' } });
      assert.equal(task.status, 202, JSON.stringify(task.body));

      const detail = await admin.get(`/api/admin/users/${user.userId}`);
      assert.equal(detail.status, 200, detail.text);
      assert.equal(detail.body.email, user.email);
      assert.equal(detail.body.balance, 20);
      assert.equal(detail.body.keys.length, 1);
      assert.equal(detail.body.keys[0].name, 'ci');
      assert.ok(!detail.text.includes(made.body.key), 'the key itself is never shown again');
      const tasks = await admin.get(`/api/admin/users/${user.userId}/tasks?limit=5`);
      assert.deepEqual(tasks.body.data.map((t: any) => t.id), [task.body.id]);
      const ledger = await admin.get(`/api/admin/users/${user.userId}/ledger?kind=grant`);
      assert.deepEqual(ledger.body.data.map((e: any) => [e.kind, e.amount, e.note]), [['grant', 20, 'welcome']]);
      expectError(await admin.get('/api/admin/users/usr_nobody'), 404, 'user_not_found');
      expectError(await user.get(`/api/admin/users/${user.userId}`), 403, 'admin_only');
    });

    test('redemption codes: voided and expired codes cannot be redeemed; the list says why', async () => {
      const later = new Date(Date.now() + 86_400_000).toISOString();
      const made = await admin.post('/api/admin/redemption-codes', { count: 3, credits: 10, expires_at: later });
      assert.equal(made.status, 201, made.text);
      const [a, b, c] = made.body.data;
      assert.equal(a.expires_at, later);
      const user = await signUp(server);

      const voided = await admin.post(`/api/admin/redemption-codes/${a.id}/void`);
      assert.equal(voided.status, 200, voided.text);
      assert.equal(voided.body.status, 'voided');
      expectError(await user.post('/api/account/redeem', { code: a.code }), 410, 'code_voided', 'code');

      await server.platform.db.updateTable('redemption_codes').set({ expires_at: new Date(Date.now() - 1000).toISOString() }).where('id', '=', b.id).execute();
      expectError(await user.post('/api/account/redeem', { code: b.code }), 410, 'code_expired', 'code');
      expectError(await admin.patch(`/api/admin/redemption-codes/${b.id}`, { expires_at: '2001-01-01T00:00:00Z' }), 400, 'invalid_parameter', 'expires_at');
      const revived = await admin.patch(`/api/admin/redemption-codes/${b.id}`, { expires_at: null });
      assert.deepEqual([revived.body.status, revived.body.expires_at], ['active', null]);
      assert.equal((await user.post('/api/account/redeem', { code: b.code })).status, 200);

      expectError(await admin.post(`/api/admin/redemption-codes/${b.id}/void`), 409, 'code_already_redeemed', 'id');
      expectError(await admin.patch(`/api/admin/redemption-codes/${a.id}`, { expires_at: later }), 409, 'code_voided', 'id');
      expectError(await admin.post('/api/admin/redemption-codes/rc_nothing/void'), 404, 'code_not_found', 'id');
      expectError(await admin.post('/api/admin/redemption-codes', { count: 1, credits: 1, expires_at: 'tomorrow' }), 400, 'invalid_parameter', 'expires_at');

      const list = (await admin.get('/api/admin/redemption-codes?limit=10')).body.data;
      const status = (id: string) => list.find((x: any) => x.id === id).status;
      assert.deepEqual([status(a.id), status(b.id), status(c.id)], ['voided', 'redeemed', 'active']);
      assert.equal((await server.platform.ledger.balances(user.userId)).balance, 10_000_000, 'only the good code paid');
    });
  });
}

describe('the first-run checklist', () => {
  let server: TestServer;
  before(async () => {
    server = await startTestServer();
  });
  after(() => server?.close());

  test('connect a provider, set a price, make a key: each step turns done as the admin does it', async () => {
    const admin = await signInAdmin(server);
    const steps = async () => Object.fromEntries((await admin.get('/api/admin/setup')).body.steps.map((s: any) => [s.id, s.done]));
    assert.deepEqual(await steps(), { connect_provider: false, set_price: false, create_key: false });
    await server.platform.connections.create({ provider: 'ideogram', base_url: 'http://127.0.0.1:9', api_key: 'ideo_x', models: ['ideogram-v4'] }, admin.userId);
    await admin.patch('/api/admin/models/ideogram-v4', { price_credits: 10 });
    assert.deepEqual(await steps(), { connect_provider: true, set_price: true, create_key: false });
    assert.equal((await admin.post('/api/account/keys', { name: 'first' })).status, 201);
    const done = await admin.get('/api/admin/setup');
    assert.deepEqual([Object.values(await steps()), done.body.done], [[true, true, true], true]);
  });

  test('without SMTP, reset by e-mail says it is not set up', async () => {
    const browser = new Browser(server.url);
    assert.deepEqual((await browser.get('/api/auth/password-reset')).body, { email_enabled: false });
    expectError(await browser.post('/api/auth/password-reset', { email: 'x@example.com' }), 400, 'password_reset_unavailable');
  });
});
