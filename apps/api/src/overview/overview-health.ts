// The Overview's health section: the numbers' verdicts (number-health module) counted, and what
// needs the tenant first: a number that cannot send, then an expiring credential, a rejected
// name, then any other limit. One row per number, each with the check behind it and its fix.
import type { HealthAttentionKind, HealthAttentionView, HealthCheckView, NumberHealthView, NumberVerdict, OverviewHealthView } from '@waba/contracts';
import { NUMBER_VERDICTS } from '@waba/contracts';

const KIND_ORDER: Record<HealthAttentionKind, number> = { cannot_send: 0, credential_expiring: 1, name_rejected: 2, limited: 3 };
const LABEL: Record<NumberVerdict, string> = { can_send: 'Can send', limited: 'Limited', cannot_send: 'Cannot send' };

export function overviewHealth(numbers: NumberHealthView[]): OverviewHealthView {
  const byVerdict = NUMBER_VERDICTS.map((verdict) => ({ verdict, label: LABEL[verdict], count: numbers.filter((n) => n.verdict === verdict).length })).filter((c) => c.count > 0);
  const attention = numbers.flatMap((n) => attentionOf(n)).sort((a, b) => KIND_ORDER[a.kind] - KIND_ORDER[b.kind]);
  const oldest = numbers.map((n) => n.checkedAt).sort()[0] ?? null;
  return { byVerdict, attention, oldestCheckAt: oldest };
}

function attentionOf(number: NumberHealthView): HealthAttentionView[] {
  const find = (test: (c: HealthCheckView) => boolean) => number.checks.find(test);
  const row = (kind: HealthAttentionKind, title: string, check: HealthCheckView): HealthAttentionView => ({
    kind,
    phoneNumberId: number.phoneNumberId,
    wabaId: number.wabaId,
    displayPhone: number.displayPhone,
    verdict: number.verdict,
    title,
    detail: [check.summary, check.whatToDo].filter(Boolean).join(' '),
    check: check.key,
    fix: check.fix,
  });
  if (number.verdict === 'cannot_send') {
    const blocking = find((c) => c.outcome === 'blocks') ?? number.checks[0];
    return [row('cannot_send', `${number.displayPhone} cannot send`, blocking)];
  }
  const rows: HealthAttentionView[] = [];
  const expiring = find((c) => c.key === 'credential' && c.outcome === 'warn');
  if (expiring) rows.push(row('credential_expiring', `The credential of ${number.displayPhone} is about to stop working`, expiring));
  const name = find((c) => c.key === 'name_status' && c.outcome === 'limits');
  if (name) rows.push(row('name_rejected', `The display name of ${number.displayPhone} was not approved`, name));
  const limit = find((c) => c.outcome === 'limits' && c.key !== 'name_status');
  if (limit) rows.push(row('limited', `Sending from ${number.displayPhone} is limited`, limit));
  return rows;
}
