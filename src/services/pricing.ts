// What a task costs, from its model's unit price and the modality's quote. The core knows no
// units: it multiplies. Amounts are integer micro-credits, rounded up so a price is never short.
import type { ModelConfig } from '../config/catalog-schema.js';
import { fromCredits } from '../lib/credits.js';
import type { PriceQuote } from '../modalities/types.js';

/** The snapshot a task keeps of how it was priced: an admin price change never alters it. */
export interface PriceSnapshot {
  unit: string;
  rate: string;
  unit_price_micro: number;
  quantity: number;
}

export function unitPriceMicro(model: ModelConfig, rate?: string): number {
  const credits = rate ? model.price.rates?.[rate] ?? model.price.credits : model.price.credits;
  return fromCredits(credits);
}

export function priceSnapshot(model: ModelConfig, quote: PriceQuote): PriceSnapshot {
  return { unit: model.price.unit, rate: quote.rate ?? 'base', unit_price_micro: unitPriceMicro(model, quote.rate), quantity: quote.quantity };
}

/** The amount for `quantity` units at the snapshot's unit price. */
export const amountFor = (snapshot: Pick<PriceSnapshot, 'unit_price_micro'>, quantity: number): number => Math.ceil(snapshot.unit_price_micro * quantity - 1e-9);
