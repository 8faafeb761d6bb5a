// The messages of the i18n runtime (no React here, so node tests can use it too): the dictionaries,
// `translate` that fills a message's {placeholders}, and loading a language. The strings live in
// one file per language and part: the public English ones come with the first load; Chinese is
// fetched when it is chosen (before the first render, so nothing flashes); the dashboard's arrive
// with the dashboard.
import type { DashboardMessageKey } from './en-dashboard';
import type { ModelPageMessageKey } from './en-model-page';
import type { ParameterView } from '../types';
import { en, type PublicMessageKey as ShellMessageKey } from './en';
import type { enAccount } from './en-account';
import type { enAuth } from './en-auth';
import type { enHome } from './en-home';
import type { enModels } from './en-models';
import type { enPricing } from './en-pricing';

/** The public pages' keys: the frame's, and those each public page brings. */
export type PublicMessageKey = ShellMessageKey | keyof typeof enModels | keyof typeof enAccount | keyof typeof enHome | keyof typeof enPricing | keyof typeof enAuth;
export type MessageKey = PublicMessageKey | ModelPageMessageKey | DashboardMessageKey;
export type Messages = Record<MessageKey, string>;
export type Lang = 'en' | 'zh-CN';

const dictionaries: Record<Lang, Partial<Messages>> = { en: { ...en }, 'zh-CN': {} };
export const STORAGE_KEY = 'aio_lang';

/** Adds strings of one part of the app (the dashboard registers its own when it loads). */
export function addMessages(lang: Lang, dict: Partial<Messages>): void {
  Object.assign(dictionaries[lang], dict);
}

let chinese: Promise<void> | null = null;
let paramsZh: ((p: ParameterView, modelType?: string) => string) | null = null;

/** A parameter's description in `lang` (the API describes them in English; Chinese comes with the Chinese strings). */
export function paramDescription(p: ParameterView, lang: Lang, modelType = 'image'): string {
  return lang === 'zh-CN' && paramsZh ? paramsZh(p, modelType) : p.description;
}

/** Makes sure `lang`'s public strings are here (Chinese is a separate download). */
export function loadLang(lang: Lang): Promise<void> {
  if (lang === 'en') return Promise.resolve();
  chinese ??= import('./zh-CN').then(
    (m) => {
      addMessages('zh-CN', { ...m.zhCN, ...m.zhCNModelPage });
      paramsZh = m.paramDescriptionZh;
    },
    (err) => {
      chinese = null;
      throw err;
    },
  );
  return chinese;
}

export function initialLang(): Lang {
  const saved = localStorage.getItem(STORAGE_KEY);
  if (saved === 'en' || saved === 'zh-CN') return saved;
  return navigator.language?.toLowerCase().startsWith('zh') ? 'zh-CN' : 'en';
}

export type Vars = Record<string, string | number>;
export type Translate = (key: MessageKey, vars?: Vars) => string;

/** `key` in `lang` with its {placeholders} filled; `key_one` when `vars.n` is 1 and that key exists. */
export function translate(lang: Lang, key: MessageKey, vars?: Vars): string {
  const dict = dictionaries[lang];
  const one = vars && String(vars.n) === '1' ? (`${key}_one` as MessageKey) : undefined;
  let s = (one && (dict[one] ?? dictionaries.en[one])) || dict[key] || dictionaries.en[key] || key;
  if (vars) for (const [k, v] of Object.entries(vars)) s = s.split(`{${k}}`).join(String(v));
  return s;
}

