/** The cookie that carries a signed-in session's token (set and cleared in accounts/session-cookies.ts). */
export const SESSION_COOKIE = 'waba_session';
