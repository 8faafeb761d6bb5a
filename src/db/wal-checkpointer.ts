// SQLite copies its write-ahead log back into the database file ("checkpoint") when a commit
// finds the log over 1,000 pages, and that commit then waits for the file to be synced: every
// hundred or so commits one takes milliseconds (tens under load), blocking the event loop, since
// better-sqlite3 is synchronous. Here the process's connection never checkpoints and a thread of
// its own does it every `everyMs`, without waiting for readers or writers (PASSIVE). Durability is
// unchanged in kind (synchronous=NORMAL: a power loss may lose the commits since the last
// checkpoint, which is now at most `everyMs` old); a crash of the process loses nothing.
//
// The log starts over from the beginning only when a write begins with every frame already
// copied, and under steady writes the thread's copy always trails the writer: the log then grew
// without end (3 GB in 40 s of task intake). So when the thread has copied a log longer than
// `restartFrames`, it says so and the writing connection runs one checkpoint itself (only the
// frames written since the thread's copy are left, then one sync), after which its next write
// starts the log over; `journal_size_limit` gives the file's space back.
import { Worker } from 'node:worker_threads';

export interface WalCheckpointer {
  stop(): Promise<void>;
}

/** Frames (pages) of log after which the writing connection finishes a checkpoint: 16 MB of 4 KiB pages. */
export const RESTART_FRAMES = 4096;

export function startWalCheckpointer(file: string, onLongLog: () => void, everyMs = 500): WalCheckpointer {
  const worker = new Worker(new URL('./wal-checkpoint-worker.mjs', import.meta.url), { workerData: { file, everyMs, restartFrames: RESTART_FRAMES } });
  worker.unref();
  worker.on('message', (message) => message === 'long-log' && onLongLog());
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
