// The lower part of a model's page (its own chunk): parameters, the example request and its
// answers, output, integration steps, task status, price, use cases, FAQ and related models.
import '../../i18n/en-model-page-more';
import { ModelCard } from '../../components/model-card';
import { typeLabel } from '../../components/model-badges';
import { Badge } from '../../components/ui/basic';
import { CodeBlock } from '../../components/ui/code';
import { DataTable } from '../../components/ui/table';
import { curlFor } from '../../curl';
import { paramDescription, type Translate, useI18n } from '../../i18n';
import { Link } from '../../router';
import { localize } from '../../i18n/model-texts';
import { isTaskModel, useModels } from '../../models';
import { fmtCredits, fmtCreditsUsd } from '../../money';
import { priceHeadline, rateLines, unitWords } from '../../pricing';
import { finishedTaskExample, queuedTaskExample } from '../../task-example';
import type { Model, ParameterView } from '../../types';

/** What a finished task's `output` holds, by the model's output type. */
const OUTPUT_SHAPES: Record<string, string> = {
  image: 'output.images[]: { url, width, height, format, bytes, seed? }',
  video: 'output.videos[]: { url, width, height, duration_s, format: "mp4", bytes, thumbnail_url }',
  audio: 'output.audio[]: { url, format, duration_s, bytes, sample_rate }',
};

/** The kind of media in the output: tools give back images. */
const outputMedia = (model: Model) => (model.output_type === 'tool' ? 'image' : model.output_type);

/** The allowed values of a parameter in the table: its choices, its range, or its length. */
function Allowed({ p, model, t }: { p: ParameterView; model: Model; t: Translate }) {
  if (p.values)
    return (
      <span className="chips">
        {p.values.map((v) => {
          const dims = p.name === 'size' ? model.sizes?.[String(v)] : undefined;
          return (
            <code key={String(v)} className="chip" title={dims ? `${dims.width}×${dims.height}` : undefined}>
              {String(v)}
            </code>
          );
        })}
      </span>
    );
  if (p.type === 'boolean') return <span className="chips"><code className="chip">true</code><code className="chip">false</code></span>;
  if (p.minimum !== undefined || p.maximum !== undefined)
    return <span className="nowrap">{t('param_range', { min: p.minimum ?? '−∞', max: p.maximum ?? '∞' })}</span>;
  if (p.maxLength !== undefined) return <span className="nowrap">{t('param_max_length', { n: p.maxLength })}</span>;
  if (p.widget === 'image') return <span>{t('param_image_values')}</span>;
  return <span className="muted">—</span>;
}

