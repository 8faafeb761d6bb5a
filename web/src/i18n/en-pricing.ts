// Strings of the pricing page, registered when it loads (English; the Chinese ones are in zh-CN.ts).
import { addMessages } from './messages';

export const enPricing = {
  pricing_title: 'Pricing',
  pricing_lead: 'Pay per successful request. 1 credit = $0.01. Failed requests and test keys cost nothing.',
  pricing_price: 'Price',
  pricing_usd: 'USD per unit',
  pricing_state: 'Availability',
  pricing_billing_note: 'Media models are charged per successful request, chat models per token used. Failed or canceled requests cost nothing.',
  pricing_packs: 'Credit packs',
  pricing_packs_lead: 'Buy credits once; they never expire.',
  pricing_codes_only: 'Card payments are not set up on this server: credits are added with redemption codes from the operator.',
};

addMessages('en', enPricing);
