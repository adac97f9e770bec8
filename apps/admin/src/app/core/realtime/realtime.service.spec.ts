import { provideHttpClient } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { TestBed } from '@angular/core/testing';
import { provideRouter } from '@angular/router';
import type { TenantRealtimeEvent } from '@waba/contracts';
import { createPhoneNumber, createSession } from '../../../testing/factories';
import { provideFakeRealtime } from '../../../testing/realtime';
import { SessionService } from '../session/session.service';
import { RealtimeService } from './realtime.service';

describe('RealtimeService', () => {
  let fake: ReturnType<typeof provideFakeRealtime>;
  let backend: HttpTestingController;

  beforeEach(() => {
    fake = provideFakeRealtime();
    TestBed.configureTestingModule({
      providers: [provideRouter([]), provideHttpClient(), provideHttpClientTesting(), ...fake.providers],
    });
    backend = TestBed.inject(HttpTestingController);
  });

  async function signIn(): Promise<void> {
    const login = TestBed.inject(SessionService).login({ email: 'ada@example.com', password: 'correct horse battery' });
    backend.expectOne('/api/auth/login').flush(createSession());
    await login;
    TestBed.tick();
  }

  it('opens no socket while nobody is signed in', () => {
    const realtime = TestBed.inject(RealtimeService);
    TestBed.tick();

    expect(fake.sockets).toHaveLength(0);
    expect(realtime.status()).toBe('offline');
  });

  it('connects after login and passes tenant events on', async () => {
    const realtime = TestBed.inject(RealtimeService);
    const received: TenantRealtimeEvent[] = [];
    realtime.events$.subscribe((event) => received.push(event));
    await signIn();

    expect(fake.sockets).toHaveLength(1);
    fake.sockets[0].fire('connect');
    expect(realtime.status()).toBe('live');
    const event: TenantRealtimeEvent = { type: 'phone-number.updated', phoneNumber: createPhoneNumber() };
    fake.sockets[0].fire('tenant-event', event);
    fake.sockets[0].fire('something-else', { type: 'whatsapp.changed', reason: 'x' });

    expect(received).toEqual([event]);
  });

  it('disconnects when the session ends', async () => {
    const realtime = TestBed.inject(RealtimeService);
    await signIn();

    TestBed.inject(SessionService).clear();
    TestBed.tick();

    expect(fake.sockets[0].disconnected).toBe(true);
    expect(realtime.status()).toBe('offline');
  });
});
