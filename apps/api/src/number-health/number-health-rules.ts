// The rules of "can this number send?": pure, so the service, its tests and the benchmark share
// them. Every check reads one fact (Meta's health_status, our credential, subscription, callback,
// last webhook, registration, number status, quality, limit, throughput, name) and says, in
// words, whether it passes, why it matters, what to do and which button fixes it.
import type { HealthCheckKey, HealthCheckOutcome, HealthCheckView, NumberVerdict } from '@waba/contracts';
import { readHealthStatus, REQUIRED_WEBHOOK_FIELDS, saysNotRegistered, type AppSubscription, type HealthEntity, type PhoneNumberWithHealth, type SubscribedApp } from '@waba/meta-graph';

const DAY_MS = 24 * 3600 * 1000;
/** An expiry closer than this is a warning (as the WhatsApp page's credential badge says). */
const SOON_MS = 7 * DAY_MS;
/** A subscribed WABA that sent nothing for this long may have lost its webhooks. */
const QUIET_MS = 7 * DAY_MS;

export interface HealthInputs {
  number: { phoneNumberId: string; displayPhone: string; registration: string; hasStoredPin: boolean; connectedAt: Date | null };
  /** Meta's read of the number; null when Meta could not be read. */
  fresh: PhoneNumberWithHealth | null;
  waba: { state: string; restriction: { explanation: string } | null };
  /** Our WABA's `subscribed_apps`; null when Meta could not be read. */
  subscribedApps: SubscribedApp[] | null;
  /** Our app's own webhook subscriptions (`GET /{app-id}/subscriptions`); null when they could not be read. */
  appSubscriptions: AppSubscription[] | null;
  /** Why Meta could not be read, in words; `credential` when Meta refused the credential. */
  readFailure: { credential: boolean; words: string } | null;
  connection: { status: string; expiresAt: Date | null; dataAccessExpiresAt: Date | null } | null;
  lastWebhookAt: Date | null;
  appId: string;
  /** Our webhook callback: a WABA override elsewhere takes our events away. */
  callbackUrl: string;
  now: Date;
}

export interface HealthVerdict {
  verdict: NumberVerdict;
  verdictLabel: string;
  summary: string;
  checks: HealthCheckView[];
}

const RANK: Record<HealthCheckOutcome, number> = { blocks: 0, limits: 1, warn: 2, unknown: 3, pass: 4 };
const VERDICT_LABEL: Record<NumberVerdict, string> = { can_send: 'Can send', limited: 'Limited', cannot_send: 'Cannot send' };

export function evaluateNumberHealth(input: HealthInputs): HealthVerdict {
  const checks = [
    metaHealthCheck(input),
    credentialCheck(input),
    subscriptionCheck(input),
    callbackCheck(input),
    webhookFieldsCheck(input),
    lastWebhookCheck(input),
    registrationCheck(input),
    numberStatusCheck(input),
    qualityCheck(input),
    messagingLimitCheck(input),
    throughputCheck(input),
    nameStatusCheck(input),
  ].sort((a, b) => RANK[a.outcome] - RANK[b.outcome]);
  const verdict: NumberVerdict = checks.some((c) => c.outcome === 'blocks') ? 'cannot_send' : checks.some((c) => c.outcome === 'limits') ? 'limited' : 'can_send';
  const worst = checks[0];
  const summary = verdict === 'can_send' ? 'Nothing stops this number from sending.' : worst.summary;
  return { verdict, verdictLabel: VERDICT_LABEL[verdict], summary, checks };
}

export function verdictLabel(verdict: NumberVerdict): string {
  return VERDICT_LABEL[verdict];
}

type Finding = Pick<HealthCheckView, 'outcome' | 'summary'> & Partial<Pick<HealthCheckView, 'why' | 'whatToDo' | 'fix' | 'details'>>;

function check(key: HealthCheckKey, label: string, finding: Finding): HealthCheckView {
  return { key, label, why: null, whatToDo: null, fix: null, details: null, ...finding };
}

function unreadable(key: HealthCheckKey, label: string, input: HealthInputs): HealthCheckView {
  return check(key, label, { outcome: 'unknown', summary: `Not checked: ${input.readFailure?.words ?? 'Meta did not answer.'}` });
}

const ENTITY_WORDS: Record<HealthEntity['entity_type'], string> = {
  PHONE_NUMBER: 'this number',
  WABA: 'its WhatsApp Business Account',
  BUSINESS: 'its business portfolio',
  APP: "WABA Connect's Meta app",
  MESSAGE_TEMPLATE: 'a message template',
};

