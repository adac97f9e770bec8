import type { Server } from 'node:http';
import request from 'supertest';

type Method = 'get' | 'post' | 'put' | 'patch' | 'delete';

/**
 * Behaves like the SPA in a browser: keeps its cookies and echoes the XSRF-TOKEN cookie in the
 * X-XSRF-TOKEN header on unsafe requests, as Angular's HttpClient does.
 */
export class TestBrowser {
  readonly cookies = new Map<string, string>();

  constructor(private readonly server: Server) {}

  get(path: string) {
    return this.send('get', path);
  }
  post(path: string, body?: object) {
    return this.send('post', path, body);
  }
  patch(path: string, body?: object) {
    return this.send('patch', path, body);
  }
  delete(path: string) {
    return this.send('delete', path);
  }

  /** Makes sure the browser holds a CSRF cookie, as after loading any page. */
  async visit(): Promise<this> {
    if (!this.cookies.has('XSRF-TOKEN')) await this.get('/api/health');
    return this;
  }

  async send(method: Method, path: string, body?: object, headers: Record<string, string> = {}) {
    let call = request(this.server)[method](path);
    if (this.cookies.size) call = call.set('Cookie', [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; '));
    const csrf = this.cookies.get('XSRF-TOKEN');
    if (method !== 'get' && csrf) call = call.set('X-XSRF-TOKEN', csrf);
    for (const [name, value] of Object.entries(headers)) call = call.set(name, value);
    const response = await (body === undefined ? call : call.send(body));
    this.remember(response.headers['set-cookie'] as unknown as string[] | undefined);
    return response;
  }

  private remember(setCookie: string[] | undefined): void {
    for (const line of setCookie ?? []) rememberSetCookie(this.cookies, line);
  }
}

/** Applies one Set-Cookie line to a cookie jar as a browser does: an expired or empty cookie is dropped. */
export function rememberSetCookie(cookies: Map<string, string>, line: string): void {
  const [pair, ...attributes] = line.split(';');
  const [name, ...rest] = pair.split('=');
  const value = decodeURIComponent(rest.join('='));
  const expired = attributes.some((a) => /expires=Thu, 01 Jan 1970/i.test(a)) || value === '';
  if (expired) cookies.delete(name.trim());
  else cookies.set(name.trim(), value);
}
