import { provideHttpClient, withInterceptors } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting, type TestRequest } from '@angular/common/http/testing';
import { ComponentFixture, TestBed } from '@angular/core/testing';
import { provideRouter } from '@angular/router';
import type { EventsPageView, TenantEventView } from '@waba/contracts';
import { apiError, createConnection, createPhoneNumber, createSession, createStatus, createTenantEvent, createWaba } from '../../testing/factories';
import { provideFakeRealtime } from '../../testing/realtime';
import { apiErrorInterceptor } from '../core/http/api-error.interceptor';
import { RealtimeService } from '../core/realtime/realtime.service';
import { SessionService } from '../core/session/session.service';
import { WhatsappStateService } from '../whatsapp/whatsapp-state.service';
import { EventsPage } from './events.page';

describe('EventsPage', () => {
  let backend: HttpTestingController;
  let fixture: ComponentFixture<EventsPage>;

  const page = (items: TenantEventView[], overrides: Partial<EventsPageView> = {}): EventsPageView => ({
    items,
    page: 1,
    pageSize: 25,
    total: items.length,
    ...overrides,
  });
  const eventsRequest = () => vi.waitFor(() => backend.expectOne((r) => r.url === '/api/events'));
  const deliveriesRequest = () => backend.expectOne('/api/operator/webhook-deliveries');
  const root = () => fixture.nativeElement as HTMLElement;
  const titles = () => Array.from(root().querySelectorAll('li.event .title')).map((t) => t.textContent?.trim());

  async function render(first: EventsPageView, operator: (request: TestRequest) => void) {
    TestBed.configureTestingModule({
      providers: [provideRouter([]), provideHttpClient(withInterceptors([apiErrorInterceptor])), provideHttpClientTesting(), ...provideFakeRealtime().providers],
    });
    backend = TestBed.inject(HttpTestingController);
    const login = TestBed.inject(SessionService).login({ email: 'ada@example.com', password: 'correct horse battery' });
    backend.expectOne('/api/auth/login').flush(createSession());
    await login;
    fixture = TestBed.createComponent(EventsPage);
    fixture.detectChanges();
    const request = await eventsRequest();
    expect(request.request.params.get('page')).toBe('1');
    expect(request.request.params.get('pageSize')).toBe('25');
    expect(request.request.params.has('types')).toBe(false);
    request.flush(first);
    operator(deliveriesRequest());
    await vi.waitFor(async () => {
      await fixture.whenStable();
      expect(root().querySelector('mat-progress-bar')).toBeNull();
    });
  }

  const notOperator = (request: TestRequest) => request.flush(apiError(403, 'Operators only'), { status: 403, statusText: 'Forbidden' });

  afterEach(() => backend.verify());

  it('shows an empty state when there are no events, and no operator section for a tenant admin', async () => {
    await render(page([]), notOperator);

    expect(root().textContent).toContain('No events yet');
    expect(root().textContent).not.toContain('operators');
    expect(root().querySelector('[role="alert"]')?.textContent?.trim() ?? '').toBe('');
  });

  it('puts a live event on top of page 1 and counts it', async () => {
    await render(page([createTenantEvent({ title: 'Older' })], { total: 30 }), notOperator);

    TestBed.inject(RealtimeService).dispatch({ type: 'event.created', event: createTenantEvent({ title: 'Just now' }) });
    await fixture.whenStable();

    expect(titles()).toEqual(['Just now', 'Older']);
    expect(root().querySelector('.mat-mdc-paginator-range-label')?.textContent).toContain('of 31');
  });

  it('places a late delivery of an older event by the time shown, not on top', async () => {
    await render(page([createTenantEvent({ title: 'Noon', occurredAt: '2026-01-01T12:00:00.000Z' })]), notOperator);

    TestBed.inject(RealtimeService).dispatch({ type: 'event.created', event: createTenantEvent({ title: 'Morning', occurredAt: '2026-01-01T08:00:00.000Z' }) });
    await fixture.whenStable();

    expect(titles()).toEqual(['Noon', 'Morning']);
  });

  it("names the number and the WABA instead of their ids, with the number's status", async () => {
    const number = createPhoneNumber({ phoneNumberId: '101', wabaId: '900', displayPhone: '+1 555-010-0199', verifiedName: 'Acme Bakery' });
    await render(page([createTenantEvent({ phoneNumberId: '101', wabaId: '900' })]), notOperator);
    TestBed.inject(WhatsappStateService).set(createStatus([createWaba({ wabaId: '900', name: 'Acme Marketing', numbers: [number], connection: createConnection({ status: 'needs_reauth' }) })]));
    await fixture.whenStable();

    const names = root().querySelector('li.event .names')?.textContent?.replace(/\s+/g, ' ').trim();
    expect(names).toBe('+1 555-010-0199 (Acme Bakery) · Acme Marketing Reconnect needed');
    expect(names).not.toContain('101');
  });

  it('keeps a later page in place when an event arrives, and offers the newest', async () => {
    await render(page([createTenantEvent({ title: 'On page 1' })], { total: 60 }), notOperator);
    (root().querySelector('button.mat-mdc-paginator-navigation-next') as HTMLButtonElement).click();
    const second = await eventsRequest();
    expect(second.request.params.get('page')).toBe('2');
    second.flush(page([createTenantEvent({ title: 'On page 2' })], { page: 2, total: 60 }));
    await vi.waitFor(async () => {
      await fixture.whenStable();
      expect(titles()).toEqual(['On page 2']);
    });

    TestBed.inject(RealtimeService).dispatch({ type: 'event.created', event: createTenantEvent({ title: 'Live' }) });
    await fixture.whenStable();

    expect(titles()).toEqual(['On page 2']);
    expect(root().textContent).toContain('1 new event arrived.');
  });

  it('filters by type and ignores live events of other types', async () => {
    await render(page([createTenantEvent()]), notOperator);

    const chip = Array.from(root().querySelectorAll('mat-chip-option')).find((c) => c.textContent?.includes('Quality changes'));
    (chip?.querySelector('button') as HTMLElement).click();
    const filtered = await eventsRequest();
    expect(filtered.request.params.get('types')).toBe('phone_number.quality');
    filtered.flush(page([]));
    await vi.waitFor(async () => {
      await fixture.whenStable();
      expect(root().textContent).toContain('No events yet');
    });

    TestBed.inject(RealtimeService).dispatch({ type: 'event.created', event: createTenantEvent({ type: 'message.received', title: 'A message' }) });
    await fixture.whenStable();
    expect(titles()).toEqual([]);
  });

  it('shows operators the deliveries that could not be routed', async () => {
    await render(page([]), (request) => request.flush([{ id: 'd1', status: 'unroutable', receivedAt: '2026-01-01T00:00:00.000Z', sizeBytes: 512, attempts: 1, error: null, unroutableIds: ['777'] }]));

    const section = root().querySelector('section[aria-labelledby="operator-heading"]');
    expect(section?.textContent).toContain('Unroutable');
    expect(section?.textContent).toContain('777');
  });
});
