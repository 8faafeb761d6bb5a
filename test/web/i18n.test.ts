// The words of the web app and the catalog: every Chinese dictionary has exactly its English
// keys; Chinese text uses Chinese punctuation and one term for an API key; English plurals are
// right ("1 credit", "15 minutes"); the catalog's customer texts name no node or setting.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { pathToFileURL } from 'node:url';
import { ROOT } from './browser.js';

// The web app's modules, loaded as the browser's bundle would (they are type-checked with web/).
const load = (file: string) => import(pathToFileURL(path.join(ROOT, 'web', 'src', file)).href);
const [{ enAccount }, { enAuth }, { enDashboard }, { enHome }, { enModelPage }, { enModelPageMore }, { enModels }, { enPricing }, { en }, { addMessages, translate }, { zhCN, zhCNModelPage }, { zhCNDashboard }, { DOCS_EN }, { DOCS_REF_EN }, { DOCS_REF_ZH, DOCS_ZH }] =
  await Promise.all(
    [
      'i18n/en-account.ts',
      'i18n/en-auth.ts',
      'i18n/en-dashboard.ts',
      'i18n/en-home.ts',
      'i18n/en-model-page.ts',
      'i18n/en-model-page-more.ts',
      'i18n/en-models.ts',
      'i18n/en-pricing.ts',
      'i18n/en.ts',
      'i18n/messages.ts',
      'i18n/zh-CN.ts',
      'i18n/zh-CN-dashboard.ts',
      'pages/docs/texts.ts',
      'pages/docs/texts-ref.ts',
      'pages/docs/texts-zh.ts',
    ].map(load),
  );

const CJK = '[\\u3400-\\u9fff]';
/** ASCII punctuation touching Chinese characters: ",", ":", ";", "?", "!", "(" and ")". */
const ASCII_NEXT_TO_CHINESE = new RegExp(`${CJK}[,:;?!()]|[,:;?!()]${CJK}|${CJK}"|"${CJK}`);

/** Every string inside a value (objects, arrays, nested). */
function strings(value: unknown, at = ''): [string, string][] {
  if (typeof value === 'string') return [[at, value]];
  if (Array.isArray(value)) return value.flatMap((v, i) => strings(v, `${at}[${i}]`));
  if (value && typeof value === 'object') return Object.entries(value).flatMap(([k, v]) => strings(v, at ? `${at}.${k}` : k));
  return [];
}

const publicEn = { ...en, ...enModels, ...enAccount, ...enHome, ...enPricing, ...enAuth };
const chinese: [string, Record<string, unknown>][] = [
  ['zh-CN', zhCN],
  ['zh-CN model page', zhCNModelPage],
  ['zh-CN dashboard', zhCNDashboard],
  ['docs', DOCS_ZH],
  ['docs reference', DOCS_REF_ZH],
];

test('every Chinese dictionary has exactly the keys of its English one', () => {
  assert.deepEqual(Object.keys(zhCN).sort(), Object.keys(publicEn).sort());
  assert.deepEqual(Object.keys(zhCNModelPage).sort(), Object.keys({ ...enModelPage, ...enModelPageMore }).sort());
  assert.deepEqual(Object.keys(zhCNDashboard).sort(), Object.keys(enDashboard).sort());
  assert.deepEqual(Object.keys(DOCS_ZH).sort(), Object.keys(DOCS_EN).sort());
  assert.deepEqual(Object.keys(DOCS_REF_ZH).sort(), Object.keys(DOCS_REF_EN).sort());
});

test('Chinese text uses Chinese punctuation and one term for an API key', () => {
  const bad: string[] = [];
  for (const [name, dict] of chinese)
    for (const [key, text] of strings(dict)) {
      if (ASCII_NEXT_TO_CHINESE.test(text.replace(/`[^`]*`/g, ''))) bad.push(`${name} ${key}: ${text}`);
      if (/API Key|API key|API-Key/.test(text)) bad.push(`${name} ${key}: “API 密钥”, not ${text}`);
    }
  assert.deepEqual(bad, []);
});

test('the catalog’s Chinese texts too; and no customer text names a node, a setting or a "production route"', () => {
  const catalog = JSON.parse(readFileSync(path.join(ROOT, 'config', 'catalog.json'), 'utf8')) as { models: Record<string, unknown>[] };
  const bad: string[] = [];
  for (const model of catalog.models) {
    const texts = { name: model.name, pitch: model.pitch, description: model.description, capabilities: model.capabilities, use_cases: model.use_cases, faq: model.faq, i18n: model.i18n };
    for (const [key, text] of strings(texts)) {
      if (/node\d+|_API_KEY|_BASE_URL|production route|backend node|后端节点|生产路由/.test(text)) bad.push(`${model.id} ${key}: ${text}`);
      if (key.startsWith('i18n.zh-CN') && ASCII_NEXT_TO_CHINESE.test(text)) bad.push(`${model.id} ${key}: ${text}`);
      if (key.startsWith('i18n.zh-CN') && /API Key/.test(text)) bad.push(`${model.id} ${key}: ${text}`);
    }
  }
  assert.deepEqual(bad, []);
});

test('English plurals: one credit, task, minute; more of them', () => {
  addMessages('en', enDashboard);
  assert.equal(translate('en', 'credits_n', { n: 1 }), '1 credit');
  assert.equal(translate('en', 'credits_n', { n: '0.5' }), '0.5 credits');
  assert.equal(translate('en', 'credits_n', { n: 12 }), '12 credits');
  assert.equal(translate('en', 'tasks_n', { n: 1 }), '1 task');
  assert.equal(translate('en', 'tasks_n', { n: 3 }), '3 tasks');
  assert.equal(translate('en', 'err_too_many', { time: translate('en', 'minutes_n', { n: 15 }) }), 'Too many attempts. Try again in 15 minutes.');
  assert.equal(translate('en', 'minutes_n', { n: 1 }), '1 minute');
  assert.equal(translate('en', 'price_per', { n: 1, unit: 'image' }), '1 credit per image');
  assert.equal(translate('en', 'task_attempts_n', { n: 1 }), '1 attempt');
  // Chinese has no plural: the same words.
  addMessages('zh-CN', zhCN);
  assert.equal(translate('zh-CN', 'credits_n', { n: 1 }), '1 积分');
});
