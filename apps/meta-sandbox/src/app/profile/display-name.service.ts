import { Injectable } from '@nestjs/common';
import { GraphSuccess } from '@waba/meta-graph';
import { GraphException } from '../common/graph-exception';
import { SandboxClock } from '../common/sandbox-clock';
import { WebhookEventsService } from '../webhooks/webhook-events.service';
import { PhoneNumberRecord } from '../world/world.types';

const CHANGE_WINDOW_MS = 30 * 24 * 3600 * 1000;
const CHANGES_PER_WINDOW = 10;

/**
 * Display-name changes (docs/meta.md §4.7): `POST /{phone}` with `new_display_name` starts a
 * review; a person decides it through the control API, which sends `phone_number_name_update`;
 * an approved name takes effect when the number registers again.
 */
@Injectable()
export class DisplayNameService {
  constructor(
    private readonly clock: SandboxClock,
    private readonly webhooks: WebhookEventsService,
  ) {}

  request(phone: PhoneNumberRecord, value: unknown): GraphSuccess {
    const name = typeof value === 'string' ? value.trim() : '';
    if (!name) throw GraphException.invalidParameter('(#100) Param new_display_name must be a non-empty string.');
    if (phone.nameChange?.status === 'PENDING_REVIEW') {
      throw GraphException.invalidParameter('(#100) A display name change is already in review for this phone number. Wait for the decision before asking again.');
    }
    const now = this.clock.nowMs();
    const recent = (phone.nameChangeRequestsMs ?? []).filter((t) => t > now - CHANGE_WINDOW_MS);
    if (recent.length >= CHANGES_PER_WINDOW) {
      throw GraphException.invalidParameter(`(#100) This phone number reached the limit of ${CHANGES_PER_WINDOW} display name changes in 30 days.`);
    }
    phone.nameChangeRequestsMs = [...recent, now];
    phone.nameChange = { name, status: 'PENDING_REVIEW', requestedAtMs: now };
    return { success: true };
  }

  /** A reviewer's decision, told to the app by webhook as Meta does. */
  decide(phone: PhoneNumberRecord, decision: 'APPROVED' | 'REJECTED', rejectionReason?: string): { decision: string; webhook: ReturnType<WebhookEventsService['send']> } {
    const change = phone.nameChange;
    if (!change || change.status !== 'PENDING_REVIEW') throw new GraphException({ code: 100, httpStatus: 409, message: 'No display name change is in review for this number.' });
    change.status = decision === 'APPROVED' ? 'APPROVED' : 'DECLINED';
    change.decidedAtMs = this.clock.nowMs();
    if (decision === 'REJECTED') change.rejectionReason = rejectionReason ?? 'NAME_FORMAT_UNACCEPTABLE';
    const webhook = this.webhooks.send([{ type: 'phone_number_name_update', phoneNumberId: phone.id, decision, requestedVerifiedName: change.name, rejectionReason: change.rejectionReason }], {});
    return { decision, webhook };
  }

  /** `/register` after an approval is what makes the new name the number's name. */
  applyOnRegister(phone: PhoneNumberRecord): void {
    if (phone.nameChange?.status !== 'APPROVED') return;
    phone.verifiedName = phone.nameChange.name;
    phone.nameStatus = 'APPROVED';
    phone.nameChange = undefined;
  }
}
