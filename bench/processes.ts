// The bench's child processes: each started on loopback with its output in a log file, ready
// when it prints its ready line or answers its health URL, and stopped with SIGTERM (SIGKILL
// after a grace period) so that `--cpu-prof` profiles get written.
import { type ChildProcess, spawn } from 'node:child_process';
import { closeSync, openSync } from 'node:fs';
import net from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';

export interface Child {
  name: string;
  pid: number;
  /** What the ready line said (parsed JSON), if the child announces itself that way. */
  info: Record<string, unknown>;
  logFile: string;
  stop(): Promise<void>;
}

export interface StartOptions {
  name: string;
  command: string;
  args: string[];
  env: NodeJS.ProcessEnv;
  logFile: string;
  /** Ready when a stdout line contains this JSON object text; its JSON is `info`. */
  readyText?: string;
  /** Ready when this URL answers 200. */
  readyUrl?: string;
  timeoutMs?: number;
}

/** A free loopback port (taken, then released, for a child that needs its port given). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

const running = new Set<Child>();

export async function startChild(opts: StartOptions): Promise<Child> {
  const log = openSync(opts.logFile, 'a');
  const proc = spawn(opts.command, opts.args, { env: opts.env, stdio: ['ignore', opts.readyText ? 'pipe' : log, log] });
  closeSync(log);
  let exited: string | undefined;
  const exit = new Promise<void>((resolve) =>
    proc.once('exit', (code, signal) => {
      exited = `exited (${signal ?? code})`;
      resolve();
    }),
  );
  let waiting = true;
  const info = await Promise.race([
    waitReady(proc, opts, () => waiting),
    exit.then(() => Promise.reject(new Error(`${opts.name} ${exited} before it was ready; see ${opts.logFile}`))),
    sleep(opts.timeoutMs ?? 60_000, undefined, { ref: false }).then(() => Promise.reject(new Error(`${opts.name} not ready after ${(opts.timeoutMs ?? 60_000) / 1000} s; see ${opts.logFile}`))),
  ])
    .catch((err) => {
      proc.kill('SIGKILL');
      throw err;
    })
    .finally(() => {
      waiting = false;
    });
  const child: Child = {
    name: opts.name,
    pid: proc.pid!,
    info,
    logFile: opts.logFile,
    async stop() {
      running.delete(child);
      if (exited) return;
      proc.kill('SIGTERM');
      const killed = await Promise.race([exit.then(() => false), sleep(15_000, undefined, { ref: false }).then(() => true)]);
      if (killed) {
        proc.kill('SIGKILL');
        await exit;
      }
    },
  };
  running.add(child);
  return child;
}

async function waitReady(proc: ChildProcess, opts: StartOptions, waiting: () => boolean): Promise<Record<string, unknown>> {
  if (opts.readyText) {
    const wanted = opts.readyText;
    return new Promise((resolve) => {
      let seen = '';
      const onData = (data: Buffer) => {
        seen += data.toString('utf8');
        const at = seen.indexOf(wanted);
        if (at < 0) return;
        const line = seen.slice(seen.lastIndexOf('{', at), seen.indexOf('\n', at) >= 0 ? seen.indexOf('\n', at) : undefined);
        proc.stdout!.off('data', onData);
        proc.stdout!.resume(); // keep draining whatever else it prints
        resolve(JSON.parse(line) as Record<string, unknown>);
      };
      proc.stdout!.on('data', onData);
    });
  }
  while (waiting()) {
    try {
      const res = await fetch(opts.readyUrl!);
      await res.arrayBuffer();
      if (res.ok) return {};
    } catch {
      // not listening yet
    }
    await sleep(100);
  }
  return {};
}

/** Stops every child still running (at the end, or when the bench fails half-way). */
export async function stopAll(): Promise<void> {
  await Promise.all([...running].map((c) => c.stop()));
}
