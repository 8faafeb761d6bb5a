// A page's own strings, kept beside the page: the English dictionary and the Chinese one typed
// against it (a missing or extra key is a type error), read through a t() that follows the
// language the app is in. `{placeholders}` and the `key_one` form work as in the shared t().
import { useCallback } from 'react';
import { type Lang, useI18n, type Vars } from './index';

export type PageDictionaries<K extends string> = { en: Record<K, string>; 'zh-CN': Record<K, string> };

export function pageTranslate<K extends string>(dicts: PageDictionaries<K>, lang: Lang, key: K, vars?: Vars): string {
  const dict: Record<string, string> = dicts[lang];
  const one = vars && String(vars.n) === '1' ? dict[`${key}_one`] : undefined;
  let s = one ?? dict[key] ?? dicts.en[key] ?? key;
  if (vars) for (const [k, v] of Object.entries(vars)) s = s.split(`{${k}}`).join(String(v));
  return s;
}

/** The page's t(): `key` in the app's language, placeholders filled. */
export function usePageMessages<K extends string>(dicts: PageDictionaries<K>): (key: K, vars?: Vars) => string {
  const { lang } = useI18n();
  return useCallback((key: K, vars?: Vars) => pageTranslate(dicts, lang, key, vars), [dicts, lang]);
}
