// Password guessing cannot be raced past the throttle: a burst of parallel attempts gets at most
// the documented number of password checks (5 per email, 20 per address in 15 min), the rest
// 429 with Retry-After; the same for changing the password; sign-ups are limited per address.
import assert from 'node:assert/strict';
import { after, describe, test } from 'node:test';
import { loadSettings } from '../../src/config/settings.js';
import { expectError } from '../helpers/assert-error.js';
import { dbTargets, dropCreatedDatabases } from '../helpers/databases.js';
import { Browser, PASSWORD, signIn, signUp, uniqueEmail } from '../helpers/dashboard.js';
import { startTestServer, type TestServer } from '../helpers/server.js';

after(dropCreatedDatabases);

const PER_EMAIL = 5;
const BURST = 100;

/** Splits a burst's answers into the checked ones and the refused ones (each refusal in our shape). */
function tally(answers: Array<{ status: number; body: any; headers: Headers }>, windowS = 15 * 60) {
  const refused = answers.filter((a) => a.status === 429);
  for (const r of refused) {
    expectError(r, 429, 'too_many_attempts');
    const retry = Number(r.headers.get('retry-after'));
    assert.ok(Number.isInteger(retry) && retry > 0 && retry <= windowS, `Retry-After ${r.headers.get('retry-after')}`);
  }
  return { checked: answers.filter((a) => a.status !== 429), refused };
}

for (const target of await dbTargets()) {
  describe(`throttles under a burst on ${target.name}`, { skip: target.skip }, () => {
    let server: TestServer | undefined;
    const fresh = async (env?: Record<string, string>) => {
      await server?.close();
      server = await startTestServer({ databaseUrl: await target.create(), env });
      return server;
    };
    after(() => server?.close());

    test(`${BURST} parallel logins for one email (99 wrong, 1 right): at most ${PER_EMAIL} are checked`, async () => {
      const s = await fresh();
      const { email } = await signUp(s);
      const answers = await Promise.all(
        Array.from({ length: BURST }, (_, i) => new Browser(s.url).post('/api/auth/login', { email, password: i === BURST - 1 ? PASSWORD : `wrong guess ${i}` })),
      );
      const { checked, refused } = tally(answers);
      assert.ok(checked.length <= PER_EMAIL, `${checked.length} attempts were checked: ${checked.map((a) => a.status).join(',')}`);
      assert.equal(refused.length, BURST - checked.length);
      for (const a of checked) assert.ok(a.status === 401 || a.status === 200, `status ${a.status}`);
      const wrongChecked = answers.filter((a, i) => i < BURST - 1 && a.status === 401).length;
      assert.ok(wrongChecked <= PER_EMAIL);
    });

    test('a right password forgives the email: it signs in again at once, and its slot is given back', async () => {
      const s = await fresh();
      const { email } = await signUp(s);
      for (let i = 0; i < PER_EMAIL - 1; i++) expectError(await new Browser(s.url).post('/api/auth/login', { email, password: `nope ${i}` }), 401, 'invalid_credentials');
      await signIn(s, email);
      // The failures are forgotten: another PER_EMAIL - 1 wrong ones and the right one still pass.
      for (let i = 0; i < PER_EMAIL - 1; i++) expectError(await new Browser(s.url).post('/api/auth/login', { email, password: `nope again ${i}` }), 401, 'invalid_credentials');
      await signIn(s, email);
    });

    test(`${BURST} parallel password changes with a wrong current password: at most ${PER_EMAIL} are checked`, async () => {
      const s = await fresh();
      const user = await signUp(s);
      const answers = await Promise.all(
        Array.from({ length: BURST }, (_, i) => user.post('/api/auth/password', { current_password: `wrong guess ${i}`, new_password: 'a whole new password' })),
      );
      const { checked } = tally(answers);
      assert.ok(checked.length <= PER_EMAIL, `${checked.length} attempts were checked`);
      for (const a of checked) expectError(a, 401, 'invalid_credentials', 'current_password');
      // The password did not change, and the account is now throttled even for the right one.
      expectError(await new Browser(s.url).post('/api/auth/login', { email: user.email, password: PASSWORD }), 429, 'too_many_attempts');
    });

    test('sign-ups are limited per address (10 an hour by default): a burst of 30 makes exactly 10 accounts', async () => {
      assert.equal(loadSettings({}).signupLimitPerHour, 10, 'the documented default');
      const s = await fresh({ AIO_SIGNUP_LIMIT_PER_HOUR: '10' });
      // Refused input is not a sign-up and does not count.
      for (let i = 0; i < 3; i++) expectError(await new Browser(s.url).post('/api/auth/signup', { email: uniqueEmail(), password: 'short' }), 400, 'weak_password');
      const answers = await Promise.all(Array.from({ length: 30 }, () => new Browser(s.url).post('/api/auth/signup', { email: uniqueEmail('burst'), password: PASSWORD })));
      const { checked, refused } = tally(answers, 60 * 60);
      assert.equal(checked.filter((a) => a.status === 201).length, 10, answers.map((a) => a.status).join(','));
      assert.equal(checked.length, 10);
      assert.equal(refused.length, 20);
      const { count } = await s.platform.db.selectFrom('users').select((eb) => eb.fn.countAll<number>().as('count')).executeTakeFirstOrThrow();
      assert.equal(Number(count), 10);
    });
  });
}
