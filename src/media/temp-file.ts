// A private temporary directory in os.tmpdir() for the length of one FFmpeg job, removed afterwards
// even when the job fails. Used where FFmpeg must seek in its input (MP4 with the index at the end)
// or write a file it finishes by seeking back.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** Runs `fn` with a fresh directory; the directory and everything in it is deleted afterwards. */
export async function withTempDir<T>(fn: (dir: string) => Promise<T>): Promise<T> {
  const dir = await mkdtemp(join(tmpdir(), 'aio-media-'));
  try {
    return await fn(dir);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** Writes `data` to a temporary file and runs `fn` with its path; the file is deleted afterwards. */
export function withTempFile<T>(data: Buffer, fn: (file: string) => Promise<T>): Promise<T> {
  return withTempDir(async (dir) => {
    const file = join(dir, 'input');
    await writeFile(file, data);
    return fn(file);
  });
}
