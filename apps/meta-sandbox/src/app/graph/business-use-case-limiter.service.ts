import { Injectable } from '@nestjs/common';
import { GraphException } from '../common/graph-exception';
import { SandboxClock } from '../common/sandbox-clock';
import { WorldStore } from '../world/world.store';
import { WabaRecord } from '../world/world.types';

const WINDOW_MS = 3600_000;
const DEFAULT_CALLS_PER_HOUR = 200;
const ACTIVE_CALLS_PER_HOUR = 5_000;

/**
 * The WhatsApp Business Management API's per-app, per-WABA rolling hourly limit (docs/meta.md
 * §7.3): 200 calls, or 5,000 once the WABA has a registered number; reported in
 * `X-Business-Use-Case-Usage` and enforced with 80007 on HTTP 400.
 */
@Injectable()
export class BusinessUseCaseLimiter {
  constructor(
    private readonly world: WorldStore,
    private readonly clock: SandboxClock,
  ) {}

  /** Counts one call on the WABA and returns the usage header; throws 80007 when over the limit. */
  count(waba: WabaRecord): string {
    const now = this.clock.nowMs();
    const recent = waba.managementCallsMs.filter((t) => t > now - WINDOW_MS);
    waba.managementCallsMs = recent;
    const limit = this.limitFor(waba);
    if (recent.length >= limit) {
      const header = businessUseCaseUsageHeader(waba.id, 100, Math.ceil((recent[0] + WINDOW_MS - now) / 60_000));
      throw new GraphException({
        code: 80007,
        message: '(#80007) Rate limit issues: The WhatsApp Business Account has reached its rate limit',
        headers: { 'X-Business-Use-Case-Usage': header },
      });
    }
    recent.push(now);
    return businessUseCaseUsageHeader(waba.id, Math.round((recent.length / limit) * 100), 0);
  }

  private limitFor(waba: WabaRecord): number {
    const active = this.world.phoneNumbersOf(waba.id).some((phone) => phone.platformType === 'CLOUD_API');
    return active ? ACTIVE_CALLS_PER_HOUR : DEFAULT_CALLS_PER_HOUR;
  }
}

/** `X-Business-Use-Case-Usage` for one object: percentages, and minutes until access returns. */
export function businessUseCaseUsageHeader(wabaId: string, percent: number, regainMinutes: number): string {
  return JSON.stringify({
    [wabaId]: [
      {
        type: 'whatsapp_business_management',
        call_count: percent,
        total_cputime: Math.min(percent, 1),
        total_time: Math.min(percent, 1),
        estimated_time_to_regain_access: regainMinutes,
      },
    ],
  });
}
