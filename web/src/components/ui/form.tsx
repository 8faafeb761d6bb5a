// Form fields: a labelled control, a list filter.
import { type ReactNode, useId } from 'react';
import { useI18n } from '../../i18n';

/** A labelled form control; the control gets the id. */
export function Field({ label, hint, children, id, optional }: { label: ReactNode; hint?: ReactNode; children: (id: string, describedBy?: string) => ReactNode; id?: string; optional?: boolean }) {
  const { t } = useI18n();
  const auto = useId();
  const fieldId = id ?? auto;
  const hintId = hint ? `${fieldId}-hint` : undefined;
  return (
    <div className="field">
      <label htmlFor={fieldId}>
        {label}
        {optional && <span className="muted"> ({t('optional')})</span>}
      </label>
      {children(fieldId, hintId)}
      {hint && (
        <div className="hint" id={hintId}>
          {hint}
        </div>
      )}
    </div>
  );
}

/** A list filter: a labelled <select> whose first option, "All", is the empty value. */
export function FilterSelect({
  id,
  label,
  value,
  options,
  optionLabel = (v) => v,
  onChange,
}: {
  id: string;
  label: ReactNode;
  value: string;
  options: readonly string[];
  optionLabel?: (value: string) => ReactNode;
  onChange(value: string): void;
}) {
  const { t } = useI18n();
  return (
    <div className="field inline">
      <label htmlFor={id}>{label}</label>
      <select id={id} value={value} onChange={(e) => onChange(e.target.value)}>
        <option value="">{t('all')}</option>
        {options.map((v) => (
          <option key={v} value={v}>
            {optionLabel(v)}
          </option>
        ))}
      </select>
    </div>
  );
}
