// What `aio generate` and `aio tasks watch` show on stderr while a task runs: on a terminal, one
// line redrawn in place (status, a bar when the task reports progress, elapsed time); otherwise
// (a pipe, a log file, CI) a plain line for each change.
import type { TaskEvent } from '../../packages/sdk/src/index.js';

const WIDTH = 24;
const SPINNER = ['⠋', '⠙', '⠹', '⠸', '⠼', '⠴', '⠦', '⠧', '⠇', '⠏'];
const TICK_MS = 120;

interface Out {
  write(text: string): unknown;
  isTTY?: boolean;
}

export class ProgressLine {
  private status = 'submitting';
  private progress: number | null = null;
  private frame = 0;
  private readonly started = Date.now();
  private ticker?: ReturnType<typeof setInterval>;
  private lastPlain = '';

  constructor(
    private readonly out: Out,
    private readonly label: string,
  ) {
    if (out.isTTY) {
      this.ticker = setInterval(() => this.draw(), TICK_MS);
      this.ticker.unref?.();
    }
  }

  update(status: string, progress: number | null = this.progress): void {
    this.status = status;
    this.progress = progress;
    if (this.out.isTTY) return this.draw();
    const line = `${this.label} ${status}${progress !== null && status === 'running' ? ` ${progress}%` : ''}`;
    if (line !== this.lastPlain) this.out.write(`${line}\n`);
    this.lastPlain = line;
  }

  event(e: TaskEvent): void {
    this.update(e.status, e.progress);
  }

  /** Ends the line (with a final word) so what follows starts on its own line. */
  finish(status: string): void {
    clearInterval(this.ticker);
    this.update(status, status === 'succeeded' ? 100 : this.progress);
    if (this.out.isTTY) this.out.write('\n');
  }

  private draw(): void {
    const seconds = ((Date.now() - this.started) / 1000).toFixed(1);
    const bar =
      this.progress === null
        ? `${SPINNER[this.frame++ % SPINNER.length]} `
        : `[${'█'.repeat(Math.round((this.progress / 100) * WIDTH)).padEnd(WIDTH, '░')}] ${String(this.progress).padStart(3)}% `;
    this.out.write(`\r\x1b[2K${this.label} ${this.status.padEnd(10)} ${bar}${seconds}s`);
  }
}
