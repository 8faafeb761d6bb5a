// The i18n runtime: which language is on, the `t()` that fills a message's {placeholders}, and the
// provider and hook that hand both to the pages. The strings live in one file per language.
import { createContext, type ReactNode, useCallback, useContext, useEffect, useMemo, useState } from 'react';
import { en, type MessageKey, type Messages } from './en';
import { zhCN } from './zh-CN';

export type { MessageKey, Messages };
export { localize, paramDescription } from './model-texts';

export type Lang = 'en' | 'zh-CN';

const dictionaries: Record<Lang, Messages> = { en, 'zh-CN': zhCN };
const STORAGE_KEY = 'aio_lang';

function initialLang(): Lang {
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
  let s = (one && dict[one]) || dict[key] || en[key] || key;
  if (vars) for (const [k, v] of Object.entries(vars)) s = s.split(`{${k}}`).join(String(v));
  return s;
}

interface I18n {
  lang: Lang;
  setLang(lang: Lang): void;
  t: Translate;
}

const I18nContext = createContext<I18n | null>(null);

export function I18nProvider({ children }: { children: ReactNode }) {
  const [lang, setLangState] = useState<Lang>(initialLang);
  useEffect(() => {
    document.documentElement.lang = lang;
  }, [lang]);
  const setLang = useCallback((next: Lang) => {
    localStorage.setItem(STORAGE_KEY, next);
    setLangState(next);
  }, []);
  const t = useCallback<Translate>((key, vars) => translate(lang, key, vars), [lang]);
  const value = useMemo(() => ({ lang, setLang, t }), [lang, setLang, t]);
  return <I18nContext.Provider value={value}>{children}</I18nContext.Provider>;
}

export function useI18n(): I18n {
  const ctx = useContext(I18nContext);
  if (!ctx) throw new Error('useI18n outside I18nProvider');
  return ctx;
}
