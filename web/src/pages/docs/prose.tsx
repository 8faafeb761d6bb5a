// Docs prose: `code` in backticks as <code>, {placeholders} filled.
import { Fragment } from 'react';

/** `code` in backticks as <code>; {placeholders} filled. */
export function Prose({ text, vars = {} }: { text: string; vars?: Record<string, string> }) {
  const filled = Object.entries(vars).reduce((s, [k, v]) => s.split(`{${k}}`).join(v), text);
  return <>{filled.split(/(`[^`]+`)/).map((part, i) => (part.startsWith('`') && part.endsWith('`') && part.length > 1 ? <code key={i}>{part.slice(1, -1)}</code> : <Fragment key={i}>{part}</Fragment>))}</>;
}

export const Paragraphs = ({ list }: { list: string[] }) => (
  <>
    {list.map((p) => (
      <p key={p}>
        <Prose text={p} />
      </p>
    ))}
  </>
);

