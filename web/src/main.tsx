import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './App';
import { I18nProvider, initialLang, loadLang } from './i18n';
import { SessionProvider } from './session';
import { applyTheme, storedTheme } from './theme';
import './styles.css';

applyTheme(storedTheme());
// A page's chunk that will not load (the app was updated since this tab opened it): load the new
// app, once; a second failure in a row is left to show.
window.addEventListener('vite:preloadError', (event) => {
  if (sessionStorage.getItem('aio_reloaded')) return;
  sessionStorage.setItem('aio_reloaded', '1');
  event.preventDefault();
  window.location.reload();
});
window.addEventListener('load', () => setTimeout(() => sessionStorage.removeItem('aio_reloaded'), 10_000));
const lang = initialLang();
// A Chinese page gets its strings before the first render: no English flash, no layout shift.
await loadLang(lang).catch(() => undefined);

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <I18nProvider initial={lang}>
      <SessionProvider>
        <App />
      </SessionProvider>
    </I18nProvider>
  </StrictMode>,
);
