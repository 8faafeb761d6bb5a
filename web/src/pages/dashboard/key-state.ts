import type { ApiKey } from '../../types';

export type KeyState = 'active' | 'revoked' | 'expired' | 'limit_reached';

/** What a key can do now: revoked and expired keys are refused; one at its credit limit refuses new live tasks. */
export function keyState(k: ApiKey, now = Date.now()): KeyState {
  if (k.revoked_at) return 'revoked';
  if (k.expires_at && new Date(k.expires_at).getTime() <= now) return 'expired';
  if (k.credit_limit !== null && k.spent >= k.credit_limit) return 'limit_reached';
  return 'active';
}