function metaHealthCheck(input: HealthInputs): HealthCheckView {
  const label = "Meta's messaging health";
  // Read defensively: Meta adds entity types and values over time (libs/meta-graph health-status.ts).
  const health = readHealthStatus(input.fresh?.health_status);
  if (!health)
    return input.readFailure ? unreadable('meta_health', label, input) : check('meta_health', label, { outcome: 'unknown', summary: 'Meta did not report a messaging health for this number.' });
  const blocked = health.entities.filter((e) => e.can_send_message === 'BLOCKED');
  if (blocked.length > 0) {
    const errors = blocked.flatMap((e) => (e.errors?.length ? e.errors : [{ error_code: 0, error_description: 'no reason given', possible_solution: '' }]).map((error) => ({ entity: e, error })));
    const first = errors[0];
    const onOurSide = blocked.some((e) => e.entity_type === 'APP');
    const notRegistered = errors.some(({ error }) => saysNotRegistered(error));
    return check('meta_health', label, {
      outcome: 'blocks',
      summary: `Meta blocks messaging for ${ENTITY_WORDS[first.entity.entity_type]}: ${sentence(first.error.error_description)}`,
      why: 'Meta refuses every message sent through this number until this is resolved.',
      whatToDo: onOurSide
        ? 'This concerns our Meta app, not your account: contact WABA Connect support.'
        : errors.map(({ error }) => sentence(error.possible_solution || 'See WhatsApp Manager for the details.')).join(' '),
      fix: notRegistered && input.number.hasStoredPin ? 're_register' : null,
      details: errors.map(({ entity, error }) => `${entity.entity_type} ${entity.id}: BLOCKED, error ${error.error_code}`).join('; '),
    });
  }
  const limited = health.entities.filter((e) => e.can_send_message === 'LIMITED');
  if (limited.length > 0) {
    const info = limited.flatMap((e) => e.additional_info ?? []);
    return check('meta_health', label, {
      outcome: 'limits',
      summary: `Meta limits messaging for ${ENTITY_WORDS[limited[0].entity_type]}${info.length ? `: ${sentence(info[0])}` : '.'}`,
      why: 'Messages still go out, but Meta holds some back or caps how many.',
      whatToDo: info.length > 1 ? info.slice(1).map(sentence).join(' ') : 'See WhatsApp Manager for what Meta limits and until when.',
      details: limited.map((e) => `${e.entity_type} ${e.id}: LIMITED`).join('; '),
    });
  }
  return check('meta_health', label, { outcome: 'pass', summary: 'Meta reports the number, its account, business and our app all available for messaging.' });
}

function credentialCheck(input: HealthInputs): HealthCheckView {
  const label = 'Meta credential';
  const reconnect = (summary: string, why: string): HealthCheckView =>
    check('credential', label, { outcome: 'blocks', summary, why, whatToDo: "Reconnect: go through Meta's consent again; the same numbers are restored.", fix: 'reconnect' });
  if (input.waba.state === 'revoked') return reconnect('The business removed our access to this WhatsApp Business Account in Meta.', 'Without access, nothing can be sent or received for it.');
  const connection = input.connection;
  if (!connection) return reconnect('No Meta credential is stored for this account.', 'Every call to Meta for this number needs one.');
  if (input.readFailure?.credential || connection.status === 'needs_reauth' || connection.status === 'revoked') {
    return reconnect('Meta no longer accepts the credential for this number.', 'Every send and every read for this number is refused until it is replaced.');
  }
  const now = input.now.getTime();
  if (connection.expiresAt && connection.expiresAt.getTime() <= now) return reconnect('The credential for this number has expired.', 'Meta refuses an expired credential.');
  if (connection.dataAccessExpiresAt && connection.dataAccessExpiresAt.getTime() <= now) {
    return reconnect("The credential's access to the account's data has expired.", 'Meta refuses reads of the account until the business consents again.');
  }
  const soon = [
    connection.expiresAt && { what: 'expires', at: connection.expiresAt },
    connection.dataAccessExpiresAt && { what: 'loses access to the account data', at: connection.dataAccessExpiresAt },
  ].filter((x): x is { what: string; at: Date } => !!x && x.at.getTime() - now < SOON_MS);
  if (soon.length > 0) {
    const first = soon.sort((a, b) => a.at.getTime() - b.at.getTime())[0];
    return check('credential', label, {
      outcome: 'warn',
      summary: `The credential ${first.what} ${inDays(first.at.getTime() - now)}.`,
      why: 'After that the number stops sending and receiving.',
      whatToDo: 'Reconnect before then to keep the number working.',
      fix: 'reconnect',
      details: `${first.what === 'expires' ? 'expires_at' : 'data_access_expires_at'} ${first.at.toISOString()}`,
    });
  }
  return check('credential', label, { outcome: 'pass', summary: connection.expiresAt ? `Valid; it expires ${inDays(connection.expiresAt.getTime() - now)}.` : 'Valid, and it never expires.' });
}

