// `aio`: run the server or workers, and manage users, keys and credits from a shell. Works on
// the same AIO_DATA_DIR / DATABASE_URL as the server, whether the server runs or not.
import { parseArgs } from 'node:util';
import pino from 'pino';
import { loadSettings } from '../config/settings.js';
import { AppError } from '../lib/app-error.js';
import { parseCredits, toCredits } from '../lib/credits.js';
import { createPlatform, type Platform } from '../platform.js';
import { publicKey } from '../services/api-keys.js';
import { auditDatabase, defaultTaskTimeoutMs, formatAudit } from '../services/audit.js';
import { publicEntry } from '../services/ledger.js';
import { AioError } from '../../packages/sdk/src/index.js';
import { CLIENT_COMMANDS, CLIENT_OPTIONS, CLIENT_USAGE, ClientUsageError, runClientCommand } from './client-commands.js';
import { serve } from './serve.js';

const USAGE = `Usage: aio <command> [options]

Server
  aio serve                         run the gateway (and, without REDIS_URL, the workers in-process)
  aio worker [--node ID ...]        run task workers only (needs REDIS_URL and DATABASE_URL)

Users, keys and credits (add --json for one JSON object on stdout)
  aio users create --email E [--admin] [--password P]
  aio users set-password --email E --password P     ends the user's dashboard sessions
  aio users promote --email E [--demote]            make an administrator (or, with --demote, not)
  aio keys create --user E [--name N] [--test]
  aio keys list --user E
  aio keys revoke KEY_ID
  aio credits grant --user E --amount N [--note T]   N in credits, e.g. 1.5 (negative takes away)
  aio credits show --user E

Checks
  aio audit [--task-timeout S]      check every money invariant on the database; exits 1 and names
                                    the offending rows when one breaks (S: age of a stale open hold)
`;

const OPTIONS = {
  email: { type: 'string' },
  user: { type: 'string' },
  admin: { type: 'boolean' },
  demote: { type: 'boolean' },
  password: { type: 'string' },
  name: { type: 'string' },
  test: { type: 'boolean' },
  amount: { type: 'string' },
  note: { type: 'string' },
  node: { type: 'string', multiple: true },
  'task-timeout': { type: 'string' },
  json: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
  ...CLIENT_OPTIONS,
} as const;

class UsageError extends Error {}

function need(value: string | undefined, flag: string): string {
  if (!value) throw new UsageError(`missing --${flag}`);
  return value;
}

type Values = ReturnType<typeof parseArgs<{ options: typeof OPTIONS; allowPositionals: true }>>['values'];

async function manage(platform: Platform, words: string[], v: Values): Promise<{ json: object; text: string }> {
  const [noun, verb, arg] = words;
  switch (`${noun} ${verb}`) {
    case 'users create': {
      const user = await platform.users.create({ email: need(v.email, 'email'), password: v.password, admin: v.admin });
      return { json: { id: user.id, email: user.email, admin: user.is_admin === 1 }, text: `created user ${user.email} (${user.id})${user.is_admin ? ' as admin' : ''}` };
    }
    case 'users set-password': {
      const user = await platform.users.requireByEmail(need(v.email, 'email'));
      await platform.users.setPassword(user.id, need(v.password, 'password'));
      await platform.db.deleteFrom('sessions').where('user_id', '=', user.id).execute();
      return { json: { id: user.id, email: user.email, password_set: true }, text: `set the password of ${user.email}; their dashboard sessions were ended` };
    }
    case 'users promote': {
      const user = await platform.users.requireByEmail(need(v.email, 'email'));
      const changed = await platform.users.setAdmin(user.id, !v.demote);
      return { json: { id: changed.id, email: changed.email, admin: changed.is_admin === 1 }, text: `${changed.email} is ${changed.is_admin ? 'now an administrator' : 'no longer an administrator'}` };
    }
    case 'keys create': {
      const user = await platform.users.requireByEmail(need(v.user, 'user'));
      const { key, record } = await platform.keys.create(user.id, { name: v.name, test: v.test });
      return {
        json: { ...publicKey(record), key },
        text: `${record.livemode ? 'live' : 'test'} key ${record.id} for ${user.email}:\n\n  ${key}\n\nIt is shown once: store it now.`,
      };
    }
    case 'keys list': {
      const user = await platform.users.requireByEmail(need(v.user, 'user'));
      const keys = (await platform.keys.list(user.id)).map(publicKey);
      const lines = keys.map((k) => `${k.id}  ${k.prefix}...  ${k.livemode ? 'live' : 'test'}  ${k.revoked_at ? 'revoked' : 'active'}  ${k.name}`);
      return { json: { object: 'list', data: keys }, text: lines.join('\n') || 'no keys' };
    }
    case 'keys revoke': {
      const key = await platform.keys.revoke(need(arg, 'key id (positional)'));
      return { json: publicKey(key), text: `revoked ${key.id}` };
    }
    case 'credits grant': {
      const user = await platform.users.requireByEmail(need(v.user, 'user'));
      const micro = parseCredits(need(v.amount, 'amount'));
      if (micro === undefined || micro === 0)
        throw new AppError(400, 'invalid_amount', `--amount must be a non-zero number of credits with at most 6 decimals, not '${v.amount}'.`, { param: 'amount' });
      const entry = await platform.ledger.credit(user.id, micro, micro > 0 ? 'grant' : 'adjustment', v.note ?? null);
      const [granted, balance] = [toCredits(micro), toCredits(entry.balance_after)];
      return { json: { user: user.email, granted, balance, entry_id: entry.id }, text: `granted ${granted} credits to ${user.email}; balance ${balance}` };
    }
    case 'credits show': {
      const user = await platform.users.requireByEmail(need(v.user, 'user'));
      const micro = await platform.ledger.balances(user.id);
      const [balance, reserved] = [toCredits(micro.balance), toCredits(micro.reserved)];
      const entries = (await platform.ledger.list(user.id, { limit: 10 })).map(publicEntry);
      const lines = entries.map((e) => `${e.created_at}  ${e.kind.padEnd(10)} ${String(e.amount).padStart(14)}  -> ${e.balance_after}  ${e.task_id ?? e.note ?? ''}`);
      return { json: { user: user.email, balance, reserved, recent: entries }, text: `${user.email}: ${balance} credits available, ${reserved} reserved\n${lines.join('\n')}` };
    }
  }
  throw new UsageError(`unknown command '${words.join(' ')}'`);
}

