import type { TenantEventView } from './events.dto';
import type { MessageTemplateView } from '../templates/templates.dto';
import type { ConnectionView, OnboardingSessionView, PhoneNumberView } from './whatsapp.dto';

/** Socket.IO event name for everything the server pushes to a tenant's room. */
export const TENANT_EVENT = 'tenant-event';

/** The one definition of every realtime event, shared by the gateway and the SPA. */
export type TenantRealtimeEvent =
  | { type: 'phone-number.updated'; phoneNumber: PhoneNumberView }
  | { type: 'whatsapp.changed'; reason: string }
  | { type: 'onboarding.updated'; session: OnboardingSessionView }
  | { type: 'connection.updated'; connection: ConnectionView }
  | { type: 'event.created'; event: TenantEventView }
  /** A template of a connected WABA changed (a webhook); `templates.synced` after a full read from Meta. */
  | { type: 'template.updated'; template: MessageTemplateView }
  | { type: 'templates.synced'; wabaId: string };
