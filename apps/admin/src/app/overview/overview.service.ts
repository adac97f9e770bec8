import { HttpClient } from '@angular/common/http';
import { inject, Injectable } from '@angular/core';
import type { HealthView, OverviewView } from '@waba/contracts';
import { firstValueFrom } from 'rxjs';
import { ApiError } from '../core/http/api-error';

/** The overview's data: the tenant's dashboard (one call) and the platform's health. */
@Injectable({ providedIn: 'root' })
export class OverviewService {
  private readonly http = inject(HttpClient);

  getOverview(): Promise<OverviewView> {
    return firstValueFrom(this.http.get<OverviewView>('/api/overview'));
  }

  async getHealth(): Promise<HealthView> {
    try {
      return await firstValueFrom(this.http.get<HealthView>('/api/health'));
    } catch (error) {
      // A degraded API may answer 503 with the health report as its body: that is still an answer.
      const body: unknown = error instanceof ApiError ? error.response?.error : undefined;
      if (isHealthView(body)) {
        return body;
      }
      throw error;
    }
  }
}

function isHealthView(value: unknown): value is HealthView {
  if (typeof value !== 'object' || value === null) {
    return false;
  }
  const database = (value as Partial<HealthView>).database;
  return typeof database === 'object' && database !== null && typeof database.status === 'string';
}
