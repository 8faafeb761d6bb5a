// The password reset's calls (docs/dashboard-api.md, "Auth"): signed out, Origin-checked.
import { get, post } from '../../api';

let enabled: Promise<boolean> | null = null;

export const resetApi = {
  /** Whether reset by e-mail is set up (asked once per page load). */
  emailEnabled(): Promise<boolean> {
    enabled ??= get<{ email_enabled: boolean }>('/api/auth/password-reset').then(
      (r) => r.email_enabled,
      (err) => {
        enabled = null;
        throw err;
      },
    );
    return enabled;
  },
  /** 202 whether or not the address has an account. */
  request: (email: string) => post<{ message: string }>('/api/auth/password-reset', { email }),
  /** 204; `400 invalid_reset_token` or `400 weak_password`. */
  confirm: (token: string, password: string) => post<void>('/api/auth/password-reset/confirm', { token, password }),
};
