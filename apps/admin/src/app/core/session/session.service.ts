import { HttpClient } from '@angular/common/http';
import { computed, inject, Injectable, signal } from '@angular/core';
import type { LoginRequest, SessionView, SignUpRequest } from '@waba/contracts';
import { firstValueFrom } from 'rxjs';
import { ApiError } from '../http/api-error';

/**
 * Who is signed in. The session itself is an httpOnly cookie the browser sends on its own;
 * this service only mirrors what the API says about it, and stores nothing in the browser.
 */
@Injectable({ providedIn: 'root' })
export class SessionService {
  private readonly http = inject(HttpClient);
  private readonly current = signal<SessionView | null>(null);
  /** True once we know the answer (from `/me`, a login, a sign-up or a logout). */
  private known = false;
  private pendingLoad: Promise<SessionView | null> | null = null;

  readonly session = this.current.asReadonly();
  readonly user = computed(() => this.current()?.user ?? null);
  readonly account = computed(() => this.current()?.account ?? null);
  readonly isSignedIn = computed(() => this.current() !== null);
  readonly isOwner = computed(() => this.current()?.user.role === 'owner');

  /** Asks the API who is signed in; resolves to null when nobody is. */
  async load(): Promise<SessionView | null> {
    try {
      const view = await firstValueFrom(this.http.get<SessionView>('/api/auth/me'));
      this.remember(view);
      return view;
    } catch (error) {
      if (error instanceof ApiError && error.status === 401) {
        this.remember(null);
        return null;
      }
      throw error;
    }
  }

  /** Like `load()`, but asks the API only once: guards call this on every navigation. */
  ensureLoaded(): Promise<SessionView | null> {
    if (this.known) {
      return Promise.resolve(this.current());
    }
    this.pendingLoad ??= this.load().finally(() => {
      this.pendingLoad = null;
    });
    return this.pendingLoad;
  }

  async signUp(request: SignUpRequest): Promise<SessionView> {
    const view = await firstValueFrom(this.http.post<SessionView>('/api/auth/signup', request));
    this.remember(view);
    return view;
  }

  async login(request: LoginRequest): Promise<SessionView> {
    const view = await firstValueFrom(this.http.post<SessionView>('/api/auth/login', request));
    this.remember(view);
    return view;
  }

  async logout(): Promise<void> {
    try {
      await firstValueFrom(this.http.post<void>('/api/auth/logout', null));
    } catch (error) {
      // Already signed out on the server: the goal is reached, anything else is a real failure.
      if (!(error instanceof ApiError && error.status === 401)) {
        throw error;
      }
    }
    this.remember(null);
    // Logout also drops the XSRF-TOKEN cookie; asking `/me` again confirms we are signed out and
    // gets a fresh token from the API, without which the next login POST would be refused (403).
    await this.load().catch(() => null);
  }

  /** Forgets the session locally, e.g. when the API says it has expired. */
  clear(): void {
    this.remember(null);
  }

  private remember(view: SessionView | null): void {
    this.current.set(view);
    this.known = true;
  }
}
