// The abort signal of one outgoing call: it aborts when the caller's `parent` signal does (a
// shutdown, a client gone) or, given `ms`, when the call has taken that long (its reason then a
// `TimeoutError`, as AbortSignal.timeout gives).
//
// Why not AbortSignal.any([parent, AbortSignal.timeout(ms)]): Node holds such signals only
// weakly (a timeout signal from its timer, an `any` signal from its sources), and fetch does not
// hold the one it is given either. Once garbage-collected, the signal never aborts the call: an
// upstream that never answered kept a task running long past its timeout, under load, until
// this class. Here the timer holds the controller and the combined signal until it fires or
// `done()` is called, and the caller holds it for as long as it may still `abort()`.
/** Why a call its caller closed ended: one shared object (an exception built per call showed in profiles). */
const CLOSED = new DOMException('The call was closed.', 'AbortError');

export class CallSignal {
  readonly signal: AbortSignal;
  private readonly controller = new AbortController();
  private timer: NodeJS.Timeout | undefined;
  private expired = false;

  constructor(parent?: AbortSignal, ms?: number) {
    this.signal = parent ? AbortSignal.any([parent, this.controller.signal]) : this.controller.signal;
    if (ms !== undefined) this.restart(ms);
  }

  /** True once the deadline (not the parent, not `abort()`) ended the call. */
  get timedOut(): boolean {
    return this.expired;
  }

  /** Starts the deadline again from now, e.g. for each silence between chunks of a stream. */
  restart(ms: number): void {
    clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.expired = true;
      this.controller.abort(new DOMException(`The call took longer than ${ms} ms.`, 'TimeoutError'));
    }, ms);
    this.timer.unref();
  }

  /** Stops the deadline: the call is over, or between two waits (see `restart`). */
  done(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
  }

  /** Gives up the call now. */
  abort(reason: unknown = CLOSED): void {
    this.done();
    this.controller.abort(reason);
  }
}
