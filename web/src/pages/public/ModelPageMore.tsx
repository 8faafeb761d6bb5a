// The lower part of a model's page (its own chunk): output, integration steps, task status, price,
// use cases, FAQ and related models.
import '../../i18n/en-model-page-more';
import { ModelCard } from '../../components/model-card';
import { typeLabel } from '../../components/model-badges';
import { Badge } from '../../components/ui/basic';
import { CodeBlock } from '../../components/ui/code';
import { useI18n } from '../../i18n';
import { localize } from '../../i18n/model-texts';
import { isTaskModel } from '../../models';
import { fmtCredits, fmtCreditsUsd } from '../../money';
import { priceHeadline, rateLines, unitWords } from '../../pricing';
import { finishedTaskExample, queuedTaskExample } from '../../task-example';
import type { Model } from '../../types';

/** What a finished task's `output` holds, by the model's output type. */
const OUTPUT_SHAPES: Record<string, string> = {
  image: 'output.images[]: { url, width, height, format, bytes, seed? }',
  video: 'output.videos[]: { url, width, height, duration_s, format: "mp4", bytes, thumbnail_url }',
  audio: 'output.audio[]: { url, format, duration_s, bytes, sample_rate }',
};

/** The kind of media in the output: tools give back images. */
const outputMedia = (model: Model) => (model.output_type === 'tool' ? 'image' : model.output_type);

export default function ModelPageMore({ model, sameEndpoint, listed }: { model: Model; sameEndpoint: Model[]; listed: boolean }) {
  const { t, lang } = useI18n();
  const texts = localize(model, lang);
  const task = isTaskModel(model);
  const rates = rateLines(model.price, t, lang);
  const statusCurl = `curl ${window.location.origin}${model.task_endpoint} \\\n  -H "Authorization: Bearer aio_your_api_key"`;
  const endpoint = model.endpoint;
  const all = { data: listed };
  return (
    <>
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
