import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Writable } from 'node:stream';
import type { DestinationStream } from 'pino';
import pinoHttp, { type Options } from 'pino-http';
import { loggerParams, redactUrl, type LogFormat } from './logging';

describe('redactUrl', () => {
  it('hides credentials carried in the query string', () => {
    const url = redactUrl('/api/integrations/whatsapp/callback?code=AQBsecret&state=s3cr3t&page=2');
    expect(url).not.toContain('AQBsecret');
    expect(url).not.toContain('s3cr3t');
    expect(url).toContain('page=2');
  });

  it('hides the webhook verify token', () => {
    expect(redactUrl('/api/webhooks/whatsapp?hub.mode=subscribe&hub.verify_token=tok&hub.challenge=1')).not.toContain('tok&');
  });

  it('leaves URLs without a query alone', () => {
    expect(redactUrl('/api/health')).toBe('/api/health');
  });
});

describe('loggerParams', () => {
  /** Serves one request through pino-http with these params and returns what was logged. */
  async function logOneRequest(format: LogFormat): Promise<string> {
    const lines: string[] = [];
    const destination = new Writable({
      write(chunk: Buffer, _encoding, done) {
        lines.push(chunk.toString());
        done();
      },
    });
    const params = loggerParams('info', destination, format).pinoHttp as [Options, DestinationStream];
    const logger = pinoHttp(...params);
    const server = createServer((req, res) => {
      logger(req, res);
      res.setHeader('set-cookie', 'sid=session-secret');
      res.setHeader('content-security-policy', "default-src 'self'");
      res.statusCode = 201;
      res.end('ok');
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    await fetch(`http://127.0.0.1:${port}/api/things?code=AQBsecret&page=2`, { headers: { cookie: 'sid=session-secret' } });
    await new Promise<void>((resolve) => server.close(() => resolve()));
    return lines.join('');
  }

  it('prints one readable line per request when pretty, without headers or secrets', async () => {
    const output = await logOneRequest('pretty');
    const lines = output.trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/INFO.*GET \/api\/things\?code=%5Bredacted%5D&page=2 201 \d+ms/);
    expect(output).not.toMatch(/session-secret|AQBsecret|content-security-policy|set-cookie|"req"/);
    expect(() => JSON.parse(lines[0])).toThrow();
  });

  it('prints JSON lines when json', async () => {
    const output = await logOneRequest('json');
    const line = JSON.parse(output.trim().split('\n')[0]) as { req: { method: string; url: string }; res: { statusCode: number } };
    expect(line.req).toMatchObject({ method: 'GET', url: '/api/things?code=%5Bredacted%5D&page=2' });
    expect(line.res).toEqual({ statusCode: 201 });
    expect(output).not.toMatch(/session-secret|AQBsecret/);
  });
});
