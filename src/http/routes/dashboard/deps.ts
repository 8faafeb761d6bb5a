import type { AdminService } from '../../../services/admin.js';
import type { BillingService } from '../../../services/billing.js';
import type { LoginThrottle } from '../../../services/login-throttle.js';
import type { RedemptionCodeService } from '../../../services/redemption-codes.js';
import type { SessionService } from '../../../services/sessions.js';
import type { UsageService } from '../../../services/usage.js';
import type { HttpDeps } from '../../deps.js';

/** What the dashboard routes use: the platform's dashboard services, by name. */
export interface DashboardDeps extends HttpDeps {
  sessions: SessionService;
  /** Failed logins and password changes, per email and per address. */
  loginThrottle: LoginThrottle;
  /** Redemptions of codes that do not exist, per user. */
  redeemThrottle: LoginThrottle;
  /** Sign-ups per address. */
  signupThrottle: LoginThrottle;
  codes: RedemptionCodeService;
  billing: BillingService;
  usage: UsageService;
  admin: AdminService;
}
