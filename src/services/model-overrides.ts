// The operator's changes to the catalog file at run time: a model switched off or repriced (a unit
// price, per image, second, ..., kept in micro-credits) from the admin dashboard. Stored in `model_overrides` and applied to the in-memory Catalog; every
// process reloads them periodically, so several gateways and workers come to agree.
import type { Db } from '../db/database.js';
import type { ModelOverridesTable } from '../db/schema.js';
import { AppError, invalidParam } from '../lib/app-error.js';
import { MICRO, parseCredits } from '../lib/credits.js';
import { nowIso } from '../lib/time.js';
import type { Catalog } from './catalog.js';

export type ModelOverrideRow = ModelOverridesTable;

/** The highest unit price an override may set, in credits. */
export const MAX_PRICE_CREDITS = 1_000_000;

export class ModelOverrideService {
  private loads = 0;
  private applied = 0;
  private current = new Map<string, ModelOverrideRow>();

  constructor(
    private readonly db: Db,
    private readonly catalog: Catalog,
  ) {}

  /** Reads every override and applies it (models without one go back to the file's values). */
  async load(): Promise<void> {
    const seq = ++this.loads;
    const rows = await this.db.selectFrom('model_overrides').selectAll().execute();
    // A slower, older read must not undo a newer one.
    if (seq < this.applied) return;
    this.applied = seq;
    this.current = new Map(rows.map((r) => [r.model_id, r]));
    for (const model of this.catalog.models) {
      const row = this.current.get(model.id);
      this.catalog.applyOverride(model.id, { enabled: row?.enabled === null || row?.enabled === undefined ? null : row.enabled === 1, unit_price_micro: row?.unit_price_micro ?? null });
    }
  }

  /** The override of a model, if there is one. */
  get(modelId: string): ModelOverrideRow | undefined {
    return this.current.get(modelId);
  }

  /**
   * Changes a model's override: a field given as null goes back to the catalog file's value, a
   * field left out keeps its current override. `price_credits` is the unit price in decimal
   * credits (at most 6 decimals). Applied in this process at once.
   */
  async set(modelId: string, change: { enabled?: unknown; price_credits?: unknown }, updatedBy?: string): Promise<void> {
    if (!this.catalog.model(modelId)) throw new AppError(404, 'model_not_found', `There is no model '${modelId}'.`, { param: 'id' });
    if (change.enabled !== undefined && change.enabled !== null && typeof change.enabled !== 'boolean')
      throw invalidParam('enabled', "'enabled' must be true, false or null.");
    let unitPriceMicro: number | null | undefined = change.price_credits === null ? null : undefined;
    if (change.price_credits !== undefined && change.price_credits !== null) {
      unitPriceMicro = typeof change.price_credits === 'number' ? parseCredits(change.price_credits) : undefined;
      if (unitPriceMicro === undefined || unitPriceMicro < 0 || unitPriceMicro > MAX_PRICE_CREDITS * MICRO)
        throw invalidParam('price_credits', `'price_credits' must be a number of credits from 0 to ${MAX_PRICE_CREDITS} with at most 6 decimals, or null.`);
    }
    const existing = await this.db.selectFrom('model_overrides').selectAll().where('model_id', '=', modelId).executeTakeFirst();
    const row: ModelOverrideRow = {
      model_id: modelId,
      enabled: change.enabled === undefined ? (existing?.enabled ?? null) : change.enabled === null ? null : change.enabled ? 1 : 0,
      unit_price_micro: unitPriceMicro === undefined ? (existing?.unit_price_micro ?? null) : unitPriceMicro,
      updated_at: nowIso(),
      updated_by: updatedBy ?? null,
    };
    await this.db
      .insertInto('model_overrides')
      .values(row)
      .onConflict((oc) => oc.column('model_id').doUpdateSet({ enabled: row.enabled, unit_price_micro: row.unit_price_micro, updated_at: row.updated_at, updated_by: row.updated_by }))
      .execute();
    await this.load();
  }
}