function ourSubscription(input: HealthInputs): SubscribedApp | undefined {
  return input.subscribedApps?.find((s) => s.whatsapp_business_api_data.id === input.appId);
}

function subscriptionCheck(input: HealthInputs): HealthCheckView {
  const label = 'Webhook subscription';
  if (!input.subscribedApps) return unreadable('subscription', label, input);
  if (!ourSubscription(input)) {
    const others = input.subscribedApps.length;
    return check('subscription', label, {
      outcome: 'limits',
      summary: 'WABA Connect is not subscribed to this WhatsApp Business Account.',
      why: "Messages can go out, but replies, delivery reports and Meta's notices about the number never reach WABA Connect.",
      whatToDo: 'Subscribe again.',
      fix: 'resubscribe',
      details: `our app ${input.appId} is not in subscribed_apps (${others} other app${others === 1 ? '' : 's'})`,
    });
  }
  return check('subscription', label, { outcome: 'pass', summary: "WABA Connect is subscribed to the account's webhooks." });
}

function callbackCheck(input: HealthInputs): HealthCheckView {
  const label = 'Webhook address';
  if (!input.subscribedApps) return unreadable('callback', label, input);
  const ours = ourSubscription(input);
  if (!ours) return check('callback', label, { outcome: 'unknown', summary: 'Checked once WABA Connect is subscribed.' });
  if (ours.override_callback_uri && ours.override_callback_uri !== input.callbackUrl) {
    return check('callback', label, {
      outcome: 'limits',
      summary: "This account's messages and delivery reports are sent to another address, not to WABA Connect.",
      why: 'Someone set another webhook address for this account in Meta, so replies never reach WABA Connect.',
      whatToDo: 'Subscribe again: it sends them back to WABA Connect.',
      fix: 'resubscribe',
      details: `override_callback_uri ${ours.override_callback_uri}`,
    });
  }
  return check('callback', label, { outcome: 'pass', summary: 'Webhooks for this account come to WABA Connect.' });
}

function webhookFieldsCheck(input: HealthInputs): HealthCheckView {
  const label = 'Webhook fields';
  if (!input.appSubscriptions) return check('webhook_fields', label, { outcome: 'unknown', summary: "Not checked: Meta did not answer for our app's webhook subscription." });
  const subscription = input.appSubscriptions.find((s) => s.object === 'whatsapp_business_account' && s.active);
  const support = 'This is set once for every account in our Meta app, not in yours: contact WABA Connect support.';
  if (!subscription) {
    return check('webhook_fields', label, {
      outcome: 'limits',
      summary: "WABA Connect's Meta app has no active webhook subscription for WhatsApp accounts.",
      why: 'Without it Meta sends no webhooks at all: no replies, delivery reports or notices reach WABA Connect.',
      whatToDo: support,
      details: `app ${input.appId}: no active whatsapp_business_account subscription`,
    });
  }
  const fields = new Set(subscription.fields.map((f) => f.name));
  const missing = REQUIRED_WEBHOOK_FIELDS.filter((field) => !fields.has(field));
  if (missing.length > 0) {
    return check('webhook_fields', label, {
      outcome: 'limits',
      summary: `WABA Connect's Meta app does not receive ${missing.length === 1 ? 'one webhook field it needs' : `${missing.length} webhook fields it needs`}.`,
      why: 'What Meta would send in them (messages, account notices, quality or name changes) never arrives.',
      whatToDo: support,
      details: `missing fields: ${missing.join(', ')}`,
    });
  }
  return check('webhook_fields', label, { outcome: 'pass', summary: "WABA Connect's Meta app receives every webhook field it needs." });
}

