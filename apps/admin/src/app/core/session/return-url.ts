const HOME = '/overview';

/**
 * Where to go after login: the `returnUrl` only when it is a path inside this app,
 * so a crafted link cannot send the user to another site.
 */
export function safeReturnUrl(value: string | null | undefined): string {
  if (!value || !value.startsWith('/') || value.startsWith('//') || value.startsWith('/\\')) {
    return HOME;
  }
  if (value === '/' || value.startsWith('/login') || value.startsWith('/signup')) {
    return HOME;
  }
  return value;
}
