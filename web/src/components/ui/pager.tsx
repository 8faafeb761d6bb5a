// Cursor pagination under a list.
import { useState } from 'react';
import { useI18n } from '../../i18n';
import { useLocation } from '../../router';

/**
 * Cursor pagination: a stack of `starting_after` ids. It starts again from the first page
 * whenever the page's query (its filters) changes, so a filter never skips the newest matches.
 */
export function usePager() {
  const { search } = useLocation();
  const query = search.toString();
  const [state, setState] = useState<{ query: string; stack: string[] }>({ query, stack: [] });
  const stack = state.query === query ? state.stack : [];
  // Forget the old pages at once (else going back to an earlier filter would reopen its page 2).
  if (state.query !== query) setState({ query, stack: [] });
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
