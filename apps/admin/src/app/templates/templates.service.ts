import { HttpClient } from '@angular/common/http';
import { inject, Injectable } from '@angular/core';
import type { MessageTemplatesPageView, TemplateSyncView } from '@waba/contracts';
import { firstValueFrom } from 'rxjs';

export interface TemplateFilters {
  status: string | null;
  category: string | null;
  language: string | null;
}

/** The Templates page's API: a WABA's mirrored templates, and reading them from Meta again. */
@Injectable({ providedIn: 'root' })
export class TemplatesService {
  private readonly http = inject(HttpClient);

  list(wabaId: string, filters: TemplateFilters): Promise<MessageTemplatesPageView> {
    const params: Record<string, string> = {};
    for (const [key, value] of Object.entries(filters)) {
      if (value) {
        params[key] = value;
      }
    }
    return firstValueFrom(this.http.get<MessageTemplatesPageView>(`/api/wabas/${encodeURIComponent(wabaId)}/templates`, { params }));
  }

  sync(wabaId: string): Promise<TemplateSyncView> {
    return firstValueFrom(this.http.post<TemplateSyncView>(`/api/wabas/${encodeURIComponent(wabaId)}/templates/sync`, {}));
  }
}
