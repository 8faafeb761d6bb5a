import assert from 'node:assert/strict';

/** The error shape every 4xx must have: status, stable code, a human message, a type, the param. */
export function expectError(res: { status: number; body: any }, status: number, code: string, param?: string): void {
  assert.equal(res.status, status, JSON.stringify(res.body));
  assert.equal(res.body.error.code, code);
  assert.equal(typeof res.body.error.message, 'string');
  assert.ok(res.body.error.message.length > 10, `a message a person can act on: ${res.body.error.message}`);
  assert.equal(typeof res.body.error.type, 'string');
  if (param) assert.equal(res.body.error.param, param);
}
