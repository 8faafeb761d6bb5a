// The smallest building blocks: alerts, badges, empty and loading states, a button link.
import type { ReactNode } from 'react';
import { ApiError } from '../../api';
import { useI18n } from '../../i18n';
import { Link } from '../../router';

export function Alert({ kind = 'info', children, title }: { kind?: 'info' | 'error' | 'success' | 'warning'; children: ReactNode; title?: ReactNode }) {
  return (
    <div className={`alert alert-${kind}`} role={kind === 'error' ? 'alert' : 'status'}>
      <span className="alert-icon" aria-hidden="true">
        {kind === 'error' ? '!' : kind === 'success' ? '✓' : kind === 'warning' ? '!' : 'i'}
      </span>
      <div>
        {title && <strong className="alert-title">{title}</strong>}
        <div>{children}</div>
      </div>
    </div>
  );
}

/** An API error in words: the server's own message (they are written for people). */
export function ErrorMessage({ error, onRetry }: { error: unknown; onRetry?: () => void }) {
  const { t } = useI18n();
  if (!error) return null;
  const message =
    error instanceof ApiError
      ? error.code === 'not_signed_in'
        ? t('err_signed_out')
        : error.code === 'network_error'
          ? t('err_network')
          : error.code === 'too_many_attempts' && error.retryAfter
            ? t('err_too_many', { time: t('minutes_n', { n: Math.max(1, Math.ceil(error.retryAfter / 60)) }) })
            : error.message
      : error instanceof Error && error.message
        ? error.message
        : t('err_generic');
  return (
    <Alert kind="error">
      {message}
      {onRetry && (
        <>
          {' '}
          <button type="button" className="link-button" onClick={onRetry}>
            {t('retry')}
          </button>
        </>
      )}
    </Alert>
  );
}

export function Badge({ children, tone = 'neutral' }: { children: ReactNode; tone?: 'neutral' | 'green' | 'red' | 'amber' | 'blue' | 'violet' }) {
  return <span className={`badge badge-${tone}`}>{children}</span>;
}

export function EmptyState({ title, children, action, icon = <span className="empty-glyph">✦</span> }: { title: ReactNode; children?: ReactNode; action?: ReactNode; icon?: ReactNode }) {
  return (
    <div className="empty">
      <div className="empty-icon" aria-hidden="true">
        {icon}
      </div>
      <h3>{title}</h3>
      {children && <p>{children}</p>}
      {action && <div className="empty-action">{action}</div>}
    </div>
  );
}

/** The three states of `useAsync` data: its error (with a retry), a spinner, then `children(data)` (or `empty` when given and truthy). */
export function Loaded<T>({
  state,
  height,
  empty,
  children,
}: {
  state: { data: T | undefined; error: unknown; reload(): void };
  height?: number;
  empty?: ReactNode;
  children(data: T): ReactNode;
}) {
  if (state.error) return <ErrorMessage error={state.error} onRetry={state.reload} />;
  if (!state.data) return <Loading height={height} />;
  return <>{empty || children(state.data)}</>;
}

export function Loading({ height = 160 }: { height?: number }) {
  const { t } = useI18n();
  return (
    <div className="loading" style={{ minHeight: height }} role="status" aria-live="polite">
      <span className="spinner" aria-hidden="true" />
      <span>{t('loading')}</span>
    </div>
  );
}

export function ButtonLink({ to, children, kind = 'primary', className = '' }: { to: string; children: ReactNode; kind?: 'primary' | 'secondary' | 'ghost'; className?: string }) {
  return (
    <Link to={to} className={`btn ${kind === 'primary' ? 'btn-primary' : kind === 'ghost' ? 'btn-ghost' : ''} ${className}`}>
      {children}
    </Link>
  );
}