function lastWebhookCheck(input: HealthInputs): HealthCheckView {
  const label = 'Last webhook';
  const now = input.now.getTime();
  const last = input.lastWebhookAt;
  if (last && now - last.getTime() < QUIET_MS) return check('last_webhook', label, { outcome: 'pass', summary: `The last webhook for this account arrived ${ago(now - last.getTime())}.` });
  const connectedFor = input.number.connectedAt ? now - input.number.connectedAt.getTime() : 0;
  if (!last && connectedFor < DAY_MS) return check('last_webhook', label, { outcome: 'pass', summary: 'No webhook has arrived yet; the number was connected less than a day ago.' });
  return check('last_webhook', label, {
    outcome: 'warn',
    summary: last ? `No webhook has arrived for this account for ${ago(now - last.getTime()).replace(/ ago$/, '')}.` : 'No webhook has ever arrived for this account.',
    why: 'A quiet number is fine; a busy one that hears nothing may have lost its webhook subscription.',
    whatToDo: 'If customers write to this number, subscribe again.',
    fix: 'resubscribe',
    details: last ? `last event received ${last.toISOString()}` : null,
  });
}

function registrationCheck(input: HealthInputs): HealthCheckView {
  const label = 'Cloud API registration';
  const notOnCloudApi = input.fresh?.platform_type === 'NOT_APPLICABLE';
  const failedHere = input.number.registration === 'failed' || input.number.registration === 'pending';
  if (notOnCloudApi || failedHere) {
    return check('registration', label, {
      outcome: 'blocks',
      summary: notOnCloudApi ? 'The number is not registered on the Cloud API.' : 'Registering the number on the Cloud API did not finish.',
      why: 'An unregistered number cannot send or receive through the Cloud API.',
      whatToDo: input.number.hasStoredPin
        ? 'Register it again with the two-step PIN we keep. Meta allows 10 registrations per number in 72 hours.'
        : 'Register it from WhatsApp Manager, or disconnect it and connect it again.',
      fix: input.number.hasStoredPin ? 're_register' : null,
      details: `platform_type ${input.fresh?.platform_type ?? 'unknown'}, registration ${input.number.registration}`,
    });
  }
  if (!input.fresh) return unreadable('registration', label, input);
  return check('registration', label, { outcome: 'pass', summary: input.number.registration === 'not_needed' ? 'On the Cloud API (it needed no registration).' : 'Registered on the Cloud API.' });
}

function numberStatusCheck(input: HealthInputs): HealthCheckView {
  const label = "Meta's status of the number";
  if (input.waba.restriction) {
    return check('number_status', label, {
      outcome: 'limits',
      summary: 'Meta restricted its WhatsApp Business Account.',
      why: input.waba.restriction.explanation,
      whatToDo: 'See WhatsApp Manager for the reason and the end date.',
    });
  }
  if (!input.fresh) return unreadable('number_status', label, input);
  const status = input.fresh.status;
  const details = `status ${status ?? 'unknown'}`;
  if (status === 'BANNED' || status === 'DELETED') {
    return check('number_status', label, {
      outcome: 'blocks',
      summary: status === 'BANNED' ? 'Meta banned this number.' : 'This number was deleted in Meta.',
      why: 'Meta no longer lets it use WhatsApp.',
      whatToDo: 'Check WhatsApp Manager for the reason and any appeal.',
      details,
    });
  }
  if (status === 'DISCONNECTED') {
    return check('number_status', label, {
      outcome: 'blocks',
      summary: 'Meta shows the number as disconnected from the Cloud API.',
      why: 'It cannot send until it is registered again.',
      whatToDo: input.number.hasStoredPin ? 'Register it again with the two-step PIN we keep.' : 'Register it from WhatsApp Manager.',
      fix: input.number.hasStoredPin ? 're_register' : null,
      details,
    });
  }
  if (status === 'RESTRICTED' || status === 'FLAGGED') {
    return check('number_status', label, {
      outcome: 'limits',
      summary: status === 'RESTRICTED' ? 'Meta restricted this number: it may not start new conversations.' : 'Meta flagged this number for low quality.',
      why: status === 'RESTRICTED' ? 'Replies within open conversations still work.' : 'If quality does not improve within 7 days, Meta lowers its messaging limit.',
      whatToDo: 'See WhatsApp Manager for the reason; send only what customers asked for.',
      details,
    });
  }
  return check('number_status', label, { outcome: status === 'PENDING' ? 'warn' : 'pass', summary: status === 'PENDING' ? 'Meta still shows the number as pending.' : 'Connected in Meta.', details });
}

