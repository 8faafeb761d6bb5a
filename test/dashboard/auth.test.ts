// Dashboard sign-up, sign-in and sessions over real HTTP, on SQLite and PostgreSQL: cookies,
// CSRF and Origin checks, throttled guessing, and a password change ending other sessions.
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import { dbTargets, dropCreatedDatabases } from '../helpers/databases.js';
import { Browser, PASSWORD, signIn, signUp, uniqueEmail } from '../helpers/dashboard.js';
import { startTestServer, type TestServer } from '../helpers/server.js';
import { expectError } from '../helpers/assert-error.js';

after(dropCreatedDatabases);


for (const target of await dbTargets()) {
  describe(`dashboard auth on ${target.name}`, { skip: target.skip }, () => {
    let server: TestServer;
    before(async () => {
      server = await startTestServer({ databaseUrl: await target.create() });
    });
    after(() => server?.close());

    test('signup sets the session and CSRF cookies, and the session route knows the user', async () => {
      const browser = new Browser(server.url);
      const email = uniqueEmail();
      const res = await browser.post('/api/auth/signup', { email: `  ${email.toUpperCase()} `, password: PASSWORD });
      assert.equal(res.status, 201, res.text);
      assert.deepEqual(Object.keys(res.body.user).sort(), ['created_at', 'email', 'id', 'is_admin']);
      assert.equal(res.body.user.email, email);
      assert.equal(res.body.user.is_admin, false);

      const session = browser.setCookies.find((c) => c.startsWith('aio_session='))!;
      const csrf = browser.setCookies.find((c) => c.startsWith('aio_csrf='))!;
      for (const attr of ['Path=/', 'SameSite=Lax', 'Max-Age=2592000']) {
        assert.ok(session.includes(attr), session);
        assert.ok(csrf.includes(attr), csrf);
      }
      assert.ok(session.includes('HttpOnly'));
      assert.ok(!csrf.includes('HttpOnly'), 'the CSRF cookie is readable by the page');
      assert.ok(!session.includes('Secure'), 'not Secure over plain http');

      // Only a hash of the token is stored.
      const token = browser.cookies.get('aio_session')!;
      const rows = await server.platform.db.selectFrom('sessions').selectAll().where('user_id', '=', res.body.user.id).execute();
      assert.equal(rows.length, 1);
      assert.equal(rows[0]!.token_hash, createHash('sha256').update(token).digest('hex'));
      assert.ok(!JSON.stringify(rows).includes(token));

      const me = await browser.get('/api/auth/session');
      assert.equal(me.status, 200);
      assert.equal(me.body.user.id, res.body.user.id);
      assert.equal(me.body.csrf_token, browser.csrf);
    });

    test('signup refusals: taken email, bad email, weak password', async () => {
      const first = await signUp(server);
      expectError(await new Browser(server.url).post('/api/auth/signup', { email: first.email, password: PASSWORD }), 409, 'email_taken');
      expectError(await new Browser(server.url).post('/api/auth/signup', { email: 'not-an-email', password: PASSWORD }), 400, 'invalid_email');
      expectError(await new Browser(server.url).post('/api/auth/signup', { email: uniqueEmail(), password: 'short' }), 400, 'weak_password');
      expectError(await new Browser(server.url).post('/api/auth/signup', { email: uniqueEmail() }), 400, 'missing_parameter');
    });

    test('login, wrong password, logout', async () => {
      const { email } = await signUp(server);
      expectError(await new Browser(server.url).post('/api/auth/login', { email, password: 'wrong password' }), 401, 'invalid_credentials');
      expectError(await new Browser(server.url).post('/api/auth/login', { email: uniqueEmail('nobody'), password: PASSWORD }), 401, 'invalid_credentials');

      const browser = new Browser(server.url);
      const res = await browser.post('/api/auth/login', { email: email.toUpperCase(), password: PASSWORD });
      assert.equal(res.status, 200, res.text);
      assert.equal(res.body.user.email, email);
      assert.ok(browser.cookies.get('aio_session'));
      assert.equal((await browser.get('/api/account')).status, 200);

      const token = browser.cookies.get('aio_session')!;
      const out = await browser.post('/api/auth/logout');
      assert.equal(out.status, 204);
      assert.equal(browser.cookies.size, 0, 'both cookies cleared');
      // The old token no longer works even if someone kept it.
      const stale = new Browser(server.url);
      stale.cookies.set('aio_session', token);
      assert.deepEqual((await stale.get('/api/auth/session')).body, { user: null, csrf_token: null });
      expectError(await browser.get('/api/account'), 401, 'not_signed_in');
      // Logging out without a session is harmless.
      assert.equal((await new Browser(server.url).post('/api/auth/logout')).status, 204);
    });

    test('401 not_signed_in without a session, or with a made-up one (the session route: no user)', async () => {
      const anon = new Browser(server.url);
      // The session route answers a signed-out browser with no user (a page load logs no error).
      const none = await anon.get('/api/auth/session');
      assert.equal(none.status, 200);
      assert.deepEqual(none.body, { user: null, csrf_token: null });
      expectError(await anon.get('/api/account'), 401, 'not_signed_in');
      expectError(await anon.get('/api/admin/users'), 401, 'not_signed_in');
      anon.cookies.set('aio_session', 'x'.repeat(43));
      expectError(await anon.get('/api/account/keys'), 401, 'not_signed_in');
    });

    test('CSRF: missing or wrong x-csrf-token is 403 csrf_failed, and nothing happens', async () => {
      const browser = await signUp(server);
      expectError(await browser.post('/api/account/keys', { name: 'no csrf' }, { csrf: false }), 403, 'csrf_failed');
      expectError(await browser.post('/api/account/keys', { name: 'wrong csrf' }, { csrf: 'A'.repeat(32) }), 403, 'csrf_failed');
      expectError(await browser.post('/api/auth/password', { current_password: PASSWORD, new_password: 'another password' }, { csrf: false }), 403, 'csrf_failed');
      expectError(await browser.post('/api/auth/logout', undefined, { csrf: false }), 403, 'csrf_failed');
      // The header must match this session's token, not just the cookie: another session's pair fails.
      const other = await signUp(server);
      const mixed = await browser.call('POST', '/api/account/keys', {
        body: { name: 'mixed' },
        csrf: other.csrf!,
        headers: { cookie: `aio_session=${browser.cookies.get('aio_session')}; aio_csrf=${other.csrf}` },
      });
      expectError(mixed, 403, 'csrf_failed');
      assert.equal((await browser.get('/api/account/keys')).body.data.length, 0);
      assert.equal((await browser.get('/api/auth/session')).status, 200, 'still signed in');
      // GETs need no token.
      assert.equal((await browser.get('/api/account/keys', { csrf: false })).status, 200);
      assert.equal((await browser.post('/api/account/keys', { name: 'with csrf' })).status, 201);
    });

    test('a request whose Origin is another site is refused, even signup and login', async () => {
      const browser = await signUp(server);
      expectError(await browser.post('/api/account/keys', { name: 'evil' }, { origin: 'https://evil.example' }), 403, 'csrf_failed');
      expectError(await browser.post('/api/account/keys', { name: 'evil' }, { origin: 'null' }), 403, 'csrf_failed');
      expectError(await new Browser(server.url).post('/api/auth/login', { email: browser.email, password: PASSWORD }, { origin: 'http://evil.example' }), 403, 'csrf_failed');
      expectError(await new Browser(server.url).post('/api/auth/signup', { email: uniqueEmail(), password: PASSWORD }, { origin: 'http://evil.example' }), 403, 'csrf_failed');
      // Same origin, or no Origin at all (non-browser clients), pass.
      assert.equal((await browser.post('/api/account/keys', { name: 'ok' })).status, 201);
      assert.equal((await browser.post('/api/account/keys', { name: 'ok' }, { origin: false })).status, 201);
    });

    test('changing the password ends the other sessions, keeps this one, and the new password works', async () => {
      const a = await signUp(server);
      const b = await signIn(server, a.email);
      const c = await signIn(server, a.email);
      expectError(await a.post('/api/auth/password', { current_password: 'not it at all', new_password: 'new password 1' }), 401, 'invalid_credentials');
      expectError(await a.post('/api/auth/password', { current_password: PASSWORD, new_password: 'short' }), 400, 'weak_password');
      assert.equal((await b.get('/api/auth/session')).status, 200, 'failed attempts end nothing');

      const res = await a.post('/api/auth/password', { current_password: PASSWORD, new_password: 'new password 1' });
      assert.equal(res.status, 204, res.text);
      assert.equal((await a.get('/api/auth/session')).status, 200);
      assert.equal((await b.get('/api/auth/session')).body.user, null);
      expectError(await c.get('/api/account'), 401, 'not_signed_in');
      expectError(await new Browser(server.url).post('/api/auth/login', { email: a.email, password: PASSWORD }), 401, 'invalid_credentials');
      assert.equal((await new Browser(server.url).post('/api/auth/login', { email: a.email, password: 'new password 1' })).status, 200);
    });

    test('the session route gives back a lost CSRF cookie', async () => {
      const browser = await signUp(server);
      const csrf = browser.csrf;
      browser.cookies.delete('aio_csrf');
      const res = await browser.get('/api/auth/session');
      assert.equal(res.body.csrf_token, csrf);
      assert.equal(browser.csrf, csrf);
    });

    test('bodies: unknown fields and non-objects are 400; an empty JSON body is an empty object', async () => {
      const browser = await signUp(server);
      expectError(await browser.post('/api/account/keys', { name: 'x', admin: true }), 400, 'unknown_parameter');
      expectError(await browser.post('/api/account/keys', ['x']), 400, 'invalid_request_body');
      expectError(await browser.call('POST', '/api/account/keys', { raw: '{"name":', headers: { 'content-type': 'application/json' } }), 400, 'invalid_json');
      const empty = await browser.call('POST', '/api/account/keys', { raw: '', headers: { 'content-type': 'application/json' } });
      assert.equal(empty.status, 201, empty.text);
    });
  });
}

