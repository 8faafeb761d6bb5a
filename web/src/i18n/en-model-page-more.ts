// English strings of the lower part of a model's page, registered when that part loads.
import { addMessages } from './index';

export const enModelPageMore = {
  example_response: 'The answer is a task (HTTP 202):',
  example_finished: 'Once it has finished (GET the task, or send “Prefer: wait”):',
  answer_title: 'The answer',
  default_is: 'default {v}',
  output_lead: 'A finished task’s “output” holds the {type} files, stored on this server: fetch each from its “url”.',
  output_inputs: 'Input types',
  output_shape: 'Output fields',
  steps_lead: 'One account for everything: the same key, credits and dashboard for every model.',
  step1_title: 'Create an API key',
  step1_body: 'Create a key in the dashboard. Top-ups, orders, credits and your profile live in the same dashboard.',
  step2_title: 'Call the endpoint',
  step2_body: 'Send a request with the endpoint, model id and parameters listed on this page.',
  step3_title: 'Check the task status',
  step3_body: 'Tasks run asynchronously: fetch the result from {task}, or send “Prefer: wait” to get it in the answer.',
  status_lead: 'After a task is created, fetch its status and result from the task endpoint.',
  status_desc: 'Get a task’s status, progress and result.',
  price_headline: '{price} (~{usd})',
  price_base: 'Base price',
  price_credits_per: 'Credits per {unit}',
  price_billing: 'Billing',
  price_note: 'Failed or canceled requests are not charged. 1 credit = $0.01.',
  related_title: 'Related models',
};

addMessages('en', enModelPageMore);
