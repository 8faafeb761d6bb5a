// The API documentation, rendered from this server's OpenAPI document: the guides (auth, errors,
// tasks, Prefer: wait, idempotency, test mode) in this chunk, then every operation of the document
// by group (DocsReference, the next chunk). Only people who open the docs download either.
import { lazy, type ReactNode, Suspense } from 'react';
import { publicApi } from '../../api';
import { ErrorMessage, Loading } from '../../components/ui/basic';
import { DataTable } from '../../components/ui/table';
import { useAsync, useTitle } from '../../hooks';
import { useI18n } from '../../i18n';
import { groupOf, operations } from './operations';
import { Paragraphs, Prose } from './prose';
import { DOCS_EN, type DocsText, ERROR_CODES, GROUP_ORDER, loadDocsText } from './texts';
import type { DocsRefText } from './texts-ref';

const DocsReference = lazy(() => import('./DocsReference'));

/** A short code sample in the guides (the reference's examples have copy buttons). */
const Snippet = ({ code }: { code: string }) => (
  <div className="code-block">
    <pre tabIndex={0}>
      <code>{code}</code>
    </pre>
  </div>
);

function Guide({ id, title, children }: { id: string; title: string; children: ReactNode }) {
  return (
    <section id={id} className="doc-section">
      <h2>{title}</h2>
      {children}
    </section>
  );
}

export default function Docs() {
  const { lang } = useI18n();
  const zh = useAsync(() => (lang === 'zh-CN' ? loadDocsText(lang) : Promise.resolve(null)), [lang]);
  const texts = lang === 'zh-CN' ? (zh.data ?? undefined) : { guide: DOCS_EN, ref: undefined };
  if (!texts) return <div className="container page-fallback">{zh.error ? <ErrorMessage error={zh.error} onRetry={zh.reload} /> : <Loading height={400} />}</div>;
  return <DocsPage d={texts.guide} refText={texts.ref} />;
}

function DocsPage({ d, refText }: { d: DocsText; refText?: DocsRefText }) {
  useTitle(d.title);
  const data = useAsync(() => publicApi.openapi(), []);
  const origin = window.location.origin;
  const ops = data.data ? operations(data.data) : [];
  const groups = GROUP_ORDER.filter((id) => ops.some((o) => groupOf(o) === id));
  const guides: [string, string][] = [
    ['base', d.base_title],
    ['authentication', d.auth_title],
    ['errors', d.errors_title],
    ['tasks', d.tasks_title],
    ['prefer-wait', d.wait_title],
    ['idempotency', d.idem_title],
    ['test-mode', d.test_title],
  ];
  return (
    <div className="container page docs-page">
      <header className="page-header">
        <div>
          <h1 tabIndex={-1}>{d.title}</h1>
          <p className="lead">
            <Prose text={d.lead} />
          </p>
        </div>
      </header>
      <div className="doc-layout">
        <aside className="toc" aria-label={d.toc}>
          <ul>
            {guides.map(([id, title]) => (
              <li key={id}>
                <a href={`#${id}`}>{title}</a>
              </li>
            ))}
            <li>
              <a href="#endpoints">{d.endpoints_title}</a>
              <ul>
                {groups.map((id) => (
                  <li key={id}>
                    <a href={`#group-${id}`}>{d.groups[id] ?? id}</a>
                  </li>
                ))}
              </ul>
            </li>
          </ul>
        </aside>
        <div className="doc">
          <Guide id="base" title={d.base_title}>
            <p>
              <Prose text={d.base_body} vars={{ api: `${origin}/api/v1`, v1: `${origin}/v1` }} />
            </p>
          </Guide>
          <Guide id="authentication" title={d.auth_title}>
            <Paragraphs list={d.auth_body} />
            <Snippet code={`curl ${origin}/api/v1/tasks \\\n  -H "Authorization: Bearer $AIO_API_KEY"`} />
          </Guide>
          <Guide id="errors" title={d.errors_title}>
            <Paragraphs list={d.errors_body} />
            <Snippet code={JSON.stringify({ error: { code: 'insufficient_credits', message: 'This task costs 12 credits; the balance is 3.', type: 'insufficient_credits_error' } }, null, 2)} />
            <DataTable className="docs-errors" testId="error-codes" columns={[{ label: d.errors_status }, { label: d.errors_meaning }, { label: d.errors_codes }]}>
              {ERROR_CODES.map(([status, codes]) => (
                <tr key={status}>
                  <td className="nowrap">
                    <code>{status}</code>
                  </td>
                  <td>{d.errors[status]}</td>
                  <td>
                    <span className="chips">
                      {codes.map((c) => (
                        <code key={c} className="chip">
                          {c}
                        </code>
                      ))}
                    </span>
                  </td>
                </tr>
              ))}
            </DataTable>
          </Guide>
          <Guide id="tasks" title={d.tasks_title}>
            <p className="lifecycle" aria-hidden="true">
              <code>queued</code> → <code>running</code> → <code>succeeded</code> | <code>failed</code> | <code>canceled</code>
            </p>
            <Paragraphs list={d.tasks_body} />
          </Guide>
          <Guide id="prefer-wait" title={d.wait_title}>
            <Paragraphs list={d.wait_body} />
          </Guide>
          <Guide id="idempotency" title={d.idem_title}>
            <Paragraphs list={d.idem_body} />
          </Guide>
          <Guide id="test-mode" title={d.test_title}>
            <Paragraphs list={d.test_body} />
          </Guide>
          <section id="endpoints" className="doc-section">
            <h2>{d.endpoints_title}</h2>
            <p className="muted">
              <Prose text={d.endpoints_lead} />
            </p>
            {data.error ? (
              <ErrorMessage error={data.error} onRetry={data.reload} />
            ) : !data.data ? (
              <Loading height={600} />
            ) : (
              <Suspense fallback={<Loading height={600} />}>
                <DocsReference ops={ops} groups={d.groups} refText={refText} />
              </Suspense>
            )}
          </section>
        </div>
      </div>
    </div>
  );
}
