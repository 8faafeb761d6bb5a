import { mkdir, readFile, rename, unlink, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { Storage } from './types.js';

const SAFE_NAME = /^[A-Za-z0-9_-]+\.[a-z0-9]+$/;

export class LocalDiskStorage implements Storage {
  constructor(private readonly dir: string) {}

  async put(name: string, data: Buffer): Promise<void> {
    if (!SAFE_NAME.test(name)) throw new Error(`storage: bad file name ${name}`);
    await mkdir(this.dir, { recursive: true });
    // Write then rename, so a reader never sees half a file.
    const tmp = path.join(this.dir, `.${name}.${process.pid}.tmp`);
    await writeFile(tmp, data);
    await rename(tmp, path.join(this.dir, name));
  }

  async delete(name: string): Promise<void> {
    if (!SAFE_NAME.test(name)) throw new Error(`storage: bad file name ${name}`);
    try {
      await unlink(path.join(this.dir, name));
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
    }
  }

  async get(name: string): Promise<Buffer | null> {
    if (!SAFE_NAME.test(name)) return null;
    try {
      return await readFile(path.join(this.dir, name));
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null;
      throw err;
    }
  }
}
