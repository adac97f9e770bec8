// The demo console on `/_sandbox`: forms that do, in words, what the tests do through the control API
// (send webhooks, revoke or expire tokens, inject faults and latency, move the clock). The page's
// script posts JSON to the same control routes; token values never reach the page (fingerprints only).
import { escapeHtml, scriptJson } from '../common/html';
import { nameReviewSection } from '../profile/name-review-section';
import { GRAPH_ENDPOINTS } from '../graph/graph-faults.service';
import { WorldStore } from '../world/world.store';
import { REVOCATION_REASONS, TokenSummary } from './token-summaries.service';
import { HEALTH_CONSOLE_SCRIPT, healthSection } from './health-console';
import { templateConsoleSection } from '../templates/template-console';

export interface ConsoleView {
  tokens: { tokens: TokenSummary[]; total: number };
  clock: { now: string; offsetMs: number };
}

interface WebhookKind {
  label: string;
  event: Record<string, string>;
}

const ACCOUNT_UPDATE_EVENTS = [
  'PARTNER_ADDED',
  'PARTNER_REMOVED',
  'PARTNER_APP_INSTALLED',
  'PARTNER_APP_UNINSTALLED',
  'ACCOUNT_VIOLATION',
  'ACCOUNT_RESTRICTION',
  'DISABLED_UPDATE',
  'ACCOUNT_DELETED',
  'ACCOUNT_OFFBOARDED',
  'ACCOUNT_RECONNECTED',
];
const QUALITY_EVENTS = ['FLAGGED', 'UNFLAGGED', 'UPGRADE', 'DOWNGRADE', 'ONBOARDING'];
const NAME_DECISIONS = ['APPROVED', 'DECLINED', 'DEFERRED', 'PENDING'];

/** Every webhook the control API can send, grouped as the select shows them; keys are the option values. */
const WEBHOOK_GROUPS: Array<{ group: string; kinds: Record<string, WebhookKind> }> = [
  {
    group: 'messages: the customer sends',
    kinds: {
      'message:text': { label: 'a text message', event: { type: 'message', messageType: 'text' } },
      'message:reaction': { label: 'a reaction to a message', event: { type: 'message', messageType: 'reaction' } },
      'message:image': { label: 'a photo', event: { type: 'message', messageType: 'image' } },
      'message:video': { label: 'a video', event: { type: 'message', messageType: 'video' } },
      'message:audio': { label: 'a voice message', event: { type: 'message', messageType: 'audio' } },
      'message:document': { label: 'a document', event: { type: 'message', messageType: 'document' } },
      'message:sticker': { label: 'a sticker', event: { type: 'message', messageType: 'sticker' } },
      'message:location': { label: 'a location', event: { type: 'message', messageType: 'location' } },
    },
  },
  {
    group: 'messages: status of a message the business sent',
    kinds: Object.fromEntries(
      ['sent', 'delivered', 'read', 'failed'].map((status) => [
        `status:${status}`,
        { label: `a "${status}" status${status === 'failed' ? ' (error 131047)' : ''}`, event: { type: 'status', status } },
      ]),
    ),
  },
  {
    group: 'smb_message_echoes: numbers on the WhatsApp Business app',
    kinds: { 'smb_message_echo:text': { label: 'a message the business sent from the WhatsApp Business app', event: { type: 'smb_message_echo' } } },
  },
  ...(
    [
      ['account_update', 'event', ACCOUNT_UPDATE_EVENTS],
      ['phone_number_quality_update', 'event', QUALITY_EVENTS],
      ['phone_number_name_update', 'decision', NAME_DECISIONS],
    ] as const
  ).map(([type, field, values]) => ({
    group: type,
    kinds: Object.fromEntries(values.map((value) => [`${type}:${value}`, { label: `${type} ${value}`, event: { type, [field]: value } }])),
  })),
];

/** Graph errors offered by name; any other code can be typed in. */
const FAULT_ERRORS: Array<[value: string, label: string]> = [
  ['190', '190: the access token is invalid'],
  ['100', '100: invalid parameter'],
  ['200', '200: permission denied'],
  ['4', '4: app request limit reached'],
  ['80007', '80007: the WABA reached its rate limit'],
  ['130429', '130429: Cloud API throughput reached'],
  ['133016', '133016: too many register or deregister attempts'],
  ['2', '2: service temporarily unavailable (HTTP 500)'],
  ['1', '1: unknown error (HTTP 500)'],
  ['html', 'an HTML gateway page, no Graph error (HTTP 502)'],
  ['none', 'no error: only the delay'],
];

