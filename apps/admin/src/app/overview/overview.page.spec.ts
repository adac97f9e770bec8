import { provideHttpClient, withInterceptors } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { ComponentFixture, TestBed } from '@angular/core/testing';
import { provideRouter } from '@angular/router';
import type { HealthView } from '@waba/contracts';
import { buttonNamed } from '../../testing/dom';
import { createSession } from '../../testing/factories';
import { apiErrorInterceptor } from '../core/http/api-error.interceptor';
import { SessionService } from '../core/session/session.service';
import { OverviewPage } from './overview.page';

describe('OverviewPage', () => {
  let backend: HttpTestingController;
  let fixture: ComponentFixture<OverviewPage>;

  beforeEach(async () => {
    TestBed.configureTestingModule({
      providers: [
        provideRouter([]),
        provideHttpClient(withInterceptors([apiErrorInterceptor])),
        provideHttpClientTesting(),
      ],
    });
    backend = TestBed.inject(HttpTestingController);
    const login = TestBed.inject(SessionService).login({ email: 'ada@example.com', password: 'correct horse battery' });
    backend.expectOne('/api/auth/login').flush(createSession({ name: 'Ada Lovelace' }, 'Acme Traders'));
    await login;
    fixture = TestBed.createComponent(OverviewPage);
    fixture.detectChanges();
  });

  afterEach(() => backend.verify());

  const text = () => (fixture.nativeElement as HTMLElement).textContent?.replace(/\s+/g, ' ') ?? '';
  /** The status card as "Term: part part" lines, e.g. "Database: Up (4 ms)". */
  const status = () => {
    const region = (fixture.nativeElement as HTMLElement).querySelector('[role="status"]');
    const terms = Array.from(region?.querySelectorAll('dt') ?? []);
    if (terms.length === 0) {
      return region?.textContent?.trim() ?? '';
    }
    return terms
      .map((term) => {
        const parts = Array.from(term.nextElementSibling?.children ?? []).map((part) => part.textContent?.trim());
        return `${term.textContent?.trim()}: ${parts.join(' ')}`;
      })
      .join('\n');
  };

  async function settle(expected: string): Promise<void> {
    await vi.waitFor(async () => {
      await fixture.whenStable();
      expect(status()).toContain(expected);
    });
  }

  it('welcomes the user by name and names the account', async () => {
    backend.expectOne('/api/health').flush({ status: 'ok', database: { status: 'up', latencyMs: 4 }, uptimeSeconds: 7200 });
    await settle('Database: Up');

    expect((fixture.nativeElement as HTMLElement).querySelector('h1')?.textContent).toBe('Welcome, Ada Lovelace');
    expect(text()).toContain('You are signed in to Acme Traders.');
  });

  it('shows the database as up, with its latency', async () => {
    backend.expectOne('/api/health').flush({ status: 'ok', database: { status: 'up', latencyMs: 4 }, uptimeSeconds: 7200 });

    await settle('Database: Up (4 ms)');
    expect(status()).toContain('API: OK up for 2 hours');
  });

  it('shows the database as down when the API answers 503 with its health report', async () => {
    const degraded: HealthView = { status: 'down', database: { status: 'down' }, redis: { status: 'up', latencyMs: 1 }, role: 'all', uptimeSeconds: 30 };
    backend.expectOne('/api/health').flush(degraded, { status: 503, statusText: 'Service Unavailable' });

    await settle('Database: Down');
    expect(status()).toContain('API: Degraded');
  });

  it('says the status could not be checked when the server cannot be reached, and can check again', async () => {
    backend.expectOne('/api/health').error(new ProgressEvent('error'), { status: 0 });
    await settle('Could not check the system status: Cannot reach the server');

    buttonNamed(fixture, 'Check again').click();
    backend.expectOne('/api/health').flush({ status: 'ok', database: { status: 'up' }, uptimeSeconds: 10 });
    await settle('Database: Up');
  });
});