export default function ModelPageMore({ model }: { model: Model }) {
  const { t, lang } = useI18n();
  const texts = localize(model, lang);
  const task = isTaskModel(model);
  const rates = rateLines(model.price, t, lang);
  const statusCurl = `curl ${window.location.origin}${model.task_endpoint} \\\n  -H "Authorization: Bearer aio_your_api_key"`;
  const endpoint = model.endpoint;
  const all = useModels();
  const sameEndpoint = (all.data ?? []).filter((m) => m.id !== model.id && m.endpoint === model.endpoint);
  const curl = curlFor(window.location.origin, endpoint, model.example);
  return (
    <>
            <section id="parameters" className="doc-section">
              <h2>{t('params_title')}</h2>
              <DataTable
                className="params"
                testId="params"
                columns={[{ label: t('param_name') }, { label: t('param_type') }, { label: t('param_values') }, { label: t('param_default') }, { label: t('param_required') }]}
              >
                {model.parameters.map((p) => (
                  <tr key={p.name} data-param={p.name}>
                    <td>
                      <code className="param-name">{p.name}</code>
                      <div className="muted small">{paramDescription(p, lang, model.type)}</div>
                    </td>
                    <td>
                      <code className="muted">{p.type}</code>
                    </td>
                    <td>
                      <Allowed p={p} model={model} t={t} />
                    </td>
                    <td data-testid={`default-${p.name}`} className="nowrap">
                      {p.default !== undefined ? <code>{String(p.default)}</code> : <span className="muted">—</span>}
                    </td>
                    <td>{p.required ? <Badge tone="red">{t('required')}</Badge> : <Badge>{t('optional_cap')}</Badge>}</td>
                  </tr>
                ))}
              </DataTable>
            </section>

            <section id="example" className="doc-section">
              <h2>{t('example_title')}</h2>
              <p className="muted">{t('example_lead')}</p>
              <CodeBlock code={curl} label="curl" testId="curl" />
              <h3>{t('switch_title')}</h3>
              <p className="muted">{t('switch_lead')}</p>
              {sameEndpoint.length ? (
                <span className="chips">
                  {sameEndpoint.map((m) => (
                    <Link key={m.id} to={`/models/${m.id}`} className="chip chip-link">
                      <code>{m.id}</code>
                    </Link>
                  ))}
                </span>
              ) : (
                <p className="muted small">{all.data ? t('switch_none') : t('loading')}</p>
              )}
            </section>
      {task && (
        <section id="answer" className="doc-section">
          <h2>{t('answer_title')}</h2>
          <p className="muted">{t('example_response')}</p>
          <CodeBlock code={JSON.stringify(queuedTaskExample(model), null, 2)} label="JSON" />
          <p className="muted">{t('example_finished')}</p>
          <CodeBlock code={JSON.stringify(finishedTaskExample(model, window.location.origin), null, 2)} label="JSON" testId="finished-example" />
        </section>
      )}
            <section id="output" className="doc-section">
              <h2>{t('output_title')}</h2>
              <p className="muted">{t('output_lead', { type: typeLabel(outputMedia(model), t).toLowerCase() })}</p>
              <dl className="kv compact">
                <dt>{t('fact_output')}</dt>
                <dd>
                  <code data-testid="output-type">{model.output_type}</code>
                </dd>
                <dt>{t('output_inputs')}</dt>
                <dd>{model.input_types.map((x) => <code key={x} className="chip">{x}</code>)}</dd>
              </dl>
              {OUTPUT_SHAPES[outputMedia(model)] && <CodeBlock code={OUTPUT_SHAPES[outputMedia(model)]!} label={t('output_shape')} testId="output-shape" />}
            </section>

            <section id="steps" className="doc-section">
              <h2>{t('steps_title')}</h2>
              <p className="muted">{t('steps_lead')}</p>
              <ol className="steps">
                <li className="step">
                  <span className="step-n">01</span>
                  <h3>{t('step1_title')}</h3>
                  <p className="muted">{t('step1_body')}</p>
                </li>
                <li className="step">
                  <span className="step-n">02</span>
                  <h3>{t('step2_title')}</h3>
                  <p className="muted">{t('step2_body')}</p>
                  <code>{endpoint}</code>
                </li>
                <li className="step">
                  <span className="step-n">03</span>
                  <h3>{t('step3_title')}</h3>
                  <p className="muted">{t('step3_body', { task: model.task_endpoint })}</p>
                </li>
              </ol>
              <h3>{t('request_title')}</h3>
              <p className="muted">{t('request_body')}</p>
            </section>

            {task && (
              <section id="task-status" className="doc-section">
                <h2>{t('status_title')}</h2>
                <p className="muted">{t('status_lead')}</p>
                <div className="endpoint-row">
                  <Badge tone="blue">GET</Badge>
                  <code data-testid="task-endpoint">{model.task_endpoint}</code>
                  <span className="muted">{t('status_desc')}</span>
                </div>
                <CodeBlock code={statusCurl} label="curl" />
              </section>
            )}

            <section id="price" className="doc-section">
              <h2>{t('price_title')}</h2>
              <div className="price-box">
                <div className="price-headline" data-testid="price-headline">
                  {priceHeadline(model.price, t, lang)}
                </div>
                {rates.length > 0 && (
                  <ul className="price-rates" data-testid="price-rates">
                    {rates.map((r) => (
                      <li key={r.name}>
                        {r.text} <span className="muted">(~{r.usd})</span>
                      </li>
                    ))}
                  </ul>
                )}
                <dl className="price-grid">
                  <div>
                    <dt>{t('price_base')}</dt>
                    <dd data-testid="price-usd">{fmtCreditsUsd(model.price.credits)}</dd>
                  </div>
                  <div>
                    <dt>{t('price_credits_per', { unit: unitWords(model.price.unit, t) })}</dt>
                    <dd data-testid="price-credits">{fmtCredits(model.price.credits, lang)}</dd>
                  </div>
                  <div>
                    <dt>{t('price_billing')}</dt>
                    <dd>{t(model.price.billing === 'per_successful_request' ? 'price_billing_value' : 'price_billing_tokens')}</dd>
                  </div>
                </dl>
                <p className="muted small">{t('price_note')}</p>
              </div>
            </section>

            <section id="use-cases" className="doc-section">
              <h2>{t('use_cases_title')}</h2>
              <ol className="use-cases">
                {texts.use_cases.map((u, i) => (
                  <li key={u}>
                    <span className="step-n">{String(i + 1).padStart(2, '0')}</span>
                    <span>{u}</span>
                  </li>
                ))}
              </ol>
            </section>

            <section id="faq" className="doc-section">
              <h2>{t('faq_title')}</h2>
              <div className="faq">
                {texts.faq.map((f) => (
                  <details key={f.q} open>
                    <summary>{f.q}</summary>
                    <p>{f.a}</p>
                  </details>
                ))}
              </div>
            </section>

            <section id="related" className="doc-section">
              <h2>{t('related_title')}</h2>
              {sameEndpoint.length ? (
                <div className="grid-cards">
                  {sameEndpoint.map((m) => (
                    <ModelCard key={m.id} model={m} />
                  ))}
                </div>
              ) : (
                <p className="muted">{all.data ? t('switch_none') : t('loading')}</p>
              )}
            </section>
    </>
  );
}
