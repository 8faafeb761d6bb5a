// FFmpeg (the static build shipped by @ffmpeg-installer on npm) as a separate process: it is
// GPL-licensed, so it is never loaded into ours. Input may be piped on stdin, output read from
// stdout; a time limit and the caller's abort signal kill it.
import { spawn } from 'node:child_process';
import { accessSync, chmodSync, constants } from 'node:fs';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);

let binary: string | undefined;

/** The ffmpeg executable's path (made executable if npm left it without the bit). */
export function ffmpegPath(): string {
  if (binary) return binary;
  const { path } = require('@ffmpeg-installer/ffmpeg') as { path: string };
  try {
    accessSync(path, constants.X_OK);
  } catch {
    chmodSync(path, 0o755);
  }
  binary = path;
  return path;
}

export interface FfmpegResult {
  stdout: Buffer;
  stderr: string;
}

export class FfmpegError extends Error {
  constructor(
    message: string,
    readonly stderr: string,
  ) {
    super(message);
    this.name = 'FfmpegError';
  }
}

/**
 * Runs ffmpeg with `args` (`-hide_banner -nostdin` style flags are added). `input` is written to
 * its stdin (use `-i pipe:0`); its stdout is collected (use `pipe:1` as the output).
 * Rejects with FfmpegError on a non-zero exit, a timeout or an abort.
 */
export function runFfmpeg(args: string[], opts: { input?: Buffer; signal?: AbortSignal; timeoutMs?: number; allowFailure?: boolean } = {}): Promise<FfmpegResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(ffmpegPath(), ['-hide_banner', '-loglevel', 'info', ...args], { stdio: ['pipe', 'pipe', 'pipe'] });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    let settled = false;
    const finish = (fn: () => void) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      opts.signal?.removeEventListener('abort', onAbort);
      fn();
    };
    const onAbort = () => {
      child.kill('SIGKILL');
      finish(() => reject(new FfmpegError('ffmpeg was aborted', Buffer.concat(err).toString())));
    };
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      finish(() => reject(new FfmpegError(`ffmpeg took longer than ${opts.timeoutMs} ms`, Buffer.concat(err).toString())));
    }, opts.timeoutMs ?? 120_000);
    if (opts.signal?.aborted) return onAbort();
    opts.signal?.addEventListener('abort', onAbort, { once: true });
    child.stdout.on('data', (c: Buffer) => out.push(c));
    child.stderr.on('data', (c: Buffer) => err.push(c));
    child.on('error', (e) => finish(() => reject(new FfmpegError(`ffmpeg could not start: ${e.message}`, ''))));
    child.on('close', (code) => {
      const stderr = Buffer.concat(err).toString();
      if (code !== 0 && !opts.allowFailure) return finish(() => reject(new FfmpegError(`ffmpeg exited with ${code}: ${lastLines(stderr)}`, stderr)));
      finish(() => resolve({ stdout: Buffer.concat(out), stderr }));
    });
    // ffmpeg may stop reading stdin early (it has what it needs): that is not an error.
    child.stdin.on('error', () => undefined);
    if (opts.input) child.stdin.end(opts.input);
    else child.stdin.end();
  });
}

function lastLines(text: string, n = 3): string {
  return text.trim().split('\n').slice(-n).join(' | ').slice(0, 500);
}