async function runAudit(platform: Platform, v: Values): Promise<void> {
  const seconds = v['task-timeout'] === undefined ? undefined : Number(v['task-timeout']);
  if (seconds !== undefined && !(Number.isFinite(seconds) && seconds > 0)) throw new UsageError(`--task-timeout must be a number of seconds > 0, not '${v['task-timeout']}'`);
  const taskTimeoutMs = seconds !== undefined ? seconds * 1000 : defaultTaskTimeoutMs(platform.settings);
  const report = await auditDatabase(platform.db, { kind: platform.dbKind, taskTimeoutMs });
  process.stdout.write(v.json ? `${JSON.stringify(report)}\n` : `${formatAudit(report)}\n`);
  if (!report.ok) process.exitCode = 1;
}

export async function main(argv: string[]): Promise<void> {
  let parsed;
  try {
    parsed = parseArgs({ args: argv, options: OPTIONS, allowPositionals: true });
  } catch (err) {
    process.stderr.write(`aio: ${(err as Error).message}\n\n${USAGE}`);
    process.exit(2);
  }
  const { values, positionals } = parsed;
  const command = positionals[0];
  if (!command || values.help) {
    process.stdout.write(USAGE);
    return;
  }
  const settings = loadSettings();
  if (command === 'serve' || command === 'worker') return serve(settings, command, values.node ?? []);
  if (CLIENT_COMMANDS.includes(command)) return client(positionals, values, settings);

  const platform = await createPlatform(settings, { workers: false, logger: pino({ level: 'silent' }) });
  try {
    if (command === 'audit') return await runAudit(platform, values);
    const result = await manage(platform, positionals, values);
    process.stdout.write(values.json ? `${JSON.stringify(result.json)}\n` : `${result.text}\n`);
  } catch (err) {
    const message = err instanceof AppError || err instanceof UsageError ? err.message : String((err as Error).stack ?? err);
    if (values.json) process.stdout.write(`${JSON.stringify({ error: { code: err instanceof AppError ? err.code : 'usage', message } })}\n`);
    else process.stderr.write(`aio: ${message}\n${err instanceof UsageError ? `\n${USAGE}` : ''}`);
    process.exitCode = err instanceof UsageError ? 2 : 1;
  } finally {
    await platform.close();
  }
}

/** The client commands: no database, only the server at AIO_BASE_URL. */
async function client(words: string[], values: Values, settings: ReturnType<typeof loadSettings>): Promise<void> {
  try {
    await runClientCommand(words, values, settings, { stdout: process.stdout, stderr: process.stderr });
  } catch (err) {
    const usage = err instanceof ClientUsageError;
    const known = err instanceof AioError ? err : undefined;
    const message = usage || known ? (err as Error).message : String((err as Error).stack ?? err);
    if (values.json) process.stdout.write(`${JSON.stringify({ error: { code: known?.code ?? (usage ? 'usage' : 'internal_error'), message, param: known?.param, request_id: known?.requestId } })}\n`);
    else process.stderr.write(`aio: ${message}${known ? ` [${known.code}${known.requestId ? `, request ${known.requestId}` : ''}]` : ''}\n${usage ? `\n${CLIENT_USAGE}` : ''}`);
    process.exitCode = usage ? 2 : 1;
  }
}
