// The usage page's chat requests: the `chat` section of GET /api/account/usage (live requests
// only, never their content), newest first, with their key, tokens, cost, timing and how they ended.
import { Badge } from '../../components/ui/basic';
import { Card } from '../../components/ui/page';
import { DataTable } from '../../components/ui/table';
import { dashboardApi } from '../../dashboard-api';
import { fmtShort } from '../../format';
import { useAsync } from '../../hooks';
import { useI18n } from '../../i18n';
import { usePageMessages } from '../../i18n/page-messages';
import { fmtCredits, fmtNumber } from '../../money';
import { type ChatMessageKey, chatMessages } from './chat-messages';

export interface ChatUsageRow {
  id: string;
  model: string;
  api_key_id: string | null;
  created_at: string;
  input_tokens: number;
  cached_input_tokens: number;
  cache_write_tokens: number;
  output_tokens: number;
  credits: number;
  latency_ms: number | null;
  ttft_ms: number | null;
  end_reason: string | null;
}

const END_REASONS = ['length', 'client_gone', 'upstream_error', 'timeout'];

/** Shown once the account has live chat requests in the period. */
export function ChatUsageCard({ usage }: { usage: { days: number; chat?: { recent: ChatUsageRow[] } } | undefined }) {
  const { t, lang } = useI18n();
  const c = usePageMessages(chatMessages);
  const rows = usage?.chat?.recent ?? [];
  const keys = useAsync(() => (rows.length ? dashboardApi.keys() : Promise.resolve(undefined)), [rows.length > 0]);
  if (!usage || rows.length === 0) return null;
  const keyName = (id: string | null) => {
    const k = keys.data?.data.find((x) => x.id === id);
    return k ? `${k.name ?? '—'} · ${k.prefix}…` : '—';
  };
  const n = (v: number) => fmtNumber(v, lang);
  const ms = (v: number | null) => (v === null ? '—' : `${(v / 1000).toFixed(1)}s`);
  return (
    <Card title={c('chat_usage_title')}>
      <p className="muted small">{c('chat_usage_lead', { days: usage.days })}</p>
      <DataTable
        testId="chat-usage-table"
        columns={[
          { label: c('chat_usage_when') },
          { label: c('chat_usage_model') },
          { label: c('chat_usage_tokens'), num: true },
          { label: t('task_cost'), num: true },
          { label: c('chat_usage_time'), num: true },
        ]}
      >
        {rows.map((r) => (
          <tr key={r.id} data-chat-id={r.id}>
            <td className="nowrap">{fmtShort(r.created_at, lang)}</td>
            <td>
              <code>{r.model}</code>
              {r.end_reason && END_REASONS.includes(r.end_reason) && (
                <>
                  {' '}
                  <Badge tone={r.end_reason === 'length' ? 'neutral' : 'amber'}>{c(`chat_end_${r.end_reason}` as ChatMessageKey)}</Badge>
                </>
              )}
              <div className="muted small truncate" title={c('chat_usage_key')}>
                {keyName(r.api_key_id)}
              </div>
            </td>
            <td className="num nowrap">
              {n(r.input_tokens + r.cached_input_tokens + r.cache_write_tokens)} / {n(r.output_tokens)}
            </td>
            <td className="num nowrap">{t('credits_n', { n: fmtCredits(r.credits, lang) })}</td>
            <td className="num nowrap">
              {ms(r.ttft_ms)} / {ms(r.latency_ms)}
            </td>
          </tr>
        ))}
      </DataTable>
    </Card>
  );
}
