import { mkdir, readFile, rename, unlink, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { Storage } from './types.js';

const SAFE_NAME = /^[A-Za-z0-9_-]+\.[a-z0-9]+$/;

export class LocalDiskStorage implements Storage {
  /** The folder is made once, not before every file (made again if it disappears). */
  private folder?: Promise<unknown>;

  constructor(private readonly dir: string) {}

  private makeFolder(): Promise<unknown> {
    this.folder ??= mkdir(this.dir, { recursive: true }).catch((err) => {
      this.folder = undefined;
      throw err;
    });
    return this.folder;
  }

  async put(name: string, data: Buffer): Promise<void> {
    if (!SAFE_NAME.test(name)) throw new Error(`storage: bad file name ${name}`);
    await this.makeFolder();
    // Write then rename, so a reader never sees half a file.
    const tmp = path.join(this.dir, `.${name}.${process.pid}.tmp`);
    try {
      await writeFile(tmp, data);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
      this.folder = undefined;
      await this.makeFolder();
      await writeFile(tmp, data);
    }
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
