// `health_status` as Meta answers it on a number or a WABA (docs/meta.md §13): one entity per node
// a send involves (the number when asked on one, then its WABA, business and our app), each
// AVAILABLE, LIMITED (with `additional_info`) or BLOCKED (with `errors`), and the worst overall.
// What the world implies (a banned or unregistered number, a rejected WABA) and what the control
// API set by hand (`health` on a record) both count.
import { worstCanSend, type CanSendMessage, type HealthEntity, type HealthEntityType, type HealthStatus, type HealthStatusError } from '@waba/meta-graph';
import type { HealthOverride } from '../world/health-override';
import type { WorldStore } from '../world/world.store';
import type { PhoneNumberRecord, WabaRecord } from '../world/world.types';

type Finding = { canSend: Exclude<CanSendMessage, 'AVAILABLE'>; error?: HealthStatusError; info?: string };

export function phoneNumberHealth(phone: PhoneNumberRecord, world: WorldStore): HealthStatus {
  const waba = world.wabas.get(phone.wabaId);
  return overall([entity('PHONE_NUMBER', phone.id, [...phoneFindings(phone), ...fromOverride(phone.health)]), ...(waba ? accountEntities(waba, world) : [])]);
}

export function wabaHealth(waba: WabaRecord, world: WorldStore): HealthStatus {
  return overall(accountEntities(waba, world));
}

function accountEntities(waba: WabaRecord, world: WorldStore): HealthEntity[] {
  const business = world.businesses.get(waba.ownerBusinessId);
  return [entity('WABA', waba.id, [...wabaFindings(waba), ...fromOverride(waba.health)]), entity('BUSINESS', waba.ownerBusinessId, fromOverride(business?.health)), entity('APP', world.app.id, [])];
}

function phoneFindings(phone: PhoneNumberRecord): Finding[] {
  const findings: Finding[] = [];
  if (phone.status === 'BANNED' || phone.status === 'DELETED') {
    findings.push({
      canSend: 'BLOCKED',
      error: {
        error_code: 131031,
        error_description: phone.status === 'BANNED' ? 'The phone number has been banned from WhatsApp.' : 'The phone number was deleted.',
        possible_solution: 'Review the notice in WhatsApp Manager and request a review if you believe this is an error.',
      },
    });
  }
  if (phone.platformType === 'NOT_APPLICABLE') {
    findings.push({
      canSend: 'BLOCKED',
      error: { error_code: 133010, error_description: 'The phone number is not registered on the Cloud API.', possible_solution: 'Register the phone number, then try again.' },
    });
  }
  if (phone.status === 'FLAGGED' || phone.status === 'RESTRICTED') {
    findings.push({ canSend: 'LIMITED', info: phone.status === 'FLAGGED' ? 'The phone number is flagged for low quality.' : 'The phone number is restricted from starting new conversations.' });
  }
  return findings;
}

function wabaFindings(waba: WabaRecord): Finding[] {
  if (waba.accountReviewStatus === 'REJECTED') {
    return [
      {
        canSend: 'BLOCKED',
        error: {
          error_code: 141000,
          error_description: 'The WhatsApp Business Account did not pass review.',
          possible_solution: 'See the review decision in WhatsApp Manager and request a new review.',
        },
      },
    ];
  }
  if (waba.accountReviewStatus === 'PENDING') return [{ canSend: 'LIMITED', info: 'The WhatsApp Business Account is in review; messaging is limited until it is approved.' }];
  return [];
}

function fromOverride(override: HealthOverride | undefined): Finding[] {
  if (!override) return [];
  if (override.canSendMessage === 'BLOCKED') {
    return [{ canSend: 'BLOCKED', error: { error_code: override.errorCode, error_description: override.errorDescription, possible_solution: override.possibleSolution } }];
  }
  const info = override.additionalInfo.length ? override.additionalInfo : [override.errorDescription];
  return info.map((line) => ({ canSend: 'LIMITED' as const, info: line }));
}

function entity(type: HealthEntityType, id: string, findings: Finding[]): HealthEntity {
  const canSend = worstCanSend(findings.map((f) => f.canSend));
  const result: HealthEntity = { entity_type: type, id, can_send_message: canSend };
  if (canSend === 'BLOCKED') result.errors = findings.flatMap((f) => f.error ?? []);
  if (canSend === 'LIMITED') result.additional_info = findings.flatMap((f) => f.info ?? []);
  return result;
}

function overall(entities: HealthEntity[]): HealthStatus {
  return { can_send_message: worstCanSend(entities.map((e) => e.can_send_message)), entities };
}
