// The endpoint reference of the docs page (its own chunk): every operation of the OpenAPI
// document by group, with its parameters, body fields, curl / JavaScript / Python examples and, for
// task routes, the finished task.
import { useState } from 'react';
import type { JsonSchema } from '../../api';
import { Badge } from '../../components/ui/basic';
import { CodeBlock } from '../../components/ui/code';
import { DataTable } from '../../components/ui/table';
import { useModels } from '../../models';
import { finishedTaskExample } from '../../task-example';
import type { Model } from '../../types';
import { curlExample, exampleRequest, jsExample, type Operation, pythonExample, taskType } from './examples';
import { groupOf } from './operations';
import { Prose } from './prose';
import { GROUP_ORDER } from './texts';
import { DOCS_REF_EN, type DocsRefText } from './texts-ref';

const METHOD_TONE: Record<string, 'blue' | 'green' | 'red' | 'amber'> = { get: 'blue', post: 'green', delete: 'red', patch: 'amber' };

export const operationId = (o: Operation) => `op-${o.method}-${o.path.replace(/[^A-Za-z0-9]+/g, '-').replace(/^-|-$/g, '')}`;

/** A schema's type in a few characters: string, integer, "a" | "b", array, ... */
function typeText(s: JsonSchema | undefined): string {
  if (!s) return '';
  const alts = s.anyOf ?? s.oneOf;
  if (alts?.every((a) => a.const !== undefined)) return [...new Set(alts.map((a) => (Array.isArray(a.type) ? a.type[0] : a.type)))].join(' | ');
  if (alts) return [...new Set(alts.map(typeText))].join(' | ');
  return Array.isArray(s.type) ? s.type.join(' | ') : (s.type ?? (s.const !== undefined ? typeof s.const : 'any'));
}

/** What values a field takes, in words: its choices, its range, its length. */
function rulesText(s: JsonSchema | undefined, d: DocsRefText): string {
  if (!s) return '';
  const values = s.enum ?? (s.anyOf ?? s.oneOf)?.filter((a) => a.const !== undefined).map((a) => a.const);
  const parts: string[] = [];
  if (values?.length) parts.push(d.values.replace('{list}', values.map(String).join(', ')));
  if (s.minimum !== undefined || s.maximum !== undefined) parts.push(d.range.replace('{min}', String(s.minimum ?? '−∞')).replace('{max}', String(s.maximum ?? '∞')));
  if (s.maxLength !== undefined && !values?.length) parts.push(d.max_length.replace('{n}', String(s.maxLength)));
  return parts.join('; ');
}

function FieldTable({ rows, d, withWhere }: { rows: { name: string; where?: string; required: boolean; schema?: JsonSchema; description?: string }[]; d: DocsRefText; withWhere?: boolean }) {
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
            <Prose text={r.description ?? r.schema?.description ?? ''} />
            {rulesText(r.schema, d) && <div className="muted small">{rulesText(r.schema, d)}</div>}
          </td>
        </tr>
      ))}
    </DataTable>
  );
}

const TABS = ['curl', 'JavaScript', 'Python'] as const;

function Examples({ o, models, d }: { o: Operation; models: Model[]; d: DocsRefText }) {
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

function Endpoint({ o, models, d }: { o: Operation; models: Model[]; d: DocsRefText }) {
  const key = `${o.method.toUpperCase()} ${o.path}`;
  const summary = d.summaries[key] || o.op.summary || '';
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

export default function DocsReference({ ops, groups, refText }: { ops: Operation[]; groups: Record<string, string>; refText?: DocsRefText }) {
  const d = refText ?? DOCS_REF_EN;
  const models = useModels().data ?? [];
  return (
    <>
      {GROUP_ORDER.map((id) => {
        const list = ops.filter((o) => groupOf(o) === id);
        if (list.length === 0) return null;
        return (
          <div key={id} id={`group-${id}`} className="docs-group">
            <h2 className="docs-group-title">{groups[id] ?? id}</h2>
            {list.map((o) => (
              <Endpoint key={`${o.method} ${o.path}`} o={o} models={models} d={d} />
            ))}
          </div>
        );
      })}
    </>
  );
}
