// The playground's form, generated from a model's `parameters`: a select for a choice, a number
// field with its range, a checkbox for a switch, a text area with a character counter, and an image
// picker (a URL, or a local file read into a data: URL).
import { type ChangeEvent, useState } from 'react';
import { fmtBytes } from '../format';
import { fmtNumber } from '../money';
import { type MessageKey, type Translate, useI18n, paramDescription } from '../i18n';
import type { Model, ParameterView } from '../types';
import { Field } from './ui/form';

export type FormValue = string | boolean;
export type FormValues = Record<string, FormValue>;

/** The parameters the form shows: all but `model`, which the model picker sets. */
export const formParams = (model: Model): ParameterView[] => model.parameters.filter((p) => p.name !== 'model');

const LABELLED = [
  'prompt', 'negative_prompt', 'size', 'aspect_ratio', 'resolution', 'rendering_speed', 'output_format', 'format', 'seed', 'duration',
  'audio', 'text', 'voice', 'speed', 'instructions', 'instrumental', 'image_url', 'scale',
];

/** "Rendering speed" for `rendering_speed`: a translated label when there is one, else the name in words. */
export function paramLabel(name: string, t: Translate): string {
  if (LABELLED.includes(name)) return t(`param_label_${name}` as MessageKey);
  const words = name.replace(/_/g, ' ');
  return words.charAt(0).toUpperCase() + words.slice(1);
}

function toFormValue(p: ParameterView, v: unknown): FormValue {
  if (p.type === 'boolean') return v === true;
  return v === undefined || v === null ? '' : String(v);
}

/** The form's starting values: the model's example request, else each parameter's default. */
export function initialValues(model: Model): FormValues {
  const values: FormValues = {};
  for (const p of formParams(model)) values[p.name] = toFormValue(p, model.example?.[p.name] ?? p.default);
  return values;
}

/** Whether `value` (from another model's form) is valid for `p` too, so it may be kept. */
export function fits(p: ParameterView, value: FormValue): boolean {
  if (p.type === 'boolean') return typeof value === 'boolean';
  if (typeof value !== 'string') return false;
  if (p.values) return p.values.map(String).includes(value);
  if (p.maxLength !== undefined && value.length > p.maxLength) return false;
  if (p.type === 'integer' || p.type === 'number') {
    const n = Number(value);
    return value.trim() !== '' && Number.isFinite(n) && (p.minimum === undefined || n >= p.minimum) && (p.maximum === undefined || n <= p.maximum);
  }
  return true;
}

/** The JSON request body: typed values, empty optional fields left out. */
export function buildBody(model: Model, values: FormValues): Record<string, unknown> {
  const body: Record<string, unknown> = { model: model.id };
  for (const p of formParams(model)) {
    const v = values[p.name];
    if (p.type === 'boolean') {
      if (typeof v === 'boolean') body[p.name] = v;
      continue;
    }
    if (typeof v !== 'string' || v.trim() === '') continue;
    body[p.name] = p.type === 'integer' || p.type === 'number' ? Number(v) : v;
  }
  return body;
}

/** Required fields the person has not filled yet. */
export function missingRequired(model: Model, values: FormValues): string[] {
  return formParams(model)
    .filter((p) => p.required && p.type !== 'boolean')
    .filter((p) => typeof values[p.name] !== 'string' || !(values[p.name] as string).trim())
    .map((p) => p.name);
}

function rangeText(p: ParameterView): string {
  if (p.minimum !== undefined && p.maximum !== undefined) return `${p.minimum}–${p.maximum}`;
  if (p.minimum !== undefined) return `≥ ${p.minimum}`;
  if (p.maximum !== undefined) return `≤ ${p.maximum}`;
  return '';
}

interface FieldProps {
  p: ParameterView;
  id: string;
  value: FormValue;
  hintId?: string;
  onChange(value: FormValue): void;
}

