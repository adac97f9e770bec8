// Human pages of the control area: the demo world with links into both signup flows, and the console.
import { DEFAULT_GRAPH_API_VERSION } from '@waba/meta-graph';
import { escapeHtml, htmlPage, scriptJson } from '../common/html';
import { WorldStore } from '../world/world.store';
import { ConsoleView, consoleSections } from './console-page';

export function indexPage(world: WorldStore, options: { appId: string; configId: string; baseUrl: string } & ConsoleView): string {
  const consentUrl =
    `/${DEFAULT_GRAPH_API_VERSION}/dialog/oauth?` +
    new URLSearchParams({
      client_id: options.appId,
      redirect_uri: `${options.baseUrl}/_sandbox/callback`,
      state: 'demo-state',
      response_type: 'code',
      config_id: options.configId,
      override_default_response_type: 'true',
    }).toString();
  const rows = [...world.businesses.values()]
    .flatMap((business) => {
      const wabas = world.wabasOwnedBy(business.id);
      if (wabas.length === 0) return [`<tr><td>${escapeHtml(business.name)}</td><td colspan="5" class="muted">no WABA</td></tr>`];
      return wabas.flatMap((waba) => {
        const phones = world.phoneNumbersOf(waba.id);
        const head = `<td>${escapeHtml(business.name)}${business.onboardingBlockedReason ? ' <span class="muted">(refused by signup)</span>' : ''}</td>
          <td>${escapeHtml(waba.name)}<br><span class="muted">${escapeHtml(waba.id)} · ${escapeHtml(waba.accountReviewStatus)}</span></td>`;
        if (phones.length === 0) return [`<tr>${head}<td colspan="4" class="muted">no numbers</td></tr>`];
        return phones.map(
          (phone) => `<tr>${head}<td>${escapeHtml(phone.displayPhoneNumber)}<br><span class="muted">${escapeHtml(phone.id)}</span></td>
            <td>${escapeHtml(phone.status)}</td><td>${escapeHtml(phone.qualityRating)}</td><td>${escapeHtml(phone.platformType)}</td></tr>`,
        );
      });
    })
    .join('');
  const sections = consoleSections(world, options);
  return htmlPage(
    'Meta sandbox',
    `<h1>Meta sandbox</h1>
     <p>App <code>${escapeHtml(options.appId)}</code> · configuration <code>${escapeHtml(options.configId)}</code> ·
        Graph <code>${escapeHtml(options.baseUrl)}/${DEFAULT_GRAPH_API_VERSION}/</code></p>
     <p><a class="button" href="${escapeHtml(consentUrl)}">Open the consent page</a>
        <a class="button" href="/_sandbox/popup-demo">Try the Embedded Signup popup</a></p>
     ${sections.html}
     <section aria-labelledby="world-heading">
     <h2 id="world-heading">Demo world</h2>
     <div class="scroll" role="region" aria-labelledby="world-heading" tabindex="0">
     <table><tr><th scope="col">Business</th><th scope="col">WABA</th><th scope="col">Number</th><th scope="col">Status</th><th scope="col">Quality</th><th scope="col">Platform</th></tr>${rows}</table>
     </div>
     <p class="muted">The partner's system-user token (for <code>client_whatsapp_business_accounts</code>) is
       <code>partnerSystemUserToken</code> in <a href="/_sandbox/world">/_sandbox/world</a>; no token value is shown here.</p>
     <p class="muted">JSON: <a href="/_sandbox/world">/_sandbox/world</a> · webhook log:
       <a href="/_sandbox/webhooks/deliveries">/_sandbox/webhooks/deliveries</a> · tokens:
       <a href="/_sandbox/tokens">/_sandbox/tokens</a></p>
     </section>`,
    sections.script,
  );
}

/** Where the demo consent redirects: shows what a real redirect_uri would receive. */
export function callbackPage(query: Record<string, unknown>): string {
  const rows = Object.entries(query)
    .map(([key, value]) => `<tr><th>${escapeHtml(key)}</th><td><code>${escapeHtml(value)}</code></td></tr>`)
    .join('');
  return htmlPage('Redirect received', `<h1>Redirect received</h1><table>${rows}</table><p><a href="/_sandbox">Back</a></p>`);
}

export function popupDemoPage(options: { appId: string; configId: string }): string {
  return htmlPage(
    'Embedded Signup demo',
    `<h1>Embedded Signup demo</h1>
     <label>featureType <select id="feature"><option value="">(default)</option>
       <option>only_waba_sharing</option><option>whatsapp_business_app_onboarding</option></select></label>
     <p><button id="login">Login with Facebook</button></p>
     <h2>Messages</h2><pre id="log"></pre>`,
    `const log = (label, value) => { document.getElementById('log').textContent += label + ': ' + JSON.stringify(value, null, 2) + '\\n'; };
     window.addEventListener('message', (event) => {
       try { const data = JSON.parse(event.data); if (data.type === 'WA_EMBEDDED_SIGNUP') log('message from ' + event.origin, data); } catch (e) {}
     });
     window.fbAsyncInit = () => FB.init({ appId: ${scriptJson(options.appId)}, version: ${scriptJson(DEFAULT_GRAPH_API_VERSION)} });
     document.getElementById('login').addEventListener('click', () => FB.login((response) => log('FB.login callback', response), {
       config_id: ${scriptJson(options.configId)}, response_type: 'code', override_default_response_type: true,
       extras: { setup: {}, featureType: document.getElementById('feature').value, sessionInfoVersion: '3' } }));
     const script = document.createElement('script'); script.src = '/sdk.js'; document.body.appendChild(script);`,
  );
}
