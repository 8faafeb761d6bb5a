// Runs SQLite's WAL checkpoints for one database file on a thread of its own (see
// wal-checkpointer.ts). Plain JavaScript: worker threads are not loaded through tsx.
import { parentPort, workerData } from 'node:worker_threads';
import SQLite from './sqlite.mjs';

const db = new SQLite(workerData.file, { fileMustExist: true });
db.pragma('busy_timeout = 1000');
const checkpoint = () => {
  try {
    const [result] = db.pragma('wal_checkpoint(PASSIVE)');
    // Copied, but the log only starts over from a write that begins with nothing left to copy:
    // under steady writes that never happens here. Ask the writing connection to finish it.
    if (result && result.log >= workerData.restartFrames && result.checkpointed === result.log) parentPort.postMessage('long-log');
  } catch {
    // busy (another connection is checkpointing) or the file went away: try again next time
  }
};
const timer = setInterval(checkpoint, workerData.everyMs);
parentPort.on('message', (message) => {
  if (message !== 'stop') return;
  clearInterval(timer);
  checkpoint();
  db.close();
  parentPort.close();
});