function TextArea({ p, id, value, hintId, onChange }: FieldProps) {
  const { t, lang } = useI18n();
  const text = typeof value === 'string' ? value : '';
  const counterId = `${id}-count`;
  const over = p.maxLength !== undefined && text.length > p.maxLength;
  return (
    <>
      <textarea
        id={id}
        name={p.name}
        rows={p.name === 'prompt' || p.name === 'input' || p.name === 'text' ? 4 : 2}
        required={p.required}
        maxLength={p.maxLength}
        value={text}
        aria-describedby={[hintId, counterId].filter(Boolean).join(' ')}
        aria-invalid={over || undefined}
        onChange={(e) => onChange(e.target.value)}
      />
      <div className={`char-count ${over ? 'neg' : 'muted'}`} id={counterId} data-testid={`count-${p.name}`}>
        {p.maxLength !== undefined ? t('pg_chars_of', { n: fmtNumber(text.length, lang), max: fmtNumber(p.maxLength, lang) }) : t('pg_chars', { n: fmtNumber(text.length, lang) })}
      </div>
    </>
  );
}

function readAsDataUrl(file: File): Promise<string> {
  return new Promise((resolve, reject) => {
    const reader = new FileReader();
    reader.onload = () => resolve(String(reader.result));
    reader.onerror = () => reject(reader.error ?? new Error('read failed'));
    reader.readAsDataURL(file);
  });
}

/** Local files up to this size go inline as a data: URL; larger ones are uploaded first (the JSON
 * body of a task request is limited to 64 KB by default, and base64 adds a third). */
export const INLINE_IMAGE_MAX_BYTES = 40 * 1024;

export interface ImageHandlers {
  /** Uploads a local file too large to inline; gives the value to send (an `aio-file://` URI). */
  upload?(file: File): Promise<string>;
  /** Tells which local picture a value stands for, so the result can show it next to the output. */
  onLocalImage?(value: string, previewUrl: string): void;
  /** The preview of a local picture given earlier, by the value it was sent as. */
  localImage?(value: string): string | undefined;
}

const displayable = (url: string) => /^(https?:|data:image\/|blob:)/.test(url);

/** A URL field, or a local file (inlined as a data: URL, or uploaded when large); with a preview. */
function ImageInput({ p, id, value, hintId, onChange, upload, onLocalImage, localImage }: FieldProps & ImageHandlers) {
  const { t } = useI18n();
  const url = typeof value === 'string' ? value : '';
  const [file, setFile] = useState<{ name: string; size: number; preview: string; value: string } | null>(null);
  const [error, setError] = useState('');
  const [busy, setBusy] = useState(false);
  const [broken, setBroken] = useState('');
  const local = url.startsWith('data:') || url.startsWith('aio-file:');
  async function pick(e: ChangeEvent<HTMLInputElement>) {
    const f = e.target.files?.[0];
    e.target.value = '';
    if (!f) return;
    setError('');
    if (!f.type.startsWith('image/')) {
      setError(t('pg_image_not_image'));
      return;
    }
    setBusy(true);
    try {
      const next = f.size <= INLINE_IMAGE_MAX_BYTES || !upload ? await readAsDataUrl(f) : await upload(f);
      const preview = URL.createObjectURL(f);
      setFile({ name: f.name, size: f.size, preview, value: next });
      onLocalImage?.(next, preview);
      onChange(next);
    } catch (err) {
      setError(err instanceof Error && err.message ? err.message : t('pg_image_read_failed'));
    } finally {
      setBusy(false);
    }
  }
  const chosen = file && file.value === url ? file : null;
  const preview = chosen?.preview ?? localImage?.(url) ?? (url && displayable(url) && broken !== url ? url : '');
  return (
    <div className="image-input">
      {local ? (
        <div className="image-chosen" data-testid={`file-${p.name}`}>
          <span className="truncate">
            {chosen ? `${chosen.name} · ${fmtBytes(chosen.size)}` : t('pg_image_local')}
            {url.startsWith('aio-file:') && <span className="muted"> · {t('pg_image_uploaded')}</span>}
          </span>
          <button type="button" className="btn btn-small btn-ghost" onClick={() => (setFile(null), onChange(''))}>
            {t('pg_image_clear')}
          </button>
        </div>
      ) : (
        <input
          id={id}
          name={p.name}
          type="url"
          inputMode="url"
          placeholder="https://…"
          required={p.required}
          value={url}
          aria-describedby={hintId}
          onChange={(e) => {
            setFile(null);
            onChange(e.target.value);
          }}
        />
      )}
      <div className="row-actions">
        <label className="btn btn-small file-button" aria-disabled={busy || undefined}>
          {busy ? t('pg_image_uploading') : t('pg_image_choose')}
          <input type="file" accept="image/*" className="sr-only" data-testid={`file-input-${p.name}`} disabled={busy} onChange={pick} />
        </label>
      </div>
      {error && (
        <div className="hint neg" role="alert">
          {error}
        </div>
      )}
      {preview && <img className="image-input-preview" src={preview} alt={t('pg_image_preview')} onError={() => setBroken(url)} />}
    </div>
  );
}

