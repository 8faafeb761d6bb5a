// Strings of the password reset (the "Forgot password?" link and the /reset-password page),
// English and 简体中文 typed against the English; read with usePageMessages.
import type { PageDictionaries } from '../../i18n/page-messages';

const en = {
  reset_forgot_link: 'Forgot password?',
  reset_request_title: 'Reset your password',
  reset_request_lead: 'Enter the e-mail address of your account: we send it a link to choose a new password.',
  reset_request_submit: 'Send the link',
  reset_requesting: 'Sending…',
  reset_request_sent: 'If an account exists for {email}, a link to reset its password is on its way. It works once, within an hour.',
  reset_unavailable: 'Resetting a password by e-mail is not set up on this server. Ask its operator to reset it for you.',
  reset_title: 'Choose a new password',
  reset_lead: 'Set a new password for your account. Everywhere you are signed in, you will be signed out.',
  reset_new_password: 'New password',
  reset_repeat_password: 'New password, again',
  reset_mismatch: 'The two passwords are not the same.',
  reset_submit: 'Set the new password',
  reset_saving: 'Saving…',
  reset_done_title: 'Your password is set',
  reset_done_body: 'Sign in with your new password.',
  reset_invalid: 'This link has been used, has expired, or is not complete. Ask for a new one.',
  reset_ask_again: 'Ask for a new link',
  reset_back_to_sign_in: 'Back to sign in',
};

export type ResetMessageKey = keyof typeof en;

const zhCN: Record<ResetMessageKey, string> = {
  reset_forgot_link: '忘记密码？',
  reset_request_title: '重置密码',
  reset_request_lead: '输入账户的电子邮件地址，我们会向它发送一个设置新密码的链接。',
  reset_request_submit: '发送链接',
  reset_requesting: '发送中……',
  reset_request_sent: '如果 {email} 有对应的账户，重置密码的链接已在路上。链接在一小时内有效，只能使用一次。',
  reset_unavailable: '此服务器未设置通过电子邮件重置密码。请联系运营者为你重置。',
  reset_title: '设置新密码',
  reset_lead: '为你的账户设置新密码。所有已登录的地方都会退出登录。',
  reset_new_password: '新密码',
  reset_repeat_password: '再次输入新密码',
  reset_mismatch: '两次输入的密码不一致。',
  reset_submit: '设置新密码',
  reset_saving: '保存中……',
  reset_done_title: '新密码已设置',
  reset_done_body: '请用新密码登录。',
  reset_invalid: '此链接已被使用、已过期或不完整。请重新申请一个。',
  reset_ask_again: '重新申请链接',
  reset_back_to_sign_in: '返回登录',
};

export const resetMessages: PageDictionaries<ResetMessageKey> = { en, 'zh-CN': zhCN };
