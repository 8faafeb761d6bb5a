// Code blocks with a copy button.
import { useEffect, useState } from 'react';
import { useI18n } from '../../i18n';

async function copyText(text: string): Promise<boolean> {
  try {
    if (navigator.clipboard && window.isSecureContext) {
      await navigator.clipboard.writeText(text);
      return true;
    }
  } catch {
    /* fall back below */
  }
  const area = document.createElement('textarea');
  area.value = text;
  area.setAttribute('readonly', '');
  area.style.position = 'fixed';
  area.style.opacity = '0';
  document.body.appendChild(area);
  area.select();
  let ok = false;
  try {
    ok = document.execCommand('copy');
  } catch {
    ok = false;
  }
  area.remove();
  return ok;
}

export function CopyButton({ text, label, className = 'btn btn-small' }: { text: string; label?: string; className?: string }) {
  const { t } = useI18n();
  const [state, setState] = useState<'idle' | 'copied' | 'failed'>('idle');
  useEffect(() => {
    if (state === 'idle') return;
    const id = setTimeout(() => setState('idle'), 2000);
    return () => clearTimeout(id);
  }, [state]);
  return (
    <button type="button" className={className} onClick={async () => setState((await copyText(text)) ? 'copied' : 'failed')}>
      <span aria-live="polite">{state === 'copied' ? t('copied') : state === 'failed' ? t('copy_failed') : (label ?? t('copy'))}</span>
    </button>
  );
}

export function CodeBlock({ code, label, testId }: { code: string; label?: string; testId?: string }) {
  return (
    <div className="code-block">
      <div className="code-bar">
        <span>{label ?? ''}</span>
        <CopyButton text={code} className="btn btn-small btn-on-dark" />
      </div>
      <pre tabIndex={0} data-testid={testId}>
        <code>{code}</code>
      </pre>
    </div>
  );
}