const CLOCK_UNITS: Array<[seconds: number, label: string]> = [
  [60, 'minutes'],
  [3600, 'hours'],
  [86400, 'days'],
];

function options(items: Array<[value: string | number, label: string]>, selected?: string): string {
  return items.map(([value, label]) => `<option value="${escapeHtml(value)}"${String(value) === selected ? ' selected' : ''}>${escapeHtml(label)}</option>`).join('');
}

/** A form's two answer regions: what happened (polite status) and what went wrong (alert). */
function resultRegions(prefix: string): string {
  return `<p id="${prefix}-result" class="result" role="status"></p><p id="${prefix}-error" class="error" role="alert" hidden></p>`;
}

function numberOptions(world: WorldStore): { html: string; labels: Record<string, string> } {
  const labels: Record<string, string> = {};
  const html = [...world.wabas.values()]
    .map((waba) => {
      const phones = world.phoneNumbersOf(waba.id);
      if (phones.length === 0) return '';
      const business = world.businesses.get(waba.ownerBusinessId)?.name ?? waba.ownerBusinessId;
      const items = phones.map((phone): [string, string] => {
        labels[phone.id] = `${phone.verifiedName} · ${phone.displayPhoneNumber} (${phone.id})`;
        return [phone.id, labels[phone.id]];
      });
      return `<optgroup label="${escapeHtml(`${business}: ${waba.name} (WABA ${waba.id})`)}">${options(items)}</optgroup>`;
    })
    .join('');
  return { html, labels };
}

function webhookSection(world: WorldStore, numbers: string): string {
  const url = world.settings.webhookUrl;
  const kinds = WEBHOOK_GROUPS.map(({ group, kinds: items }) => `<optgroup label="${escapeHtml(group)}">${options(Object.entries(items).map(([value, kind]) => [value, kind.label]))}</optgroup>`).join(
    '',
  );
  return `<section aria-labelledby="webhook-heading">
    <h2 id="webhook-heading">Send a webhook</h2>
    <p class="muted">Signed with the app secret, as Meta sends it. Messages and statuses go to the number's override, else the
      WABA's, else the app callback (${url ? `<code>${escapeHtml(url)}</code>` : 'none configured'}), and only when the app subscribed
      to the WABA; account-level fields go to the app callback.</p>
    <form id="webhook-form" novalidate>
      <label for="webhook-number">Number</label>
      <select id="webhook-number" name="phoneNumberId" required>${numbers || '<option value="">No numbers in the world</option>'}</select>
      <label for="webhook-kind">Webhook to send</label>
      <select id="webhook-kind" name="kind">${kinds}</select>
      <label for="webhook-text">Message text, caption or reaction emoji (optional)</label>
      <input id="webhook-text" name="text" type="text" aria-describedby="webhook-text-hint">
      <p id="webhook-text-hint" class="muted">Empty: "Hello" for a text message, 👍 for a reaction, no caption for media.</p>
      <p><button type="submit">Send the webhook to the chosen number</button></p>
      ${resultRegions('webhook')}
      <details id="webhook-payload" hidden><summary>Payload sent</summary><pre id="webhook-payload-body"></pre></details>
    </form>
  </section>`;
}

function tokenSection(view: ConsoleView): string {
  const { tokens, total } = view.tokens;
  const listed = tokens.length < total ? ` The ${tokens.length} newest of ${total} are listed.` : '';
  const reasons = options(REVOCATION_REASONS.map(({ subcode, words }) => [subcode, `${subcode}: ${words}`]));
  return `<section aria-labelledby="token-heading">
    <h2 id="token-heading">Revoke or expire a token</h2>
    <p class="muted">Tokens are named by their last 4 characters and a fingerprint (start of their SHA-256); their values
      stay in the sandbox.${escapeHtml(listed)} Reload the page to see tokens issued since it opened.</p>
    <form id="token-form" novalidate>
      <label for="token-select">Token</label>
      <select id="token-select" name="fingerprint" required>${options(tokens.map((token) => [token.fingerprint, token.label])) || '<option value="">No tokens issued yet</option>'}</select>
      <label for="token-subcode">Reason Meta gives when revoked</label>
      <select id="token-subcode" name="subcode">${reasons}</select>
      <p><button type="submit" name="action" value="revoke">Revoke the chosen token</button>
        <button type="submit" name="action" value="expire" class="secondary">Expire the chosen token now</button></p>
      ${resultRegions('token')}
    </form>
  </section>`;
}

