// Picks the node that runs a task: highest priority first, weighted random among equals,
// skipping nodes without credentials and nodes whose circuit breaker is open. After the
// cool-down an open breaker lets one probe through (half-open); its result closes or reopens it.
import type { Catalog, ResolvedNode } from '../services/catalog.js';
import type { BreakerState, NodeHealth } from './node-health.js';

export type { BreakerState, NodeHealth };

/** A breaker that opened or closed, as shared with other processes (shared-node-health.ts). */
export interface BreakerChange {
  id: string;
  /** When it opened (ms since the epoch), or null: closed. */
  openedAt: number | null;
  consecutiveFailures: number;
  lastError: string | null;
}

interface Health {
  consecutiveFailures: number;
  openedAt: number | null;
  probing: boolean;
  inFlight: number;
  succeeded: number;
  failed: number;
  lastError: string | null;
}

export class NodeRouter {
  private readonly health = new Map<string, Health>();
  private listener?: (change: BreakerChange) => void;

  constructor(
    private readonly catalog: Catalog,
    private readonly opts: { failureThreshold: number; cooldownMs: number; now?: () => number } = { failureThreshold: 5, cooldownMs: 30_000 },
  ) {}

  private now(): number {
    return this.opts.now ? this.opts.now() : Date.now();
  }

  private h(id: string): Health {
    let h = this.health.get(id);
    if (!h) this.health.set(id, (h = { consecutiveFailures: 0, openedAt: null, probing: false, inFlight: 0, succeeded: 0, failed: 0, lastError: null }));
    return h;
  }

  state(id: string): BreakerState {
    const h = this.h(id);
    if (h.openedAt === null) return 'closed';
    return this.now() - h.openedAt >= this.opts.cooldownMs ? 'half_open' : 'open';
  }

  private accepts(node: ResolvedNode): boolean {
    if (node.missing.length) return false;
    const state = this.state(node.id);
    return state === 'closed' || (state === 'half_open' && !this.h(node.id).probing);
  }

  /**
   * The node for the next attempt at `modelId`, preferring any node other than `avoid`. Direct
   * requests (chat) pass `only`: never a node in `exclude`, never one at its concurrency.
   */
  pick(modelId: string, avoid?: string, only?: { exclude: ReadonlySet<string>; withinConcurrency: true }): ResolvedNode | undefined {
    const candidates = this.catalog
      .usableNodesFor(modelId)
      .filter((n) => this.accepts(n) && (!only || (!only.exclude.has(n.id) && this.h(n.id).inFlight < n.concurrency)));
    const preferred = candidates.filter((n) => n.id !== avoid);
    const pool = preferred.length ? preferred : candidates;
    if (!pool.length) return undefined;
    const top = Math.max(...pool.map((n) => n.priority));
    const tier = pool.filter((n) => n.priority === top);
    let roll = Math.random() * tier.reduce((sum, n) => sum + n.weight, 0);
    const chosen = tier.find((n) => (roll -= n.weight) < 0) ?? tier[tier.length - 1]!;
    if (this.state(chosen.id) === 'half_open') this.h(chosen.id).probing = true;
    return chosen;
  }

  /** Called on every breaker this process opens or closes (to tell the other processes). */
  onBreakerChange(listener: (change: BreakerChange) => void): void {
    this.listener = listener;
  }

  /** Takes over a breaker change another process made; not announced again. */
  adopt(change: BreakerChange): void {
    const h = this.h(change.id);
    h.openedAt = change.openedAt;
    h.consecutiveFailures = change.consecutiveFailures;
    if (change.lastError) h.lastError = change.lastError;
    if (change.openedAt === null) h.probing = false;
  }

  private announce(id: string, h: Health): void {
    this.listener?.({ id, openedAt: h.openedAt, consecutiveFailures: h.consecutiveFailures, lastError: h.lastError });
  }

  started(id: string): void {
    this.h(id).inFlight++;
  }

  succeeded(id: string): void {
    const h = this.h(id);
    h.inFlight = Math.max(0, h.inFlight - 1);
    h.succeeded++;
    const wasOpen = h.openedAt !== null;
    h.consecutiveFailures = 0;
    h.openedAt = null;
    h.probing = false;
    if (wasOpen) this.announce(id, h);
  }

  /** `countsAgainstNode`: only upstream faults (retryable ones) trip the breaker, not bad prompts. */
  failed(id: string, message: string, countsAgainstNode: boolean): void {
    const h = this.h(id);
    h.inFlight = Math.max(0, h.inFlight - 1);
    h.failed++;
    h.lastError = message;
    if (!countsAgainstNode) return;
    h.consecutiveFailures++;
    const opens = h.probing || h.consecutiveFailures >= this.opts.failureThreshold;
    if (opens) h.openedAt = this.now();
    h.probing = false;
    if (opens) this.announce(id, h);
  }

  snapshot(): NodeHealth[] {
    return this.catalog.nodes.map((n) => {
      const h = this.h(n.id);
      return {
        id: n.id,
        provider: n.provider,
        models: n.models,
        configured: n.missing.length === 0,
        missing: n.missing,
        state: this.state(n.id),
        consecutive_failures: h.consecutiveFailures,
        in_flight: h.inFlight,
        concurrency: n.concurrency,
        succeeded: h.succeeded,
        failed: h.failed,
        last_error: h.lastError,
      };
    });
  }
}