describe('login throttling', () => {
  let server: TestServer;
  before(async () => {
    server = await startTestServer();
  });
  after(() => server?.close());

  test('5 failures for one email: the 6th attempt is 429 with Retry-After, even with the right password', async () => {
    const { email } = await signUp(server);
    for (let i = 0; i < 5; i++) expectError(await new Browser(server.url).post('/api/auth/login', { email, password: `wrong ${i}` }), 401, 'invalid_credentials');
    const res = await new Browser(server.url).post('/api/auth/login', { email, password: PASSWORD });
    expectError(res, 429, 'too_many_attempts');
    const retry = Number(res.headers.get('retry-after'));
    assert.ok(retry > 0 && retry <= 15 * 60, `Retry-After ${retry}`);
    // Another account is not affected.
    const other = await signUp(server);
    assert.equal((await new Browser(server.url).post('/api/auth/login', { email: other.email, password: PASSWORD })).status, 200);
  });

  test('20 failures from one address: every email is refused from it', async () => {
    // 20 guesses at 20 different emails (some may already be refused: the address is what counts).
    for (let i = 0; i < 20; i++) await new Browser(server.url).post('/api/auth/login', { email: uniqueEmail('guess'), password: 'nope nope' });
    const victim = await signUp(server);
    const res = await new Browser(server.url).post('/api/auth/login', { email: victim.email, password: PASSWORD });
    expectError(res, 429, 'too_many_attempts');
    assert.ok(Number(res.headers.get('retry-after')) > 0);
  });
});