function Control({ p, id, value, hintId, onChange, ...images }: FieldProps & ImageHandlers) {
  const { t } = useI18n();
  if (p.values) {
    const emptyOption = !p.required && p.default === undefined;
    return (
      <select id={id} name={p.name} value={String(value)} aria-describedby={hintId} onChange={(e) => onChange(e.target.value)}>
        {emptyOption && <option value="">{t('pg_not_set')}</option>}
        {p.values.map((v) => (
          <option key={String(v)} value={String(v)}>
            {String(v)}
          </option>
        ))}
      </select>
    );
  }
  if (p.widget === 'textarea') return <TextArea p={p} id={id} value={value} hintId={hintId} onChange={onChange} />;
  if (p.widget === 'image') return <ImageInput p={p} id={id} value={value} hintId={hintId} onChange={onChange} {...images} />;
  if (p.type === 'integer' || p.type === 'number')
    return (
      <input
        id={id}
        name={p.name}
        type="number"
        inputMode={p.type === 'integer' ? 'numeric' : 'decimal'}
        min={p.minimum}
        max={p.maximum}
        step={p.type === 'integer' ? 1 : 'any'}
        required={p.required}
        value={String(value)}
        aria-describedby={hintId}
        onChange={(e) => onChange(e.target.value)}
      />
    );
  return <input id={id} name={p.name} maxLength={p.maxLength} required={p.required} value={String(value)} aria-describedby={hintId} onChange={(e) => onChange(e.target.value)} />;
}

/** One form field per parameter of `model`. */
export function ParamFields({ model, values, onChange, ...images }: { model: Model; values: FormValues; onChange(name: string, value: FormValue): void } & ImageHandlers) {
  const { t, lang } = useI18n();
  return (
    <div className="param-fields">
      {formParams(model).map((p) => {
        const value = values[p.name] ?? toFormValue(p, p.default);
        const id = `pg-${p.name}`;
        const dims = p.name === 'size' && typeof value === 'string' ? model.sizes?.[value] : undefined;
        // A choice's description often only lists its values, which the select already shows.
        const description = p.values && p.description.includes(String(p.values[0])) ? '' : paramDescription(p, lang, model.type);
        const hint = [dims ? `${dims.width}×${dims.height}` : '', rangeText(p), description].filter(Boolean).join(' · ');
        if (p.type === 'boolean')
          return (
            <div key={p.name} className="field field-check" data-param={p.name}>
              <label className="check-label" htmlFor={id}>
                <input id={id} name={p.name} type="checkbox" checked={value === true} aria-describedby={`${id}-hint`} onChange={(e) => onChange(p.name, e.target.checked)} />
                <span>{paramLabel(p.name, t)}</span>
              </label>
              <div className="hint" id={`${id}-hint`}>
                {hint}
              </div>
            </div>
          );
        const wide = p.widget === 'textarea' || p.widget === 'image';
        return (
          <div key={p.name} className={wide ? 'param-wide' : 'param-narrow'} data-param={p.name}>
            <Field label={paramLabel(p.name, t)} hint={hint || undefined} id={id} optional={!p.required && p.default === undefined}>
              {(fieldId, hintId) => <Control p={p} id={fieldId} value={value} hintId={hintId} onChange={(v) => onChange(p.name, v)} {...images} />}
            </Field>
          </div>
        );
      })}
    </div>
  );
}
