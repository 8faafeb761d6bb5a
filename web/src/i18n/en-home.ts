// Strings of the home page, registered when it loads (English; the Chinese ones are in zh-CN.ts).
import { addMessages } from './messages';

export const enHome = {
  home_eyebrow: 'AI media API platform',
  home_title: 'One API key. Every media model.',
  home_lead: 'Generate images, video, speech and music, and run image tools, through one API with one key. Send a request, get a task, fetch the result: billed per successful request in simple credits.',
  home_cta_start: 'Create a free account',
  home_cta_models: 'Browse models',
  home_cta_dashboard: 'Open the dashboard',
  home_steps_title: 'From sign-up to first result in a minute',
  home_step1_title: 'Sign up',
  home_step1_body: 'An email and a password. No card needed to try it.',
  home_step2_title: 'Try the playground',
  home_step2_body: 'It runs on a free test key, made with one click: real sample results from the built-in engines.',
  home_step3_title: 'Call the API',
  home_step3_body: 'Create a key and POST to the model’s endpoint from your code. The docs have curl, JavaScript and Python.',
  home_models_title: 'Models',
  home_all_models: 'See all models',
};

addMessages('en', enHome);
