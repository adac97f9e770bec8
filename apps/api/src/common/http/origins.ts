/**
 * Whether an Origin (or Referer origin) is the app's own. `localhost` and `127.0.0.1` name the same
 * machine, so either is accepted for a loopback public URL.
 */
export function isOwnOrigin(origin: string, publicUrl: string): boolean {
  const loopback = (url: string) => url.replace('://127.0.0.1', '://localhost');
  return loopback(origin) === loopback(new URL(publicUrl).origin);
}
