import { provideHttpClient, withInterceptors } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { ComponentFixture, TestBed } from '@angular/core/testing';
import { provideRouter } from '@angular/router';
import type { HealthView, MetaApiVersionView, OverviewView } from '@waba/contracts';
import { buttonNamed } from '../../testing/dom';
import { createSession, createTenantEvent } from '../../testing/factories';
import { provideFakeRealtime } from '../../testing/realtime';
import { CLOCK } from '../core/clock';
import { RealtimeService } from '../core/realtime/realtime.service';
import { apiErrorInterceptor } from '../core/http/api-error.interceptor';
import { SessionService } from '../core/session/session.service';
import { OverviewPage } from './overview.page';

const META_API: MetaApiVersionView = {
  version: 'v25.0',
  state: 'supported',
  availableUntil: '2028-07-29',
  daysLeft: 605,
  latest: 'v27.0',
  message: 'Graph API v25.0 works until 2028-07-29 (605 days).',
};

describe('OverviewPage', () => {
  let backend: HttpTestingController;
  let fixture: ComponentFixture<OverviewPage>;

  beforeEach(async () => {
    TestBed.configureTestingModule({
      providers: [
        provideRouter([]),
        provideHttpClient(withInterceptors([apiErrorInterceptor])),
        provideHttpClientTesting(),
        ...provideFakeRealtime().providers,
        { provide: CLOCK, useValue: () => Date.parse('2026-06-01T12:00:00.000Z') },
      ],
    });
    backend = TestBed.inject(HttpTestingController);
    const login = TestBed.inject(SessionService).login({ email: 'ada@example.com', password: 'correct horse battery' });
    backend.expectOne('/api/auth/login').flush(createSession({ name: 'Ada Lovelace' }, 'Acme Traders'));
    await login;
    fixture = TestBed.createComponent(OverviewPage);
    fixture.detectChanges();
  });

  const NO_HEALTH: OverviewView['health'] = { byVerdict: [], attention: [], oldestCheckAt: null };
  const EMPTY: OverviewView = { health: NO_HEALTH, templates: [], numbers: [], byStatus: [], attention: [], onboarding: [], recentEvents: [], eventTotal: 0 };
  const POPULATED: OverviewView = {
    health: {
      byVerdict: [
        { verdict: 'cannot_send', label: 'Cannot send', count: 1 },
        { verdict: 'can_send', label: 'Can send', count: 2 },
      ],
      attention: [
        {
          kind: 'cannot_send',
          phoneNumberId: '1',
          wabaId: '10',
          displayPhone: '+1 555-010-0177',
          verdict: 'cannot_send',
          title: '+1 555-010-0177 cannot send',
          detail: 'The number is not registered on the Cloud API.',
          check: 'registration',
          fix: 're_register',
        },
      ],
      oldestCheckAt: '2026-06-01T11:00:00.000Z',
    },
    numbers: [
      {
        phoneNumberId: '1',
        wabaId: '10',
        wabaName: 'Acme Bakery',
        displayPhone: '+1 555-010-0177',
        verifiedName: 'Acme Offers',
        isActive: true,
        status: { kind: 'flagged', label: 'Flagged', tone: 'bad', icon: 'error', explanation: 'Meta flagged this number.' },
      },
    ],
    byStatus: [{ kind: 'flagged', label: 'Flagged', tone: 'bad', count: 1 }],
    attention: [
      { kind: 'flagged', tone: 'bad', title: '+1 555-010-0177 is flagged for low quality', detail: 'Customers blocked or reported it.', fix: 'review_number', wabaId: '10', phoneNumberId: '1' },
    ],
    onboarding: [{ id: 'session-9', source: 'embedded_signup', expiresAt: '2026-06-01T12:43:30.000Z', wabaCount: 2, numberCount: 3 }],
    recentEvents: [createTenantEvent({ title: 'Meta restricted the account' })],
    eventTotal: 12,
    templates: [
      {
        templateId: 't-1',
        wabaId: '10',
        name: 'loyalty_reminder',
        language: 'en_US',
        status: 'PAUSED',
        title: 'loyalty_reminder (en_US) is paused',
        detail: 'Meta paused it after poor feedback from recipients.',
      },
    ],
  };

  async function showOverview(view: OverviewView): Promise<void> {
    backend.expectOne('/api/overview').flush(view);
    backend.expectOne('/api/health').flush({ status: 'ok', database: { status: 'up' }, uptimeSeconds: 10 });
    await settle('Database: Up');
  }

  it('offers the first step to a tenant with nothing connected', async () => {
    await showOverview(EMPTY);
    const card = (fixture.nativeElement as HTMLElement).querySelector('[data-testid="overview-first-step"]');
    expect(card?.textContent).toContain('Connect your first WhatsApp number');
    expect(card?.querySelector('a')?.getAttribute('href')).toBe('/whatsapp');
    expect((fixture.nativeElement as HTMLElement).querySelector('[data-testid="overview-attention"]')).toBeNull();
  });

  it('lists what needs attention with its fix, numbers by status, the consent in progress and recent events', async () => {
    await showOverview(POPULATED);
    const root = fixture.nativeElement as HTMLElement;
    const attention = root.querySelector('[data-testid="overview-attention"]');
    expect(attention?.textContent).toContain('+1 555-010-0177 is flagged for low quality');
    expect(attention?.querySelector('a')?.textContent?.trim()).toBe('Review the number');
    expect(root.querySelector('[data-testid="overview-numbers"]')?.textContent).toContain('1 Flagged');
    const onboarding = root.querySelector('[data-testid="overview-onboarding"]');
    expect(onboarding?.textContent).toContain('shared 3 numbers in 2 WhatsApp Business Accounts');
    expect(onboarding?.textContent).toContain('expires in 43 minutes');
    expect(onboarding?.querySelector('a')?.getAttribute('href')).toBe('/whatsapp?onboarding=session-9');
    const events = root.querySelector('[data-testid="overview-events"]');
    expect(events?.textContent).toContain('Meta restricted the account');
    expect(events?.querySelector('a[href="/events"]')?.textContent).toContain('See all 12 events');
    expect(root.querySelector('[data-testid="overview-first-step"]')).toBeNull();
  });

  it('lists the templates that cannot be sent, each with a link to its WABA’s Templates page', async () => {
    await showOverview(POPULATED);
    const templates = (fixture.nativeElement as HTMLElement).querySelector('[data-testid="overview-templates"]');
    expect(templates?.textContent).toContain('loyalty_reminder (en_US) is paused');
    expect(templates?.textContent).toContain('Meta paused it after poor feedback from recipients.');
    expect(templates?.querySelector('a')?.getAttribute('href')).toBe('/templates/10');
  });

  it('counts numbers by verdict and lists what needs attention first, each with a link to its fix', async () => {
    await showOverview(POPULATED);
    const health = (fixture.nativeElement as HTMLElement).querySelector('[data-testid="overview-health"]');
    expect(health?.querySelector('[aria-label="Numbers by verdict"]')?.textContent?.replace(/\s+/g, ' ')).toContain('1 Cannot send');
    expect(health?.textContent).toContain('+1 555-010-0177 cannot send');
    expect(health?.textContent).toContain('The number is not registered on the Cloud API.');
    const fix = health?.querySelector('[aria-label="What needs attention first"] a');
    expect(fix?.textContent?.trim()).toBe('Register again');
    expect(fix?.getAttribute('href')).toBe('/whatsapp#number-1');
  });

  it('has no health panel before any number has a verdict', async () => {
    await showOverview(EMPTY);
    expect((fixture.nativeElement as HTMLElement).querySelector('[data-testid="overview-health"]')).toBeNull();
  });

  it('reads the dashboard again when a realtime event arrives', async () => {
    await showOverview(EMPTY);
    TestBed.inject(RealtimeService).dispatch({ type: 'event.created', event: createTenantEvent({ title: 'Hello' }) });
    const reload = await vi.waitFor(() => backend.expectOne('/api/overview'));
    reload.flush(POPULATED);
    await vi.waitFor(async () => {
      await fixture.whenStable();
      expect(text()).toContain('Needs your attention');
    });
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
    backend.expectOne('/api/overview').flush(EMPTY);
    backend.expectOne('/api/health').flush({ status: 'ok', database: { status: 'up', latencyMs: 4 }, uptimeSeconds: 7200 });
    await settle('Database: Up');

    expect((fixture.nativeElement as HTMLElement).querySelector('h1')?.textContent).toBe('Welcome, Ada Lovelace');
    expect(text()).toContain('You are signed in to Acme Traders.');
  });

  it('shows the database as up, with its latency', async () => {
    backend.expectOne('/api/overview').flush(EMPTY);
    backend.expectOne('/api/health').flush({ status: 'ok', database: { status: 'up', latencyMs: 4 }, uptimeSeconds: 7200 });

    await settle('Database: Up (4 ms)');
    expect(status()).toContain('API: OK up for 2 hours');
  });

  it('shows the database as down when the API answers 503 with its health report', async () => {
    backend.expectOne('/api/overview').flush(EMPTY);
    const degraded: HealthView = { status: 'down', database: { status: 'down' }, redis: { status: 'up', latencyMs: 1 }, role: 'all', uptimeSeconds: 30, metaApi: META_API };
    backend.expectOne('/api/health').flush(degraded, { status: 503, statusText: 'Service Unavailable' });

    await settle('Database: Down');
    expect(status()).toContain('API: Degraded');
  });

  it('says the status could not be checked when the server cannot be reached, and can check again', async () => {
    backend.expectOne('/api/overview').flush(EMPTY);
    backend.expectOne('/api/health').error(new ProgressEvent('error'), { status: 0 });
    await settle('Could not check the system status: Cannot reach the server');

    buttonNamed(fixture, 'Check again').click();
    backend.expectOne('/api/health').flush({ status: 'ok', database: { status: 'up' }, uptimeSeconds: 10 });
    await settle('Database: Up');
  });
});
