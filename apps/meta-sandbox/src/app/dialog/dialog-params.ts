// The OAuth dialog's query parameters (docs/meta.md §1.2, §2), carried between its screens.

export interface DialogParams {
  client_id: string;
  redirect_uri?: string;
  state?: string;
  response_type?: string;
  config_id?: string;
  scope?: string;
  /** JSON, e.g. `{"setup":{},"featureType":"only_waba_sharing","sessionInfoVersion":"3"}`. */
  extras?: string;
  override_default_response_type?: string;
  display?: string;
  /** Set by the sandbox's sdk.js: the popup answers the opener by postMessage, not by redirect. */
  sdk?: string;
  /** The opener's origin, the only target of the popup's messages. */
  origin?: string;
}

const DIALOG_PARAM_NAMES: (keyof DialogParams)[] = [
  'client_id',
  'redirect_uri',
  'state',
  'response_type',
  'config_id',
  'scope',
  'extras',
  'override_default_response_type',
  'display',
  'sdk',
  'origin',
];

export function readDialogParams(source: Record<string, unknown>): DialogParams {
  const params: Record<string, string> = {};
  for (const name of DIALOG_PARAM_NAMES) {
    const value = source[name];
    if (typeof value === 'string' && value !== '') params[name] = value;
  }
  return params as unknown as DialogParams;
}

export function dialogQuery(params: DialogParams, extra: Record<string, string> = {}): string {
  const query = new URLSearchParams();
  for (const [key, value] of Object.entries({ ...params, ...extra })) {
    if (value !== undefined) query.set(key, value);
  }
  return query.toString();
}

export function isPopupFlow(params: DialogParams): boolean {
  return params.sdk === 'sandbox';
}

export interface SignupExtras {
  featureType?: string;
  sessionInfoVersion?: string;
}

export function signupExtras(params: DialogParams): SignupExtras {
  if (!params.extras) return {};
  try {
    const parsed = JSON.parse(params.extras) as SignupExtras;
    return typeof parsed === 'object' && parsed !== null ? parsed : {};
  } catch {
    return {}; // Meta ignores extras it cannot read
  }
}

/** `version` of the session-info message, from `extras.sessionInfoVersion` (e.g. '3'). */
export function sessionInfoVersion(params: DialogParams): { version?: number } {
  const version = Number(signupExtras(params).sessionInfoVersion);
  return Number.isInteger(version) && version > 0 ? { version } : {};
}
