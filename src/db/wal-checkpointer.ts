// SQLite copies its write-ahead log back into the database file ("checkpoint") when a commit
// finds the log over 1,000 pages, and that commit then waits for the file to be synced: every
// hundred or so commits one takes milliseconds (tens under load), blocking the event loop, since
// better-sqlite3 is synchronous. Here the process's connection never checkpoints and a thread of
// its own does it every `everyMs`, without waiting for readers or writers (PASSIVE). Durability is
// unchanged in kind (synchronous=NORMAL: a power loss may lose the commits since the last
// checkpoint, which is now at most `everyMs` old); a crash of the process loses nothing.
import { Worker } from 'node:worker_threads';

export interface WalCheckpointer {
  stop(): Promise<void>;
}

export function startWalCheckpointer(file: string, everyMs = 500): WalCheckpointer {
  const worker = new Worker(new URL('./wal-checkpoint-worker.mjs', import.meta.url), { workerData: { file, everyMs } });
  worker.unref();
  const exited = new Promise<void>((resolve) => worker.once('exit', () => resolve()));
  // A checkpointer that fails leaves the log growing: say so loudly rather than silently.
  worker.on('error', (err) => process.emitWarning(`SQLite checkpoint thread for ${file} stopped: ${err.message}`));
  return {
    async stop() {
      worker.ref(); // keeps the process up while it finishes
      worker.postMessage('stop');
      let timer: NodeJS.Timeout | undefined;
      await Promise.race([exited, new Promise((resolve) => (timer = setTimeout(resolve, 2000)))]);
      clearTimeout(timer);
      await worker.terminate();
    },
  };
}
