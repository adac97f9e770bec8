// Message templates as the API mirrors them from Meta (read-only: creating templates is out of scope).
import { IsIn, IsOptional, IsString, MaxLength } from 'class-validator';
import { TEMPLATE_CATEGORIES, TEMPLATE_STATUSES } from './template-words';

/** One part of a template as Meta shows it: a header, the body, a footer or its buttons. */
export interface TemplateComponentView {
  type: string;
  /** For a header: TEXT, IMAGE, VIDEO, DOCUMENT, LOCATION. */
  format: string | null;
  text: string | null;
  buttons: Array<{ type: string; text: string | null; url: string | null; phoneNumber: string | null }>;
}

/** A template of a connected WABA; codes are Meta's (for support), the SPA puts them in words. */
export interface MessageTemplateView {
  /** Meta's template id. */
  id: string;
  wabaId: string;
  name: string;
  /** Meta's language and locale code, such as en_US. */
  language: string;
  category: string | null;
  /** The category before Meta last changed it, when it did. */
  previousCategory: string | null;
  status: string | null;
  /** GREEN, YELLOW, RED or UNKNOWN (not rated yet). */
  qualityScore: string | null;
  /** Meta's rejection reason code (INVALID_FORMAT, PROMOTIONAL, …); null unless rejected. */
  rejectedReason: string | null;
  /** Meta's own words on a rejection or pause, when it gave some. */
  metaDetail: string | null;
  components: TemplateComponentView[];
  /** When any of it last changed here (a sync or a webhook). */
  updatedAt: string;
}

export interface MessageTemplatesPageView {
  wabaId: string;
  wabaName: string | null;
  items: MessageTemplateView[];
  /** Templates of the WABA before the filters; the filters' choices come from these. */
  total: number;
  languages: string[];
  /** The last complete read of the WABA's templates from Meta; null before the first. */
  lastSyncedAt: string | null;
  /** Why the last read failed, in words; null when it worked. */
  lastSyncError: string | null;
}

/** Filters of the Templates page; each optional. */
export class MessageTemplatesQuery {
  @IsOptional() @IsIn(TEMPLATE_STATUSES, { message: `status must be one of ${TEMPLATE_STATUSES.join(', ')}` }) status?: string;
  @IsOptional() @IsIn(TEMPLATE_CATEGORIES, { message: `category must be one of ${TEMPLATE_CATEGORIES.join(', ')}` }) category?: string;
  @IsOptional() @IsString() @MaxLength(20, { message: 'language must be a language code such as en_US' }) language?: string;
}

/** What a read of the WABA's templates from Meta found. */
export interface TemplateSyncView {
  wabaId: string;
  /** Templates Meta listed (every page). */
  templates: number;
  /** Templates gone from Meta since the last read, removed here. */
  removed: number;
  syncedAt: string;
}
