// The consent screens: choose a business, then its WABAs and numbers; and the popup's last page.
import { EMBEDDED_SIGNUP_MESSAGE_TYPE } from '@waba/meta-graph';
import { escapeHtml, htmlPage, scriptJson } from '../common/html';
import { BusinessRecord, PhoneNumberRecord, WabaRecord } from '../world/world.types';
import { DialogParams, dialogQuery, isPopupFlow, sessionInfoVersion } from './dialog-params';

export const STEP_BUSINESS = 'BUSINESS_ACCOUNT_SELECTION';
export const STEP_ASSETS = 'PHONE_NUMBER_SETUP';

/** The SDK-internal message telling sdk.js what to hand to the FB.login callback. */
export const SDK_RESULT_MESSAGE_TYPE = 'SANDBOX_SDK_LOGIN_RESULT';

export interface WabaWithNumbers {
  waba: WabaRecord;
  phoneNumbers: PhoneNumberRecord[];
}

export function businessChoicePage(version: string, params: DialogParams, businesses: BusinessRecord[], wabaCount: (id: string) => number): string {
  const items = businesses
    .map((business) => {
      const href = `/${version}/dialog/oauth?${dialogQuery(params, { business_id: business.id })}`;
      return `<li><a class="choice" href="${escapeHtml(href)}">${escapeHtml(business.name)}</a>
        <span class="muted">${wabaCount(business.id)} WhatsApp account(s) · id ${escapeHtml(business.id)}</span></li>`;
    })
    .join('');
  return htmlPage(
    'Choose a business',
    `<h1>Connect WhatsApp to this app</h1>
     <p>Step 1 of 2 · Choose the business portfolio to share.</p>
     <ul>${items}</ul>
     ${cancelForm(version, params, STEP_BUSINESS)}`,
    popupAbandonScript(params, STEP_BUSINESS),
  );
}

export function assetChoicePage(version: string, params: DialogParams, business: BusinessRecord, accounts: WabaWithNumbers[], onlyWaba: boolean, problem?: string): string {
  const fieldsets = accounts
    .map(({ waba, phoneNumbers }) => {
      const numbers = onlyWaba
        ? ''
        : phoneNumbers
            .map(
              (phone) => `<label style="margin-left:24px"><input type="checkbox" name="phone_number_ids" value="${escapeHtml(phone.id)}" checked>
                ${escapeHtml(phone.displayPhoneNumber)} · ${escapeHtml(phone.verifiedName)}
                <span class="muted">${escapeHtml(phone.status)} · quality ${escapeHtml(phone.qualityRating)} · ${escapeHtml(phone.platformType)}</span></label>`,
            )
            .join('');
      return `<fieldset><label><input type="checkbox" name="waba_ids" value="${escapeHtml(waba.id)}" checked>
        <strong>${escapeHtml(waba.name)}</strong> <span class="muted">WABA ${escapeHtml(waba.id)} · review ${escapeHtml(waba.accountReviewStatus)}</span></label>
        ${numbers || (onlyWaba ? '' : '<p class="muted" style="margin-left:24px">No phone numbers yet.</p>')}</fieldset>`;
    })
    .join('');
  return htmlPage(
    'Choose WhatsApp accounts',
    `<h1>${escapeHtml(business.name)}</h1>
     <p>Step 2 of 2 · Tick the WhatsApp Business Accounts${onlyWaba ? '' : ' and phone numbers'} this app may use.</p>
     ${problem ? `<p class="error">${escapeHtml(problem)}</p>` : ''}
     <form method="post" action="/${escapeHtml(version)}/dialog/oauth/confirm">
       ${hiddenFields(params, { business_id: business.id, step: STEP_ASSETS })}
       ${fieldsets || '<p class="muted">This business has no WhatsApp Business Account.</p>'}
       <button name="action" value="continue">Continue</button>
       <button class="secondary" name="action" value="cancel">Cancel</button>
       <a class="muted" href="/${escapeHtml(version)}/dialog/oauth?${escapeHtml(dialogQuery(params))}">Back</a>
     </form>`,
    popupAbandonScript(params, STEP_ASSETS),
  );
}

/** Meta refuses some businesses inside the flow (docs/meta.md §11). */
export function blockedBusinessPage(version: string, params: DialogParams, business: BusinessRecord): string {
  return htmlPage(
    'Something went wrong',
    `<h1>${escapeHtml(business.name)}</h1>
     <p class="error">${escapeHtml(business.onboardingBlockedReason)}</p>
     <form method="post" action="/${escapeHtml(version)}/dialog/oauth/confirm">
       ${hiddenFields(params, { business_id: business.id, step: STEP_BUSINESS })}
       <button name="action" value="error">Close</button>
     </form>`,
    popupAbandonScript(params, STEP_BUSINESS),
  );
}

export function dialogErrorPage(message: string): string {
  return htmlPage('Error', `<h1>Sorry, something went wrong.</h1><p class="error">${escapeHtml(message)}</p>`);
}

/** The popup's last page: posts the session-info message, then the SDK result, then closes. */
export function popupResultPage(origin: string, sessionInfo: object, sdkResult: object): string {
  const messages = [JSON.stringify(sessionInfo), JSON.stringify({ type: SDK_RESULT_MESSAGE_TYPE, response: sdkResult })];
  return htmlPage(
    'Done',
    '<h1>All set</h1><p>You can close this window.</p>',
    `const origin = ${scriptJson(origin)};
     if (window.opener) { for (const message of ${scriptJson(messages)}) window.opener.postMessage(message, origin); }
     window.close();`,
  );
}

function cancelForm(version: string, params: DialogParams, step: string): string {
  return `<form method="post" action="/${escapeHtml(version)}/dialog/oauth/confirm">
    ${hiddenFields(params, { step })}<button class="secondary" name="action" value="cancel">Cancel</button></form>`;
}

function hiddenFields(params: DialogParams, extra: Record<string, string>): string {
  return Object.entries({ ...params, ...extra })
    .filter(([, value]) => value !== undefined)
    .map(([name, value]) => `<input type="hidden" name="${escapeHtml(name)}" value="${escapeHtml(value)}">`)
    .join('');
}

/** Closing the popup mid-flow tells the opener where the person stopped, as Meta's CANCEL does. */
function popupAbandonScript(params: DialogParams, step: string): string {
  if (!isPopupFlow(params)) return '';
  return `let navigating = false;
    document.addEventListener('submit', () => { navigating = true; });
    document.addEventListener('click', (event) => { if (event.target.closest('a')) navigating = true; });
    window.addEventListener('pagehide', () => {
      if (navigating || !window.opener) return;
      const origin = ${scriptJson(params.origin)};
      const abandoned = ${scriptJson({ type: EMBEDDED_SIGNUP_MESSAGE_TYPE, event: 'CANCEL', data: { current_step: step }, ...sessionInfoVersion(params) })};
      window.opener.postMessage(JSON.stringify(abandoned), origin);
      window.opener.postMessage(JSON.stringify({ type: ${scriptJson(SDK_RESULT_MESSAGE_TYPE)}, response: { authResponse: null, status: 'unknown' } }), origin);
    });`;
}
