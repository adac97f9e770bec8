import type { SignupLinkView } from '../signup-links/signup-links.dto';
import type { CoexistenceSyncView } from './coexistence.dto';
import type { TenantEventView } from './events.dto';
import type { OnboardingAttemptView } from './onboarding-attempts.dto';
import type { NumberHealthView } from './number-health.dto';
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
  | { type: 'onboarding-attempt.updated'; attempt: OnboardingAttemptView }
  | { type: 'signup-link.updated'; link: SignupLinkView }
  | { type: 'number-health.updated'; health: NumberHealthView }
  | { type: 'coexistence.updated'; sync: CoexistenceSyncView }
  /** A template of a connected WABA changed (a webhook); `templates.synced` after a full read from Meta. */
  | { type: 'template.updated'; template: MessageTemplateView }
  | { type: 'templates.synced'; wabaId: string };