function qualityCheck(input: HealthInputs): HealthCheckView {
  const label = 'Quality rating';
  if (!input.fresh) return unreadable('quality', label, input);
  const rating = input.fresh.quality_rating;
  const details = `quality_rating ${rating ?? 'unknown'}`;
  if (rating === 'RED') {
    return check('quality', label, {
      outcome: 'limits',
      summary: 'Quality is low: customers blocked or reported recent messages.',
      why: 'Meta lowers the messaging limit of a number whose quality stays low.',
      whatToDo: 'Send fewer, more relevant messages, only to customers who asked for them.',
      details,
    });
  }
  if (rating === 'YELLOW') return check('quality', label, { outcome: 'warn', summary: 'Quality is medium and dropping.', whatToDo: 'Watch what you send so Meta does not flag the number.', details });
  return check('quality', label, { outcome: 'pass', summary: rating === 'GREEN' ? 'Quality is high.' : 'Meta has not rated the quality yet.', details });
}

const TIER_WORDS: Record<string, string> = {
  TIER_50: '50',
  TIER_250: '250',
  TIER_1K: '1,000',
  TIER_2K: '2,000',
  TIER_10K: '10,000',
  TIER_100K: '100,000',
};

function messagingLimitCheck(input: HealthInputs): HealthCheckView {
  const label = 'Messaging limit';
  if (!input.fresh) return unreadable('messaging_limit', label, input);
  const tier = input.fresh.whatsapp_business_manager_messaging_limit;
  const details = `whatsapp_business_manager_messaging_limit ${tier ?? 'unknown'}`;
  if (tier === 'TIER_UNLIMITED') return check('messaging_limit', label, { outcome: 'pass', summary: 'No limit on new conversations a day.', details });
  if (tier && TIER_WORDS[tier] && tier !== 'TIER_50') return check('messaging_limit', label, { outcome: 'pass', summary: `Up to ${TIER_WORDS[tier]} customers a day can be messaged first.`, details });
  return check('messaging_limit', label, {
    outcome: 'warn',
    summary: tier === 'TIER_50' ? 'Only 50 customers a day can be messaged first.' : 'Meta has not set a messaging limit yet.',
    why: 'Messages that start a conversation beyond the limit fail.',
    whatToDo: 'The limit rises as the business sends good-quality messages; verifying the business raises it too.',
    details,
  });
}

function throughputCheck(input: HealthInputs): HealthCheckView {
  const label = 'Throughput';
  if (!input.fresh) return unreadable('throughput', label, input);
  const level = input.fresh.throughput?.level;
  const details = `throughput ${level ?? 'unknown'}`;
  if (level === 'HIGH') return check('throughput', label, { outcome: 'pass', summary: 'High: up to 1,000 messages a second.', details });
  if (level === 'STANDARD') return check('throughput', label, { outcome: 'pass', summary: 'Standard: up to 80 messages a second.', details });
  return check('throughput', label, { outcome: 'warn', summary: 'None yet: the number has no Cloud API throughput until it is registered.', details });
}

function nameStatusCheck(input: HealthInputs): HealthCheckView {
  const label = 'Display name';
  if (!input.fresh) return unreadable('name_status', label, input);
  const status = input.fresh.name_status;
  const details = `name_status ${status ?? 'unknown'}`;
  if (status === 'DECLINED' || status === 'EXPIRED') {
    return check('name_status', label, {
      outcome: 'limits',
      summary: status === 'DECLINED' ? 'Meta rejected the display name.' : 'The display name approval expired.',
      why: 'Until a name is approved, Meta limits what the number can send and customers may not see the business name.',
      whatToDo: "Request a display name that follows Meta's rules (it must match the business) in WhatsApp Manager.",
      details,
    });
  }
  if (status === 'PENDING_REVIEW' || status === 'NONE') {
    return check('name_status', label, { outcome: 'warn', summary: status === 'NONE' ? 'No display name was requested yet.' : 'Meta is reviewing the display name.', details });
  }
  return check('name_status', label, { outcome: 'pass', summary: 'The display name is approved.', details });
}

function sentence(text: string): string {
  const trimmed = text.trim();
  return /[.!?]$/.test(trimmed) ? trimmed : `${trimmed}.`;
}

function inDays(ms: number): string {
  const days = Math.floor(ms / DAY_MS);
  if (days < 1) return 'within a day';
  return `in ${days} ${days === 1 ? 'day' : 'days'}`;
}

function ago(ms: number): string {
  const hours = Math.floor(ms / 3600_000);
  if (hours < 1) return 'less than an hour ago';
  if (hours < 48) return `${hours} ${hours === 1 ? 'hour' : 'hours'} ago`;
  return `${Math.floor(hours / 24)} days ago`;
}
