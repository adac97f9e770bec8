import { WebhookRetryPolicy } from '../sandbox-options';

/** Behaviour switches the control API can flip at run time. */
export interface SandboxSettings {
  /**
   * `with_waba_targets`: `granular_scopes` lists the WABAs (Meta's documented shape).
   * `without_waba_targets`: the 2026 breakage where only `business_management` and
   * `whatsapp_business_manage_events` are granular (docs/meta.md §11).
   */
  debugTokenShape: 'with_waba_targets' | 'without_waba_targets';
  /** Lifetime of business tokens from a consent; null = never expires (`expires_at: 0`). */
  businessTokenExpiresInSeconds: number | null;
  /** Refuse tenant-token calls without `appsecret_proof` ("Require App Secret" switched on). */
  requireAppSecretProof: boolean;
  webhookUrl?: string;
  webhookRetry: WebhookRetryPolicy;
  /** Send the `\uXXXX`-escaped JSON Meta sends; false sends raw UTF-8. */
  webhookEscapeUnicode: boolean;
  /** The app's webhook fields for `whatsapp_business_account` (`GET /{app-id}/subscriptions`); absent = APP_WEBHOOK_FIELDS. */
  appWebhookFields?: string[];
}
