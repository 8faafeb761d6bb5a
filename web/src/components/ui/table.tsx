// A scrollable table with a header row.
import type { ReactNode } from 'react';

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