function faultSection(): string {
  const endpoints = options([['*', 'every Graph endpoint'], ...GRAPH_ENDPOINTS.map((endpoint): [string, string] => [endpoint, endpoint])]);
  return `<section aria-labelledby="fault-heading">
    <h2 id="fault-heading">Inject a fault or latency</h2>
    <p class="muted">The next calls of the endpoint wait, then fail as chosen. Rate limits answer HTTP 400, as Meta does.</p>
    <form id="fault-form" novalidate>
      <label for="fault-endpoint">Graph endpoint</label>
      <select id="fault-endpoint" name="endpoint">${endpoints}</select>
      <label for="fault-answer">What Meta answers</label>
      <select id="fault-answer" name="answer">${options(FAULT_ERRORS)}</select>
      <label for="fault-code">Another Graph error code (optional, replaces the choice above)</label>
      <input id="fault-code" name="code" type="number" min="0" step="1" inputmode="numeric">
      <label for="fault-subcode">Error subcode (optional)</label>
      <input id="fault-subcode" name="subcode" type="number" min="0" step="1" inputmode="numeric">
      <label for="fault-count">For how many calls</label>
      <input id="fault-count" name="count" type="number" min="1" step="1" value="1" inputmode="numeric">
      <label for="fault-latency">Delay before the answer, in milliseconds (0 to 60000)</label>
      <input id="fault-latency" name="latencyMs" type="number" min="0" max="60000" step="1" value="0" inputmode="numeric">
      <p><button type="submit" name="action" value="add">Inject the fault</button>
        <button type="submit" name="action" value="clear" class="secondary">Clear every pending fault</button></p>
      ${resultRegions('fault')}
    </form>
    <h3 id="fault-list-heading">Pending faults</h3>
    <p id="fault-none" class="muted">None: Graph answers normally.</p>
    <ul id="fault-list" aria-labelledby="fault-list-heading"></ul>
  </section>`;
}

function clockSection(view: ConsoleView): string {
  return `<section aria-labelledby="clock-heading">
    <h2 id="clock-heading">Move the clock</h2>
    <p><span id="clock-line">Sandbox time: <time id="clock-now" datetime="${escapeHtml(view.clock.now)}">${escapeHtml(view.clock.now)}</time> (<span id="clock-offset">the real time</span>).</span>
      Every Meta rule reads it: token and code lifetimes, the 72-hour register window; webhooks carry it.</p>
    <form id="clock-form" novalidate>
      <label for="clock-amount">Advance the clock by</label>
      <input id="clock-amount" name="amount" type="number" min="1" step="1" value="1" required inputmode="numeric">
      <label for="clock-unit">Unit</label>
      <select id="clock-unit" name="unit">${options(CLOCK_UNITS, '86400')}</select>
      <p><button type="submit">Advance the clock</button></p>
      ${resultRegions('clock')}
    </form>
  </section>`;
}

/** The console's sections and the data its script needs (labels in words, never a token value). */
export function consoleSections(world: WorldStore, view: ConsoleView): { html: string; script: string } {
  const numbers = numberOptions(world);
  const names = nameReviewSection(world);
  const data = {
    numbers: numbers.labels,
    kinds: Object.assign({}, ...WEBHOOK_GROUPS.map((group) => group.kinds)) as Record<string, WebhookKind>,
    reasons: Object.fromEntries([...REVOCATION_REASONS.map(({ subcode, words }) => [subcode, words]), [463, 'the token expired']]),
    clock: view.clock,
  };
  const templates = templateConsoleSection(world);
  const html = `<nav aria-label="Console"><p>Console:
      <a href="#webhook-heading">send a webhook</a> · <a href="#template-heading">change a message template</a> · <a href="#token-heading">revoke or expire a token</a> ·
      <a href="#fault-heading">inject a fault</a> · <a href="#clock-heading">move the clock</a> ·
      <a href="#health-heading">block or limit messaging</a></p></nav>
    ${webhookSection(world, numbers.html)}${templates.html}${tokenSection(view)}${faultSection()}${clockSection(view)}${healthSection(world)}${names.html}`;
  return { html, script: CONSOLE_SCRIPT.replace('__DATA__', scriptJson(data)) + '\n' + HEALTH_CONSOLE_SCRIPT + names.script + '\n' + templates.script };
}

