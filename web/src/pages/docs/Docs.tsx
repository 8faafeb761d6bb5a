// The API documentation, rendered from this server's OpenAPI document: the guides (auth, errors,
// tasks, Prefer: wait, idempotency, test mode), then every operation of the document by group,
// each with its parameters, body fields and curl / JavaScript / Python examples; task routes
// also show the finished task. A separate chunk: only people who open the docs download it.
import { Fragment, type ReactNode, useState } from 'react';
import { type JsonSchema, type OpenApiDocument, publicApi } from '../../api';
import { Badge, ErrorMessage, Loading } from '../../components/ui/basic';
import { CodeBlock } from '../../components/ui/code';
import { DataTable } from '../../components/ui/table';
import { useAsync, useTitle } from '../../hooks';
import { type Lang, useI18n } from '../../i18n';
import { loadModels } from '../../models';
import { finishedTaskExample } from '../../task-example';
import type { Model } from '../../types';
import { curlExample, exampleRequest, jsExample, type Operation, pythonExample, taskType } from './examples';
import { type DocsText, docsText, ERROR_ROWS, GROUPS, SUMMARIES_ZH } from './texts';

/** `code` in backticks as <code>; {placeholders} filled. */
function Prose({ text, vars = {} }: { text: string; vars?: Record<string, string> }) {
  const filled = Object.entries(vars).reduce((s, [k, v]) => s.split(`{${k}}`).join(v), text);
  return <>{filled.split(/(`[^`]+`)/).map((part, i) => (part.startsWith('`') && part.endsWith('`') && part.length > 1 ? <code key={i}>{part.slice(1, -1)}</code> : <Fragment key={i}>{part}</Fragment>))}</>;
}

const Paragraphs = ({ list }: { list: string[] }) => (
  <>
    {list.map((p) => (
      <p key={p}>
        <Prose text={p} />
      </p>
    ))}
  </>
);

const METHOD_TONE: Record<string, 'blue' | 'green' | 'red' | 'amber'> = { get: 'blue', post: 'green', delete: 'red', patch: 'amber' };

/** Which group a route belongs to: its tag, else by its path. */
function groupOf(o: Operation): string {
  const tag = o.op.tags?.[0];
  if (tag && GROUPS.some((g) => g.id === tag)) return tag;
  if (o.path.startsWith('/api/v1/tasks')) return 'tasks';
  if (o.path.startsWith('/api/v1/files')) return 'files';
  if (o.path.startsWith('/api/v1/admin')) return 'admin';
  if (o.path.startsWith('/api/v1/models') || o.path === '/api/v1/openapi.json') return 'catalog';
  return 'other';
}

export const operationId = (o: Operation) => `op-${o.method}-${o.path.replace(/[^A-Za-z0-9]+/g, '-').replace(/^-|-$/g, '')}`;

function operations(doc: OpenApiDocument): Operation[] {
  return Object.entries(doc.paths).flatMap(([path, ops]) => Object.entries(ops).map(([method, op]) => ({ method, path, op })));
}

/** A schema's type in a few characters: string, integer, "a" | "b", array, ... */
function typeText(s: JsonSchema | undefined): string {
  if (!s) return '';
  const alts = s.anyOf ?? s.oneOf;
  if (alts?.every((a) => a.const !== undefined)) return [...new Set(alts.map((a) => (Array.isArray(a.type) ? a.type[0] : a.type)))].join(' | ');
  if (alts) return [...new Set(alts.map(typeText))].join(' | ');
  return Array.isArray(s.type) ? s.type.join(' | ') : (s.type ?? (s.const !== undefined ? typeof s.const : 'any'));
}

/** What values a field takes, in words: its choices, its range, its length. */
function rulesText(s: JsonSchema | undefined, d: DocsText): string {
  if (!s) return '';
  const values = s.enum ?? (s.anyOf ?? s.oneOf)?.filter((a) => a.const !== undefined).map((a) => a.const);
  const parts: string[] = [];
  if (values?.length) parts.push(d.values.replace('{list}', values.map(String).join(', ')));
  if (s.minimum !== undefined || s.maximum !== undefined) parts.push(d.range.replace('{min}', String(s.minimum ?? '−∞')).replace('{max}', String(s.maximum ?? '∞')));
  if (s.maxLength !== undefined && !values?.length) parts.push(d.max_length.replace('{n}', String(s.maxLength)));
  return parts.join('; ');
}

function FieldTable({ rows, d, withWhere }: { rows: { name: string; where?: string; required: boolean; schema?: JsonSchema; description?: string }[]; d: DocsText; withWhere?: boolean }) {
  return (
    <DataTable
      className="docs-fields"
      columns={[{ label: d.field }, !!withWhere && { label: d.where }, { label: d.type }, { label: d.required }, { label: d.description }]}
    >
      {rows.map((r) => (
        <tr key={`${r.where ?? ''}:${r.name}`}>
          <td>
            <code className="param-name">{r.name}</code>
          </td>
          {withWhere && <td className="muted">{r.where}</td>}
          <td>
            <code className="muted small">{typeText(r.schema)}</code>
          </td>
          <td>{r.required ? d.yes : ''}</td>
          <td className="break">
            {r.description ?? r.schema?.description ?? ''}
            {rulesText(r.schema, d) && <div className="muted small">{rulesText(r.schema, d)}</div>}
          </td>
        </tr>
      ))}
    </DataTable>
  );
}

const TABS = ['curl', 'JavaScript', 'Python'] as const;

function Examples({ o, models, d }: { o: Operation; models: Model[]; d: DocsText }) {
  const [tab, setTab] = useState<(typeof TABS)[number]>('curl');
  const req = exampleRequest(o, models, window.location.origin);
  const code = { curl: curlExample(req), JavaScript: jsExample(req), Python: pythonExample(req) };
  return (
    <div className="docs-example">
      <div className="toggle-group" role="group" aria-label={d.example}>
        {TABS.map((name) => (
          <button key={name} type="button" className={tab === name ? 'on' : ''} aria-pressed={tab === name} onClick={() => setTab(name)}>
            {name}
          </button>
        ))}
      </div>
      <CodeBlock code={code[tab]} label={tab} testId={`example-${o.method}-${o.path}`} />
    </div>
  );
}

function Endpoint({ o, models, d, lang }: { o: Operation; models: Model[]; d: DocsText; lang: Lang }) {
  const key = `${o.method.toUpperCase()} ${o.path}`;
  const summary = (lang === 'zh-CN' && SUMMARIES_ZH[key]) || o.op.summary || '';
  const params = (o.op.parameters ?? []).map((p) => ({ name: p.name, where: p.in, required: !!p.required, schema: p.schema, description: p.description }));
  const body = o.op.requestBody?.content?.['application/json']?.schema;
  const fields = Object.entries(body?.properties ?? {}).map(([name, schema]) => ({ name, required: (body?.required ?? []).includes(name), schema }));
  const type = taskType(o);
  const ofType = type ? models.filter((m) => m.type === type) : [];
  const model = [...ofType.filter((m) => m.available), ...ofType][0];
  const noKey = Array.isArray(o.op.security) && o.op.security.length === 0;
  const responses = Object.entries(o.op.responses ?? {});
  return (
    <section className="docs-endpoint" id={operationId(o)} data-endpoint={key}>
      <h3 className="endpoint-title">
        <Badge tone={METHOD_TONE[o.method] ?? 'blue'}>{o.method.toUpperCase()}</Badge> <code className="break">{o.path}</code>
      </h3>
      <p>
        <Prose text={summary} />
        {noKey && <span className="muted"> · {d.no_key}</span>}
      </p>
      {ofType.length > 0 && <p className="muted small">{d.models_of.replace('{list}', ofType.map((m) => m.id).join(', '))}</p>}
      {params.length > 0 && (
        <>
          <h4>{d.params}</h4>
          <FieldTable rows={params} d={d} withWhere />
        </>
      )}
      {fields.length > 0 && (
        <>
          <h4>{d.body}</h4>
          {body?.description && <p className="muted small">{body.description}</p>}
          <FieldTable rows={fields} d={d} />
        </>
      )}
      <h4>{d.example}</h4>
      <Examples o={o} models={models} d={d} />
      {model && (
        <>
          <p className="muted small">
            <Prose text={d.finished} />
          </p>
          <CodeBlock code={JSON.stringify(finishedTaskExample(model, window.location.origin), null, 2)} label="JSON" />
        </>
      )}
      {responses.length > 0 && (
        <>
          <h4>{d.responses}</h4>
          <ul className="docs-responses">
            {responses.map(([status, r]) => (
              <li key={status}>
                <code>{status}</code> <span className="muted">{r.description}</span>
              </li>
            ))}
          </ul>
        </>
      )}
    </section>
  );
}

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
  const d = docsText(lang);
  useTitle(d.title);
  const data = useAsync(() => Promise.all([publicApi.openapi(), loadModels()]), []);
  const origin = window.location.origin;
  const ops = data.data ? operations(data.data[0]) : [];
  const models = data.data?.[1] ?? [];
  const groups = GROUPS.map((g) => ({ ...g, ops: ops.filter((o) => groupOf(o) === g.id) })).filter((g) => g.ops.length > 0);
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
                {groups.map((g) => (
                  <li key={g.id}>
                    <a href={`#group-${g.id}`}>{lang === 'zh-CN' ? g.zh : g.en}</a>
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
            <CodeBlock code={`curl ${origin}/api/v1/tasks \\\n  -H "Authorization: Bearer $AIO_API_KEY"`} label="curl" />
          </Guide>
          <Guide id="errors" title={d.errors_title}>
            <Paragraphs list={d.errors_body} />
            <CodeBlock
              code={JSON.stringify({ error: { code: 'insufficient_credits', message: 'This task costs 12 credits; the balance is 3.', type: 'insufficient_credits_error' } }, null, 2)}
              label="JSON"
            />
            <DataTable className="docs-errors" testId="error-codes" columns={[{ label: d.errors_status }, { label: d.errors_meaning }, { label: d.errors_codes }]}>
              {ERROR_ROWS.map((r) => (
                <tr key={r.status}>
                  <td className="nowrap">
                    <code>{r.status}</code>
                  </td>
                  <td>{lang === 'zh-CN' ? r.zh : r.en}</td>
                  <td>
                    <span className="chips">
                      {r.codes.map((c) => (
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
            {data.error ? <ErrorMessage error={data.error} onRetry={data.reload} /> : !data.data && <Loading height={600} />}
            {groups.map((g) => (
              <div key={g.id} id={`group-${g.id}`} className="docs-group">
                <h2 className="docs-group-title">{lang === 'zh-CN' ? g.zh : g.en}</h2>
                {g.ops.map((o) => (
                  <Endpoint key={`${o.method} ${o.path}`} o={o} models={models} d={d} lang={lang} />
                ))}
              </div>
            ))}
          </section>
        </div>
      </div>
    </div>
  );
}
