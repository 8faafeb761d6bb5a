// Password reset in a real browser against the real server and a fake SMTP server: "Forgot
// password?" on sign-in (only when the server can send mail) asks for a link, the e-mailed link
// opens /reset-password, the new password is set and works, the old one and the used link do not;
// a server without SMTP shows no such link and says so on the page.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { startFakeSmtp, type FakeSmtp } from '../fakes/smtp-server.js';
import { startTestServer, type TestServer } from '../helpers/server.js';
import { launch, newContext, settle, shot, watchErrors } from './browser.js';

const OLD_PASSWORD = 'correct horse battery';
const NEW_PASSWORD = 'a brand new passphrase';

describe('password reset in the browser', () => {
  let smtp: FakeSmtp;
  let server: TestServer;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  let errors: string[];
  const email = `forgetful-${Date.now()}@example.com`;

  before(async () => {
    smtp = await startFakeSmtp();
    server = await startTestServer({ env: { AIO_SMTP_URL: smtp.url, AIO_MAIL_FROM: 'API in One <ops@example.com>' } });
    await server.platform.users.create({ email, password: OLD_PASSWORD });
    browser = await launch();
    context = await newContext(browser, server.url);
    page = await context.newPage();
    errors = watchErrors(page);
  });
  after(async () => {
    await browser?.close();
    await server?.close();
    await smtp?.close();
  });

  const signIn = async (password: string) => {
    await page.goto('/signin');
    await page.getByLabel('Email').fill(email);
    await page.getByLabel('Password').fill(password);
    await page.getByRole('button', { name: 'Sign in', exact: true }).click();
  };

  test('forgot password: a link by e-mail, a new password set on the page, the old one refused', async () => {
    await page.goto('/signin');
    await page.getByRole('link', { name: 'Forgot password?' }).waitFor();
    await shot(page, 'signin-forgot-password');
    await page.getByRole('link', { name: 'Forgot password?' }).click();
    await page.getByRole('heading', { level: 1, name: 'Reset your password' }).waitFor();
    assert.equal(new URL(page.url()).pathname, '/reset-password');
    await page.getByLabel('Email').fill(email);
    await page.getByRole('button', { name: 'Send the link' }).click();
    await page.getByText(`If an account exists for ${email}, a link to reset its password is on its way.`).waitFor();
    await shot(page, 'reset-asked');

    const mail = await smtp.nextMail();
    assert.deepEqual(mail.to, [email]);
    const link = /(http:\/\/\S+\/reset-password\?token=[0-9A-Za-z]+)/.exec(mail.text)?.[1];
    assert.ok(link?.startsWith(`${server.url}/reset-password?token=`), mail.text);

    await page.goto(link!);
    await page.getByRole('heading', { level: 1, name: 'Choose a new password' }).waitFor();
    await page.getByLabel('New password', { exact: true }).fill(NEW_PASSWORD);
    await page.getByLabel('New password, again').fill(`${NEW_PASSWORD}!`);
    await page.getByRole('button', { name: 'Set the new password' }).click();
    await page.getByText('The two passwords are not the same.').waitFor();
    await page.getByLabel('New password, again').fill(NEW_PASSWORD);
    await page.getByRole('button', { name: 'Set the new password' }).click();
    await page.getByRole('heading', { level: 1, name: 'Your password is set' }).waitFor();
    await shot(page, 'reset-done');

    // The link is good once: opened again, it says so and offers a new one.
    await page.goto(link!);
    await page.getByLabel('New password', { exact: true }).fill('yet another passphrase');
    await page.getByLabel('New password, again').fill('yet another passphrase');
    await page.getByRole('button', { name: 'Set the new password' }).click();
    await page.getByText('This link has been used, has expired, or is not complete. Ask for a new one.').waitFor();
    await page.getByRole('link', { name: 'Ask for a new link' }).waitFor();

    await signIn(OLD_PASSWORD);
    await page.getByRole('alert').getByText('The email or password is not right.').waitFor();
    assert.equal(new URL(page.url()).pathname, '/signin', 'the old password no longer signs in');
    await signIn(NEW_PASSWORD);
    await page.getByRole('heading', { level: 1, name: 'Welcome' }).waitFor();
    assert.deepEqual(errors, []);
  });

  test('without SMTP there is no "Forgot password?" link, and the page says reset by e-mail is not set up', async () => {
    const plain = await startTestServer();
    try {
      const ctx = await newContext(browser, plain.url);
      const p = await ctx.newPage();
      const asked = p.waitForResponse((r) => new URL(r.url()).pathname === '/api/auth/password-reset');
      await p.goto('/signin');
      assert.deepEqual(await (await asked).json(), { email_enabled: false });
      await settle(p);
      assert.equal(await p.getByRole('link', { name: 'Forgot password?' }).count(), 0);
      await p.goto('/reset-password');
      await p.getByText('Resetting a password by e-mail is not set up on this server.', { exact: false }).waitFor();
      assert.equal(await p.getByLabel('Email').count(), 0, 'no form to fill');
      await ctx.close();
    } finally {
      await plain.close();
    }
  });
});
