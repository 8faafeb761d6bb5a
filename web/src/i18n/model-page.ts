// Registers the model page's English strings: imported by that page only. The Chinese ones come
// with the Chinese dictionary (zh-CN.ts), so an English page does not carry them.
import { enModelPage } from './en-model-page';
import { addMessages } from './messages';

addMessages('en', enModelPage);
