import { redactUrl } from './logging';

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
