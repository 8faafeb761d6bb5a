// The colour theme: as the system (the default, `prefers-color-scheme`), or light or dark as chosen
// (remembered in this browser). The choice is an attribute on <html> the stylesheet keys on.
export type ThemeChoice = 'system' | 'light' | 'dark';

const STORAGE_KEY = 'aio_theme';
export const THEME_CHOICES: ThemeChoice[] = ['system', 'light', 'dark'];

export function storedTheme(): ThemeChoice {
  const saved = localStorage.getItem(STORAGE_KEY);
  return saved === 'light' || saved === 'dark' ? saved : 'system';
}

export function applyTheme(choice: ThemeChoice): void {
  const root = document.documentElement;
  if (choice === 'system') delete root.dataset.theme;
  else root.dataset.theme = choice;
}

export function saveTheme(choice: ThemeChoice): void {
  if (choice === 'system') localStorage.removeItem(STORAGE_KEY);
  else localStorage.setItem(STORAGE_KEY, choice);
  applyTheme(choice);
}
