import type { EventsPageView, MessageTemplatesPageView, MessageTemplateView, OverviewView, TemplateSyncView } from '@waba/contracts';
import { getConnectionToken } from '@nestjs/mongoose';
import type { WebhookPayload } from '@waba/meta-graph';
import type { Connection } from 'mongoose';
import { webhooksSettled } from '../support/jobs';
import { connectNumbers, wabaIdOf, type Sandbox } from '../support/meta-sandbox';
import { urlOf } from '../support/sockets';
import { useApiWithSandbox } from '../support/suite';
import { createTenant, type SignedInTenant } from '../support/tenants';
import type { TestApp } from '../support/test-app';
import { deliverAndSettle, waitUntil } from '../support/webhook-delivery';

interface SandboxTemplate {
  id: string;
  wabaId: string;
  name: string;
  language: string;
  status: string;
}

// Each test connects a WABA and waits for its first read: slower than most suites.
jest.setTimeout(90_000);

describe('message templates: mirrored from Meta, kept current by webhooks', () => {
  let api: TestApp;
  let sandbox: Sandbox;
  let tenant: SignedInTenant;
  let wabaId: string;

  useApiWithSandbox((running) => ({ api, sandbox } = running));

  beforeEach(async () => {
    // Meta sends template webhooks to the app's callback: here, this API over real HTTP.
    await sandbox.control('PATCH', '/settings', { webhookUrl: `${urlOf(api.server)}/api/webhooks/whatsapp` });
    tenant = await createTenant(api.server);
    await connectNumbers(sandbox, tenant, ['+1 555-010-0199']);
    wabaId = wabaIdOf(sandbox, 'Acme Bakery');
    // Connecting queues the first full read; it lands on its own. Its end is recorded after every
    // template and aspect is stored (the templates appear first, their statuses a moment later).
    await waitUntil(async () => (await templates()).lastSyncedAt !== null, 15_000, 'the first read of the templates');
  });

  const templates = async (query = ''): Promise<MessageTemplatesPageView> => {
    const response = await tenant.browser.get(`/api/wabas/${wabaId}/templates${query}`);
    if (response.status !== 200) throw new Error(`templates answered ${response.status}: ${JSON.stringify(response.body)}`);
    return response.body as MessageTemplatesPageView;
  };
  const template = async (name: string, language = 'en_US'): Promise<MessageTemplateView | undefined> => (await templates()).items.find((t) => t.name === name && t.language === language);
  const sandboxTemplate = async (name: string): Promise<SandboxTemplate> => {
    const found = (await sandbox.control<SandboxTemplate[]>('GET', '/templates')).body.find((t) => t.name === name && t.language === 'en_US');
    if (!found) throw new Error(`no sandbox template ${name}`);
    return found;
  };
  const templateEvents = async () => ((await tenant.browser.get('/api/events?types=template.status')).body as EventsPageView).items;

  /** The sandbox changes a template as Meta would; resolves with the bodies it sent once the API applied them. */
  async function metaChanges(name: string, change: object): Promise<WebhookPayload[]> {
    const { id } = await sandboxTemplate(name);
    const sent = await sandbox.control<{ deliveries: Array<{ id: string }>; skipped: unknown[] }>('POST', `/templates/${id}/changes`, change);
    expect(sent.status).toBe(200);
    expect(sent.body.skipped).toEqual([]);
    const bodies: WebhookPayload[] = [];
    for (const delivery of sent.body.deliveries) {
      let state = 'pending';
      let body = '';
      await waitUntil(
        async () => {
          ({ state, body } = (await sandbox.control<{ state: string; body: string }>('GET', `/webhooks/deliveries/${delivery.id}`)).body);
          return state !== 'pending';
        },
        10_000,
        'the sandbox delivery',
      );
      expect(state).toBe('delivered');
      bodies.push(JSON.parse(body) as WebhookPayload);
    }
    await webhooksSettled(api.app);
    return bodies;
  }

  it('reads every template when the WABA connects, the rejected and paused ones with their reasons', async () => {
    const page = await templates();
    expect(page).toMatchObject({ wabaId, wabaName: 'Acme Bakery', total: 7, languages: ['en_US', 'es'], lastSyncError: null });
    expect(page.lastSyncedAt).not.toBeNull();
    expect(await template('flash_sale')).toMatchObject({ status: 'REJECTED', rejectedReason: 'PROMOTIONAL', category: 'MARKETING' });
    expect(await template('loyalty_reminder')).toMatchObject({ status: 'PAUSED', qualityScore: 'RED', rejectedReason: null });
    expect((await template('order_ready'))?.components.map((c) => c.type)).toEqual(['HEADER', 'BODY', 'FOOTER']);
  });

  it('puts the templates that cannot be sent on the Overview, in words, the rejected one with its reason', async () => {
    const overview = (await tenant.browser.get('/api/overview')).body as OverviewView;
    const titles = overview.templates.map((t) => t.title);
    expect(titles).toEqual(expect.arrayContaining(['flash_sale (en_US) is rejected', 'loyalty_reminder (en_US) is paused']));
    expect(overview.templates.every((t) => t.wabaId === wabaId && ['REJECTED', 'PAUSED', 'DISABLED'].includes(t.status))).toBe(true);
    expect(overview.templates.find((t) => t.name === 'flash_sale')?.detail).not.toMatch(/PROMOTIONAL/);
    expect(overview.templates.some((t) => t.name === 'order_ready')).toBe(false);
  });

  it('filters by status, category and language, and refuses an unknown filter in words', async () => {
    expect((await templates('?status=REJECTED')).items.map((t) => t.name)).toEqual(['flash_sale']);
    expect((await templates('?category=MARKETING')).items).toHaveLength(3);
    expect((await templates('?language=es')).items.map((t) => t.name)).toEqual(['order_ready']);
    const refused = await tenant.browser.get(`/api/wabas/${wabaId}/templates?status=LOST`);
    expect(refused.status).toBe(400);
    expect(JSON.stringify(refused.body)).toContain('status must be one of');
  });

  it('reads more than one page on demand, and removes a template Meta no longer lists', async () => {
    await sandbox.control('POST', `/wabas/${wabaId}/templates`, { name: 'bulk', count: 130 });
    const synced = await tenant.browser.post(`/api/wabas/${wabaId}/templates/sync`);
    expect(synced.status).toBe(200);
    expect(synced.body as TemplateSyncView).toMatchObject({ wabaId, templates: 137, removed: 0 });
    expect((await templates()).total).toBe(137);

    const waba = sandbox.world.wabas.get(wabaId);
    if (!waba?.messageTemplates) throw new Error(`The sandbox holds no templates for WABA ${wabaId}`);
    waba.messageTemplates = waba.messageTemplates.filter((t) => t.name !== 'bulk_7');
    expect(((await tenant.browser.post(`/api/wabas/${wabaId}/templates/sync`)).body as TemplateSyncView).removed).toBe(1);
    expect((await templates()).items.some((t) => t.name === 'bulk_7')).toBe(false);
  });

  it('answers another tenant, or a WABA not connected, with 404', async () => {
    const other = await createTenant(api.server, 'Other');
    expect((await other.browser.get(`/api/wabas/${wabaId}/templates`)).status).toBe(404);
    expect((await other.browser.post(`/api/wabas/${wabaId}/templates/sync`)).status).toBe(404);
  });

  it('forgets the templates of a WABA the tenant disconnected: gone from the Overview and from the mirror', async () => {
    expect(((await tenant.browser.get('/api/overview')).body as OverviewView).templates.length).toBeGreaterThan(0);
    expect((await tenant.browser.post('/api/integrations/whatsapp/disconnect', { wabaId })).status).toBe(200);
    await waitUntil(async () => ((await tenant.browser.get('/api/overview')).body as OverviewView).templates.length === 0, 10_000, 'the templates to go from the Overview');
    expect(await api.app.get<Connection>(getConnectionToken()).collection('message_templates').countDocuments({ wabaId })).toBe(0);
  });

  it('says in words when Meta refuses the read, and keeps what it had', async () => {
    await sandbox.control('POST', '/faults', { endpoint: 'GET /{waba-id}/message_templates', count: 1, error: { code: 200 } });
    const refused = await tenant.browser.post(`/api/wabas/${wabaId}/templates/sync`);
    expect(refused.status).toBe(502);
    expect(refused.body.message).toMatch(/^Meta did not give us the templates: /);
    const page = await templates();
    expect(page.total).toBe(7);
    expect(page.lastSyncError).not.toBeNull();
  });

  describe('webhooks (WABA-level: routed by entry.id, no phone number)', () => {
    it('applies a status update: rejected with the reason and Meta’s advice, and one event in words', async () => {
      const [payload] = await metaChanges('weekend_offer', { status: 'REJECTED', reason: 'INVALID_FORMAT' });
      expect(payload.entry[0].id).toBe(wabaId);
      expect(await template('weekend_offer')).toMatchObject({ status: 'REJECTED', rejectedReason: 'INVALID_FORMAT', metaDetail: expect.stringContaining('variables') });
      const [event] = await templateEvents();
      expect(event).toMatchObject({ type: 'template.status', title: 'Template weekend_offer (en_US): rejected', wabaId, phoneNumberId: null });
      expect(event.detail).toContain('Formatting problem');
    });

    it('applies a paused and a disabled status as events, and an approval without one', async () => {
      await metaChanges('order_ready', { status: 'PAUSED', time: 1_900_000_000 });
      await metaChanges('login_code', { status: 'DISABLED', time: 1_900_000_001 });
      await metaChanges('delivery_slot', { status: 'APPROVED', time: 1_900_000_002 });
      expect((await templateEvents()).map((e) => e.title).sort()).toEqual(['Template login_code (en_US): disabled', 'Template order_ready (en_US): paused']);
      expect(await template('delivery_slot')).toMatchObject({ status: 'APPROVED' });
    });

    it('applies quality, category and components updates', async () => {
      await metaChanges('order_ready', { quality: 'YELLOW', category: 'MARKETING', bodyText: 'Hi {{1}}, order {{2}} is ready.' });
      const updated = await template('order_ready');
      expect(updated).toMatchObject({ qualityScore: 'YELLOW', category: 'MARKETING', previousCategory: 'UTILITY' });
      expect(updated?.components.find((c) => c.type === 'BODY')?.text).toBe('Hi {{1}}, order {{2}} is ready.');
      expect(updated?.components.find((c) => c.type === 'HEADER')?.text).toBe('Your order is ready');
    });

    it('keeps the newer status when an older update arrives after it', async () => {
      await metaChanges('order_ready', { status: 'PAUSED', time: 1_900_000_100 });
      // Meta's earlier rejection, delivered late (a retry): older than the pause, so it changes nothing.
      await metaChanges('order_ready', { status: 'REJECTED', reason: 'PROMOTIONAL', time: 1_900_000_050 });
      expect(await template('order_ready')).toMatchObject({ status: 'PAUSED', rejectedReason: null });
      expect((await templateEvents()).map((e) => e.title)).toEqual(['Template order_ready (en_US): paused']);

      // Quality the same way: GREEN → RED at t=200, then a stale YELLOW from t=150.
      await metaChanges('order_ready', { quality: 'RED', time: 1_900_000_200 });
      await metaChanges('order_ready', { quality: 'YELLOW', time: 1_900_000_150 });
      expect((await template('order_ready'))?.qualityScore).toBe('RED');
    });

    it('applies a repeated update once, whether Meta resends the same bytes or the same change in other bytes', async () => {
      const [payload] = await metaChanges('weekend_offer', { status: 'PAUSED', time: 1_900_000_300 });
      // The same bytes again: the archive knows them.
      expect(await deliverAndSettle(api, payload)).toBe(200);
      // The same change serialised differently (keys in another order): other bytes, the same event.
      const change = payload.entry[0].changes[0];
      const reordered = { entry: [{ changes: [{ value: change.value, field: change.field }], time: payload.entry[0].time, id: payload.entry[0].id }], object: payload.object };
      expect(await deliverAndSettle(api, reordered)).toBe(200);
      expect(await templateEvents()).toHaveLength(1);
      expect(await template('weekend_offer')).toMatchObject({ status: 'PAUSED' });
    });

    it('creates a template it hears of first by webhook, then fills it in from a full read', async () => {
      await sandbox.control('POST', `/wabas/${wabaId}/templates`, { name: 'new_arrival', status: 'PENDING', bodyText: 'Fresh bread, {{1}}!' });
      await metaChanges('new_arrival', { status: 'APPROVED' });
      await waitUntil(async () => (await template('new_arrival'))?.components.length === 1, 10_000, 'the read queued for the new template');
      expect(await template('new_arrival')).toMatchObject({ status: 'APPROVED', category: 'UTILITY', components: [{ type: 'BODY', text: 'Fresh bread, {{1}}!' }] });
    });
  });
});
