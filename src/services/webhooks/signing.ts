// Standard Webhooks signatures (https://www.standardwebhooks.com): `webhook-id`,
// `webhook-timestamp` (seconds) and `webhook-signature`, one `v1,<base64 HMAC-SHA256>` per secret
// that signs now (two during a rotation's overlap; receivers accept any that matches).
import { Webhook } from 'standardwebhooks';

export function signedHeaders(msgId: string, payload: string, secrets: string[], at = new Date()): Record<string, string> {
  return {
    'webhook-id': msgId,
    'webhook-timestamp': String(Math.floor(at.getTime() / 1000)),
    'webhook-signature': secrets.map((secret) => new Webhook(secret).sign(msgId, at, payload)).join(' '),
  };
}
