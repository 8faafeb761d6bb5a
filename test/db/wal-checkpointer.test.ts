// SQLite's write-ahead log under steady writes. Checkpoints run on a thread of their own, whose
// copy always trails a busy writer, so the log never started over by itself: 3 GB after 40 s of
// task intake. Now the writing connection finishes a checkpoint when the thread reports a long
// log, the next write starts the log over, and the file gives its space back.
import assert from 'node:assert/strict';
import { statSync } from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { sql } from 'kysely';
import { openDatabase } from '../../src/db/database.js';
import { RESTART_FRAMES } from '../../src/db/wal-checkpointer.js';
import { tempDir } from '../helpers/databases.js';

const PAGE = 4096;
const LIMIT = RESTART_FRAMES * PAGE * 2; // the journal_size_limit set on the connection

test('after a burst of concurrent writes the log starts over and its file shrinks back; nothing written is lost', { timeout: 120_000 }, async () => {
  const file = path.join(tempDir('aio-wal-'), 'aio.sqlite');
  const { db, close } = await openDatabase(file);
  const walSize = () => statSync(`${file}-wal`).size;
  try {
    await sql`CREATE TABLE burst (id INTEGER PRIMARY KEY, tag TEXT NOT NULL, body TEXT NOT NULL)`.execute(db);
    await sql`CREATE INDEX burst_tag ON burst (tag)`.execute(db);
    // Ten writers, each yielding to the event loop between transactions, as requests do: about
    // 3 pages a transaction, so the log passes four times the file limit.
    const perWriter = Math.ceil((4 * LIMIT) / PAGE / 3 / 10);
    let peak = 0;
    await Promise.all(
      Array.from({ length: 10 }, async (_, w) => {
        for (let i = 0; i < perWriter; i++) {
          await new Promise((r) => setImmediate(r));
          await db.transaction().execute(async (trx) => {
            await sql`INSERT INTO burst (tag, body) VALUES (${`w${w}-${i % 50}`}, ${'x'.repeat(900)})`.execute(trx);
          });
          if (i % 200 === 0) peak = Math.max(peak, walSize());
        }
      }),
    );
    assert.ok(peak > 0, 'the log was written');
    // Quiet now: a write now and then (as a server has) lets the finished checkpoint take effect.
    let size = walSize();
    for (let tries = 0; size > LIMIT && tries < 100; tries++) {
      await new Promise((r) => setTimeout(r, 100));
      await sql`INSERT INTO burst (tag, body) VALUES ('tick', '')`.execute(db);
      size = walSize();
    }
    assert.ok(size <= LIMIT, `the log file is back within ${LIMIT} bytes (it is ${size}; its peak was ${peak})`);
    const { rows } = await sql<{ n: number }>`SELECT count(*) AS n FROM burst WHERE tag <> 'tick'`.execute(db);
    assert.equal(rows[0]!.n, perWriter * 10, 'every row is there');
  } finally {
    await close();
  }
});
