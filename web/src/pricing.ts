// A model's price in words, in the page's language: "7 credits per second", "14 per second with
// audio", "每秒 7 积分", "含音频时每秒 14 积分".
import './i18n/en-models';
import { fmtCredits, fmtCreditsUsd } from './money';
import type { Lang, MessageKey, Translate } from './i18n';
import type { ModelPrice } from './types';

const UNITS = ['image', 'second', '1k_characters', 'run', 'megapixel', '1m_tokens'];
const RATES = ['audio', 'output', 'cached_input'];

export function unitWords(unit: string, t: Translate): string {
  return UNITS.includes(unit) ? t(`unit_${unit}` as MessageKey) : unit;
}

/** "12 credits per image". */
export function priceWords(price: Pick<ModelPrice, 'credits' | 'unit'>, t: Translate, lang: Lang): string {
  return t('price_per', { n: fmtCredits(price.credits, lang), unit: unitWords(price.unit, t) });
}

export interface RateLine {
  name: string;
  credits: number;
  /** "14 per second with audio". */
  text: string;
  usd: string;
}

/** The model's other rates (e.g. with audio), each in words. */
export function rateLines(price: ModelPrice, t: Translate, lang: Lang): RateLine[] {
  return Object.entries(price.rates ?? {}).map(([name, credits]) => ({
    name,
    credits,
    usd: fmtCreditsUsd(credits),
    text: t('price_rate', {
      n: fmtCredits(credits, lang),
      unit: unitWords(price.unit, t),
      rate: RATES.includes(name) ? t(`rate_${name}` as MessageKey) : t('rate_named', { name }),
    }),
  }));
}

/** "12 credits per image (~$0.12)". */
export function priceHeadline(price: ModelPrice, t: Translate, lang: Lang): string {
  return t('price_headline', { price: priceWords(price, t, lang), usd: fmtCreditsUsd(price.credits) });
}
