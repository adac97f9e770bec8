import { provideHttpClient, withInterceptors } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { TestBed } from '@angular/core/testing';
import { provideRouter } from '@angular/router';
import { createConnection, createPhoneNumber, createSession, createStatus, createWaba } from '../../testing/factories';
import { provideFakeRealtime } from '../../testing/realtime';
import { CLOCK } from '../core/clock';
import { apiErrorInterceptor } from '../core/http/api-error.interceptor';
import { RealtimeService } from '../core/realtime/realtime.service';
import { SessionService } from '../core/session/session.service';
import { WhatsappStateService } from './whatsapp-state.service';

const STATUS_URL = '/api/integrations/whatsapp/oauth/status';

describe('WhatsappStateService', () => {
  let backend: HttpTestingController;
  let state: WhatsappStateService;
  let realtime: RealtimeService;

  beforeEach(async () => {
    TestBed.configureTestingModule({
      providers: [
        provideRouter([]),
        provideHttpClient(withInterceptors([apiErrorInterceptor])),
        provideHttpClientTesting(),
        ...provideFakeRealtime().providers,
        { provide: CLOCK, useValue: () => Date.parse('2026-03-01T00:00:00.000Z') },
      ],
    });
    backend = TestBed.inject(HttpTestingController);
    const login = TestBed.inject(SessionService).login({ email: 'ada@example.com', password: 'correct horse battery' });
    backend.expectOne('/api/auth/login').flush(createSession());
    await login;
    state = TestBed.inject(WhatsappStateService);
    realtime = TestBed.inject(RealtimeService);
  });

  afterEach(() => backend.verify());

  async function loadWith(...wabas: ReturnType<typeof createWaba>[]) {
    const loading = state.reload();
    backend.expectOne(STATUS_URL).flush(createStatus(wabas));
    await loading;
  }

  it('replaces a number in place when the server pushes an update', async () => {
    const number = createPhoneNumber({ phoneNumberId: '111', qualityRating: 'GREEN' });
    await loadWith(createWaba({ numbers: [number, createPhoneNumber({ phoneNumberId: '222' })] }));

    realtime.dispatch({ type: 'phone-number.updated', phoneNumber: { ...number, qualityRating: 'RED', state: 'disconnected' } });

    const numbers = state.wabas()[0].numbers;
    expect(numbers.map((n) => [n.phoneNumberId, n.qualityRating, n.state])).toEqual([
      ['111', 'RED', 'disconnected'],
      ['222', 'GREEN', 'connected'],
    ]);
  });

  it('moves the active flag when another number becomes active', async () => {
    const first = createPhoneNumber({ phoneNumberId: '111', isActive: true });
    const second = createPhoneNumber({ phoneNumberId: '222' });
    await loadWith(createWaba({ numbers: [first, second] }));

    state.mergeNumber({ ...second, isActive: true });

    expect(state.status()?.activePhoneNumberId).toBe('222');
    expect(state.wabas()[0].numbers.map((n) => n.isActive)).toEqual([false, true]);
  });

  it('asks for the whole list when a pushed number is unknown', async () => {
    await loadWith(createWaba({ numbers: [createPhoneNumber({ phoneNumberId: '111' })] }));

    realtime.dispatch({ type: 'phone-number.updated', phoneNumber: createPhoneNumber({ phoneNumberId: '999' }) });

    backend.expectOne(STATUS_URL).flush(createStatus([]));
  });

  it('refetches on "whatsapp.changed"', async () => {
    await loadWith();

    realtime.dispatch({ type: 'whatsapp.changed', reason: 'connected' });
    const fresh = createWaba({ name: 'New WABA' });
    backend.expectOne(STATUS_URL).flush(createStatus([fresh]));

    await vi.waitFor(() => expect(state.wabas().map((w) => w.name)).toEqual(['New WABA']));
  });

  it('asks again when a change arrives while a request is in flight', async () => {
    const loading = state.reload();
    realtime.dispatch({ type: 'whatsapp.changed', reason: 'disconnected' });
    backend.expectOne(STATUS_URL).flush(createStatus([createWaba({ name: 'Before' })]));
    (await vi.waitFor(() => backend.expectOne(STATUS_URL))).flush(createStatus([createWaba({ name: 'After' })]));
    await loading;

    expect(state.wabas().map((w) => w.name)).toEqual(['After']);
  });

  it('updates token health from "connection.updated" and then needs a reconnect', async () => {
    const connection = createConnection({ status: 'active' });
    await loadWith(createWaba({ connection }), createWaba());
    expect(state.needsReconnect()).toBe(false);

    realtime.dispatch({ type: 'connection.updated', connection: { ...connection, status: 'needs_reauth', lastError: 'Error 190' } });

    expect(state.needsReconnect()).toBe(true);
    expect(state.wabas()[0].connection?.lastError).toBe('Error 190');
    expect(state.wabas()[1].connection?.status).toBe('active');
  });

  it('keeps the error readable when the status cannot be loaded', async () => {
    const loading = state.reload();
    backend.expectOne(STATUS_URL).error(new ProgressEvent('error'), { status: 0 });
    await loading;

    expect(state.error()).toMatch(/^Cannot reach the server/);
  });

  it("forgets the tenant's numbers when the session ends", async () => {
    await loadWith(createWaba({ numbers: [createPhoneNumber()] }));

    TestBed.inject(SessionService).clear();
    TestBed.tick();

    expect(state.status()).toBeNull();
    expect(state.hasAnything()).toBe(false);
  });
});