// Plain browser JavaScript (no build step); `__DATA__` becomes the JSON above.
const CONSOLE_SCRIPT = `(function () {
  var data = __DATA__;
  var offsetMs = data.clock.offsetMs;
  function $(id) { return document.getElementById(id); }
  function say(prefix, text, isError) {
    $(prefix + '-result').textContent = isError ? '' : text;
    $(prefix + '-error').textContent = isError ? text : '';
    $(prefix + '-error').hidden = !isError;
  }
  async function call(method, path, body) {
    var response;
    try {
      response = await fetch('/_sandbox' + path, {
        method: method,
        headers: body === undefined ? {} : { 'content-type': 'application/json' },
        body: body === undefined ? undefined : JSON.stringify(body)
      });
    } catch (error) {
      throw new Error('The sandbox did not answer (' + error.message + ').');
    }
    var text = await response.text();
    var json;
    try { json = text ? JSON.parse(text) : undefined; } catch (error) { json = undefined; }
    if (!response.ok) {
      var message = json && json.message ? [].concat(json.message).join('; ') : text.slice(0, 200);
      throw new Error('The sandbox refused it (HTTP ' + response.status + '): ' + message + '.');
    }
    return json;
  }
  function onSubmit(prefix, handler) {
    var form = $(prefix + '-form');
    var busy = false;
    form.addEventListener('submit', async function (event) {
      event.preventDefault();
      if (busy) return;
      busy = true;
      form.setAttribute('aria-busy', 'true');
      say(prefix, 'Working…', false);
      try {
        say(prefix, await handler(event.submitter), false);
      } catch (error) {
        say(prefix, error.message, true);
      } finally {
        busy = false;
        form.removeAttribute('aria-busy');
      }
    });
  }
  function plural(n, one) { return n + ' ' + one + (n === 1 ? '' : 's'); }
  function durationWords(seconds) {
    var parts = [];
    [[86400, 'day'], [3600, 'hour'], [60, 'minute'], [1, 'second']].forEach(function (unit) {
      var n = Math.floor(seconds / unit[0]);
      if (n > 0) { parts.push(plural(n, unit[1])); seconds -= n * unit[0]; }
    });
    return parts.length ? parts.join(' ') : '0 seconds';
  }
  function timeWords(iso) { return iso.slice(0, 19).replace('T', ' ') + ' UTC'; }
  function whole(id, fallback) {
    var raw = $(id).value.trim();
    if (raw === '') return fallback;
    var n = Number(raw);
    if (!Number.isInteger(n) || n < 0) throw new Error('"' + document.querySelector('label[for=' + id + ']').textContent + '" must be a whole number, 0 or more.');
    return n;
  }

  // Webhooks: send, then follow the delivery until the receiver answered.
  function attemptWords(attempt) {
    return attempt.status !== undefined ? 'answered HTTP ' + attempt.status : 'could not be reached (' + attempt.error + ')';
  }
  async function followDelivery(id) {
    for (var i = 0; i < 30; i++) {
      var delivery = await call('GET', '/webhooks/deliveries/' + encodeURIComponent(id));
      if (delivery.state !== 'pending' || delivery.attempts.length > 0) return delivery;
      await new Promise(function (resolve) { setTimeout(resolve, 200); });
    }
    return delivery;
  }
  onSubmit('webhook', async function () {
    var phoneNumberId = $('webhook-number').value;
    if (!phoneNumberId) throw new Error('Choose a number first: the world has none yet.');
    var kind = data.kinds[$('webhook-kind').value];
    var event = Object.assign({ phoneNumberId: phoneNumberId }, kind.event);
    var text = $('webhook-text').value;
    if (text && event.messageType === 'reaction') event.emoji = text;
    else if (text && (event.type === 'message' || event.type === 'smb_message_echo')) event.text = text;
    var result = await call('POST', '/webhooks', { events: [event] });
    var what = kind.label + ' for ' + data.numbers[phoneNumberId];
    if (result.skipped.length > 0) throw new Error('Not sent: ' + what + ' was skipped (' + result.skipped[0].reason + ').');
    var sent = result.deliveries[0];
    say('webhook', 'Sent ' + what + ' to ' + sent.url + '; waiting for its answer…', false);
    var delivery = await followDelivery(sent.id);
    $('webhook-payload-body').textContent = JSON.stringify(JSON.parse(delivery.body), null, 2);
    $('webhook-payload').hidden = false;
    var last = delivery.attempts[delivery.attempts.length - 1];
    if (delivery.state === 'delivered') return 'Delivered ' + what + ': ' + delivery.url + ' answered 200' + (delivery.attempts.length > 1 ? ' on attempt ' + delivery.attempts.length : '') + '.';
    if (delivery.state === 'failed') throw new Error('Not delivered: ' + delivery.url + ' ' + attemptWords(last) + ' on the last of ' + plural(delivery.attempts.length, 'attempt') + '; the sandbox gave up.');
    if (last) throw new Error('Sent ' + what + ', but ' + delivery.url + ' ' + attemptWords(last) + '; the sandbox retries with doubling delays, as Meta does.');
    return 'Sent ' + what + ' to ' + delivery.url + '; no answer yet.';
  });

  // Tokens, by fingerprint.
  onSubmit('token', async function (button) {
    var select = $('token-select');
    if (!select.value) throw new Error('Choose a token first: none was issued yet.');
    var expire = button && button.value === 'expire';
    var summary = expire
      ? await call('POST', '/tokens/' + encodeURIComponent(select.value) + '/expire')
      : await call('POST', '/tokens/' + encodeURIComponent(select.value) + '/revoke', { subcode: Number($('token-subcode').value) });
    select.selectedOptions[0].textContent = summary.label;
    return (expire ? 'Expired' : 'Revoked') + ' the token ending …' + summary.lastFour + ' of ' + summary.businessNames.join(', ') +
      ': Graph now answers error 190, subcode ' + summary.subcode + ' (' + (data.reasons[summary.subcode] || 'revoked') + '), to every call made with it.';
  });

  // Faults and latency.
  function faultWords(fault) {
    var calls = fault.remaining === 1 ? 'the next call' : 'the next ' + fault.remaining + ' calls';
    var answer = [];
    if (fault.latencyMs) answer.push('wait ' + fault.latencyMs + ' ms');
    if (fault.error) answer.push(fault.error.code === undefined
      ? 'answer an HTML error page (HTTP ' + fault.error.httpStatus + ', no Graph error)'
      : 'answer Graph error ' + fault.error.code + (fault.error.subcode ? ', subcode ' + fault.error.subcode : '') + ' (HTTP ' + fault.error.httpStatus + ')');
    return calls + ' of ' + (fault.endpoint === '*' ? 'any Graph endpoint' : fault.endpoint) + ' will ' + answer.join(', then ');
  }
  async function showFaults() {
    var faults = await call('GET', '/faults');
    var list = $('fault-list');
    list.textContent = '';
    faults.forEach(function (fault) {
      var item = document.createElement('li');
      var words = faultWords(fault);
      item.textContent = words.charAt(0).toUpperCase() + words.slice(1) + '.';
      list.appendChild(item);
    });
    $('fault-none').hidden = faults.length > 0;
  }
  onSubmit('fault', async function (button) {
    if (button && button.value === 'clear') {
      await call('DELETE', '/faults');
      await showFaults();
      return 'Cleared every pending fault: Graph answers normally again.';
    }
    var choice = $('fault-answer').value;
    var code = whole('fault-code', undefined);
    var subcode = whole('fault-subcode', undefined);
    var latencyMs = whole('fault-latency', 0);
    var body = { endpoint: $('fault-endpoint').value, count: whole('fault-count', 1) };
    if (latencyMs > 0) body.latencyMs = latencyMs;
    if (code !== undefined) body.error = { code: code };
    else if (choice === 'html') body.error = { httpStatus: 502 };
    else if (choice !== 'none') body.error = { code: Number(choice) };
    if (subcode !== undefined && body.error && body.error.code !== undefined) body.error.subcode = subcode;
    if (!body.error && !body.latencyMs) throw new Error('Choose an error or a delay: a fault with neither changes nothing.');
    var fault = await call('POST', '/faults', body);
    await showFaults();
    return 'Injected: ' + faultWords(fault) + '.';
  });

  // The clock.
  function showClock(now) {
    $('clock-now').textContent = timeWords(now);
    $('clock-now').setAttribute('datetime', now);
    $('clock-offset').textContent = offsetMs > 0 ? durationWords(Math.round(offsetMs / 1000)) + ' ahead of the real time' : 'the real time';
  }
  onSubmit('clock', async function () {
    var amount = whole('clock-amount', 0);
    if (amount < 1) throw new Error('Enter how far to move the clock: a whole number, 1 or more.');
    var seconds = amount * Number($('clock-unit').value);
    var clock = await call('POST', '/clock/advance', { seconds: seconds });
    offsetMs += seconds * 1000;
    showClock(clock.now);
    return 'Moved the clock forward by ' + durationWords(seconds) + ': it is now ' + timeWords(clock.now) + ' in the sandbox.';
  });

  showClock(data.clock.now);
  showFaults().catch(function (error) { say('fault', error.message, true); });
})();`;
