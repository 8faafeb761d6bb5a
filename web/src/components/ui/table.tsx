// Tables and their cursor pagination.
import { type ReactNode, useState } from 'react';
import { useI18n } from '../../i18n';
import { useLocation } from '../../router';

export interface Column {
  label: ReactNode;
  /** A number column: right-aligned. */
  num?: boolean;
  /** Heard by screen readers only (an actions column). */
  srOnly?: boolean;
}

/** A scrollable table with a header row; the rows are the children. */
export function DataTable({ columns, className, wrapClassName, testId, children }: { columns: (Column | false)[]; className?: string; wrapClassName?: string; testId?: string; children: ReactNode }) {
  return (
    <div className={wrapClassName ? `table-wrap ${wrapClassName}` : 'table-wrap'}>
      <table className={className ? `table ${className}` : 'table'} data-testid={testId}>
        <thead>
          <tr>
            {columns.map(
              (c, i) =>
                c && (
                  <th key={i} scope="col" className={c.num ? 'num' : undefined}>
                    {c.srOnly ? <span className="sr-only">{c.label}</span> : c.label}
                  </th>
                ),
            )}
          </tr>
        </thead>
        <tbody>{children}</tbody>
      </table>
    </div>
  );
}

/**
 * Cursor pagination: a stack of `starting_after` ids. It starts again from the first page
 * whenever the page's query (its filters) changes, so a filter never skips the newest matches.
 */
export function usePager() {
  const { search } = useLocation();
  const query = search.toString();
  const [state, setState] = useState<{ query: string; stack: string[] }>({ query, stack: [] });
  const stack = state.query === query ? state.stack : [];
  return {
    cursor: stack[stack.length - 1],
    page: stack.length + 1,
    next: (lastId: string) => setState({ query, stack: [...stack, lastId] }),
    prev: () => setState({ query, stack: stack.slice(0, -1) }),
    reset: () => setState({ query, stack: [] }),
  };
}

/** The pager under a cursor-paged list: the next page starts after its last row. */
export function ListPager({ pager, list }: { pager: ReturnType<typeof usePager>; list: { data: { id: string }[]; has_more?: boolean } | undefined }) {
  const rows = list?.data ?? [];
  return <Pager page={pager.page} hasMore={!!list?.has_more} onPrev={pager.prev} onNext={() => rows.length && pager.next(rows[rows.length - 1]!.id)} />;
}

export function Pager({ page, hasMore, onPrev, onNext }: { page: number; hasMore: boolean; onPrev(): void; onNext(): void }) {
  const { t } = useI18n();
  if (page === 1 && !hasMore) return null;
  return (
    <nav className="pager" aria-label={t('pagination')}>
      <button type="button" className="btn btn-small" onClick={onPrev} disabled={page === 1}>
        ← {t('previous')}
      </button>
      <span className="muted">{t('page_n', { n: page })}</span>
      <button type="button" className="btn btn-small" onClick={onNext} disabled={!hasMore}>
        {t('next')} →
      </button>
    </nav>
  );
}
