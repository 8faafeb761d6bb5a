// Strings of the sign-in and sign-up pages, registered when they load (English; the Chinese ones are in zh-CN.ts).
import { addMessages } from './messages';

export const enAuth = {
  signin_title: 'Sign in',
  signin_lead: 'Welcome back. Sign in to manage keys, credits and usage.',
  signup_title: 'Create your account',
  signup_lead: 'Free to start: the playground runs any model on a free test key right away.',
  email: 'Email',
  password: 'Password',
  signin_submit: 'Sign in',
  signup_submit: 'Create account',
  signing_in: 'Signing in…',
  signing_up: 'Creating account…',
  no_account: 'New here?',
  have_account: 'Already have an account?',
};

addMessages('en', enAuth);
