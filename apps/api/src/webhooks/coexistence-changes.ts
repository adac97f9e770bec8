// The coexistence webhook fields (history, smb_app_state_sync, smb_message_echoes), planned like
// every other change: routed by `metadata.phone_number_id` to its tenant, then applied.
import type { WebhookChangeContent } from '@waba/meta-graph';
import type { CoexistenceService } from '../coexistence/coexistence.service';
import type { DeliveryPlan, RouteLookup } from './webhook-applier.service';

type CoexistenceContent = Extract<WebhookChangeContent, { kind: 'history' | 'smb-app-state-sync' | 'smb-message-echoes' }>;
export type CoexistenceChange =
  | { kind: 'history'; chunks: Extract<CoexistenceContent, { kind: 'history' }>['chunks'] }
  | { kind: 'smb-app-state-sync'; contacts: Extract<CoexistenceContent, { kind: 'smb-app-state-sync' }>['contacts'] }
  | { kind: 'smb-message-echoes'; echoes: Extract<CoexistenceContent, { kind: 'smb-message-echoes' }>['echoes'] };

/**
 * Sync progress becomes an action on the number's sync record; each message the business sent
 * from the WhatsApp Business app also becomes a tenant event (keyed by its id, so a redelivery
 * adds nothing). Returns the ids nobody owns when the number is unknown.
 */
export async function planCoexistence(plan: DeliveryPlan, routes: RouteLookup, entryId: string | null, change: CoexistenceContent, now: Date): Promise<string[]> {
  const phoneNumberId = change.phoneNumberId;
  const owner = phoneNumberId ? await routes.ownerOfNumber(phoneNumberId) : null;
  if (!phoneNumberId || !owner) return [phoneNumberId, entryId].filter((id): id is string => !!id);
  const { accountId, wabaId } = owner;
  if (change.kind === 'history') plan.actions.push({ kind: 'coexistence', accountId, phoneNumberId, change: { kind: 'history', chunks: change.chunks } });
  if (change.kind === 'smb-app-state-sync') plan.actions.push({ kind: 'coexistence', accountId, phoneNumberId, change: { kind: 'smb-app-state-sync', contacts: change.contacts } });
  if (change.kind === 'smb-message-echoes') {
    plan.actions.push({ kind: 'coexistence', accountId, phoneNumberId, change: { kind: 'smb-message-echoes', echoes: change.echoes } });
    for (const echo of change.echoes) {
      plan.events.push({
        accountId,
        event: {
          key: `echo:${echo.id}`,
          type: 'message.sent_from_app',
          title: `Sent from the WhatsApp Business app to +${echo.to ?? 'unknown'}`,
          detail: echo.type === 'text' ? echo.text : `[${echo.type ?? 'message'}]`,
          phoneNumberId,
          wabaId,
          occurredAt: echo.timestamp ? new Date(echo.timestamp * 1000) : now,
          receivedAt: now,
          messageId: null,
        },
      });
    }
  }
  return [];
}

export async function applyCoexistence(coexistence: CoexistenceService, action: { accountId: string; phoneNumberId: string; change: CoexistenceChange }): Promise<void> {
  const { accountId, phoneNumberId, change } = action;
  if (change.kind === 'history') await coexistence.applyHistory(accountId, phoneNumberId, change.chunks);
  else if (change.kind === 'smb-app-state-sync') await coexistence.applyContacts(accountId, phoneNumberId, change.contacts);
  else await coexistence.applyEchoes(accountId, phoneNumberId, change.echoes);
}
