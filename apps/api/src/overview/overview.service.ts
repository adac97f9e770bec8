import { Injectable } from '@nestjs/common';
import type { AttentionItemView, OverviewNumberView, OverviewStatusCountView, OverviewView, StatusTone, WabaView } from '@waba/contracts';
import { deriveNumberStatus, deriveWabaStatus, describeTokenHealth } from '@waba/contracts';
import type { TenantContext } from '../common/auth/auth.decorators';
import { Clock } from '../common/clock/clock';
import { TemplatesService } from '../templates/templates.service';
import { NumberHealthService } from '../number-health/number-health.service';
import { OnboardingService } from '../oauth/onboarding.service';
import { overviewHealth } from './overview-health';
import { PhoneNumbersService } from '../phone-numbers/phone-numbers.service';
import { EventsService } from '../webhooks/events.service';

const RECENT_EVENTS = 5;
const TONE_ORDER: Record<StatusTone, number> = { bad: 0, warn: 1, good: 2, neutral: 3 };

/** The tenant's dashboard in one answer, composed from the services that own each part. */
@Injectable()
export class OverviewService {
  constructor(
    private readonly phoneNumbers: PhoneNumbersService,
    private readonly onboarding: OnboardingService,
    private readonly events: EventsService,
    private readonly clock: Clock,
    private readonly numberHealth: NumberHealthService,
    private readonly templates: TemplatesService,
  ) {}

  async overview(tenant: TenantContext): Promise<OverviewView> {
    const [status, onboarding, events, health, templates] = await Promise.all([
      this.phoneNumbers.status(tenant),
      this.onboarding.inProgress(tenant),
      this.events.list(tenant, { page: 1, pageSize: RECENT_EVENTS }),
      this.numberHealth.list(tenant),
      this.templates.needingAttention(tenant.accountId),
    ]);
    const now = this.clock.now().getTime();
    const numbers: OverviewNumberView[] = status.wabas.flatMap((waba) =>
      waba.numbers.map((n) => ({
        phoneNumberId: n.phoneNumberId,
        wabaId: waba.wabaId,
        wabaName: waba.name,
        displayPhone: n.displayPhone,
        verifiedName: n.verifiedName,
        isActive: n.isActive,
        status: deriveNumberStatus(n, waba, now),
      })),
    );
    return {
      health: overviewHealth(health.numbers),
      templates,
      numbers,
      byStatus: countByStatus(numbers),
      attention: status.wabas.flatMap((waba) => attentionOf(waba, now)).sort((a, b) => TONE_ORDER[a.tone] - TONE_ORDER[b.tone]),
      onboarding,
      recentEvents: events.items,
      eventTotal: events.total,
    };
  }
}

function countByStatus(numbers: OverviewNumberView[]): OverviewStatusCountView[] {
  const counts = new Map<string, OverviewStatusCountView>();
  for (const { status } of numbers) {
    const entry = counts.get(status.kind) ?? { kind: status.kind, label: status.label, tone: status.tone, count: 0 };
    entry.count += 1;
    counts.set(status.kind, entry);
  }
  return [...counts.values()].sort((a, b) => TONE_ORDER[a.tone] - TONE_ORDER[b.tone] || b.count - a.count);
}

/**
 * What needs the tenant in one WABA: its access or credential first (one row for the account,
 * since one Reconnect fixes all its numbers), Meta's restriction, then each number's own trouble.
 */
function attentionOf(waba: WabaView, now: number): AttentionItemView[] {
  if (waba.state === 'disconnected') return [];
  const name = waba.name ?? `WhatsApp Business Account ${waba.wabaId}`;
  const account = deriveWabaStatus(waba, now);
  const item = (kind: AttentionItemView['kind'], tone: StatusTone, title: string, detail: string, fix: AttentionItemView['fix'], phoneNumberId: string | null = null) => ({
    kind,
    tone,
    title,
    detail,
    fix,
    wabaId: waba.wabaId,
    phoneNumberId,
  });
  if (account.kind === 'access_removed' || account.kind === 'reconnect_needed') {
    return [item('reconnect_needed', 'bad', `Reconnect ${name}`, account.explanation ?? '', 'reconnect')];
  }
  const items: AttentionItemView[] = [];
  if (waba.restriction) items.push(item('restricted_account', 'bad', `Meta restricted ${name}`, waba.restriction.explanation, 'review_account'));
  const credential = describeTokenHealth(waba.connection, now);
  if (credential.tone === 'warn') {
    items.push(item('credential_expiring', 'warn', `The credential of ${name} ${credential.label}`, 'Reconnect before then, or its numbers stop sending and receiving.', 'reconnect'));
  }
  for (const number of waba.numbers) {
    const status = deriveNumberStatus(number, waba, now);
    const about = (kind: AttentionItemView['kind'], title: string) => items.push(item(kind, status.tone, title, status.explanation ?? '', 'review_number', number.phoneNumberId));
    if (status.kind === 'banned') about('banned', `${number.displayPhone}: ${status.label.toLowerCase()}`);
    else if (status.kind === 'restricted' && !waba.restriction) about('restricted_number', `${number.displayPhone} is restricted by Meta`);
    else if (status.kind === 'flagged') about('flagged', `${number.displayPhone} is flagged for low quality`);
    else if (status.kind === 'failed') about('failed', `${number.displayPhone} did not finish connecting`);
    else if (status.kind === 'quality_medium') about('quality_medium', `The quality of ${number.displayPhone} is dropping`);
  }
  return items;
}
