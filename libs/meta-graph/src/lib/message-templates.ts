// Message templates as Graph lists them (`GET /{waba-id}/message_templates`, docs/meta.md §14) and
// the four template webhook fields, with the readers that turn a delivery's change into our terms.
import type { GraphList } from './graph-types';

export type TemplateStatus = 'APPROVED' | 'PENDING' | 'REJECTED' | 'PAUSED' | 'DISABLED' | 'IN_APPEAL' | 'PENDING_DELETION' | 'DELETED' | 'LIMIT_EXCEEDED' | 'ARCHIVED';
export type TemplateCategory = 'MARKETING' | 'UTILITY' | 'AUTHENTICATION';
export type TemplateQuality = 'GREEN' | 'YELLOW' | 'RED' | 'UNKNOWN';

/** One component (HEADER, BODY, FOOTER, BUTTONS), kept as Meta sends it: we only display it. */
export interface TemplateComponent {
  type: string;
  format?: string;
  text?: string;
  buttons?: Array<{ type: string; text?: string; url?: string; phone_number?: string }>;
  example?: unknown;
}

/** A template node as the list edge returns it (ids are strings on the list, numbers in webhooks). */
export interface MessageTemplate {
  id: string;
  name: string;
  language: string;
  category: TemplateCategory | string;
  status: TemplateStatus | string;
  parameter_format?: 'POSITIONAL' | 'NAMED';
  components?: TemplateComponent[];
  /** `{ score, date }`: date in unix seconds. */
  quality_score?: { score: TemplateQuality | string; date?: number };
  /** NONE when the template was not rejected. */
  rejected_reason?: string;
  /** Set when Meta thinks the template belongs in another category. */
  correct_category?: string;
  previous_category?: string;
}

export const MESSAGE_TEMPLATE_FIELDS = ['id', 'name', 'language', 'category', 'status', 'parameter_format', 'components', 'quality_score', 'rejected_reason', 'previous_category'] as const;

/** Filters the list edge takes; each narrows the list on Meta's side. */
export interface MessageTemplateFilters {
  status?: string;
  category?: string;
  language?: string;
  name?: string;
}

export type MessageTemplateList = GraphList<MessageTemplate>;

// ---- the webhook fields (entry[].id is the WABA; no phone_number_id anywhere)

export type TemplateWebhookField = 'message_template_status_update' | 'message_template_quality_update' | 'template_category_update' | 'message_template_components_update';

export interface TemplateStatusUpdateValue {
  event: TemplateStatus | 'FLAGGED' | 'REINSTATED' | 'LOCKED' | 'UNLOCKED' | 'UNARCHIVED' | string;
  message_template_id: number;
  message_template_name: string;
  message_template_language: string;
  reason: string | null;
  message_template_category?: string;
  disable_info?: { disable_date: number };
  other_info?: { title: string; description: string };
  rejection_info?: { reason: string; recommendation: string };
}

export interface TemplateQualityUpdateValue {
  previous_quality_score: TemplateQuality | string;
  new_quality_score: TemplateQuality | string;
  message_template_id: number;
  message_template_name: string;
  message_template_language: string;
}

export interface TemplateCategoryUpdateValue {
  message_template_id: number;
  message_template_name: string;
  message_template_language: string;
  /** A completed change names both; an impending one names `correct_category` and when it happens. */
  previous_category?: string;
  new_category: string;
  correct_category?: string;
  category_update_timestamp?: number;
}

export interface TemplateComponentsUpdateValue {
  message_template_id: number;
  message_template_name: string;
  message_template_language: string;
  message_template_element: string;
  message_template_title?: string;
  message_template_footer?: string;
  message_template_buttons?: Array<{ message_template_button_type: string; message_template_button_text: string; message_template_button_url?: string; message_template_button_phone_number?: string }>;
}

export type TemplateWebhookChange =
  | { field: 'message_template_status_update'; value: TemplateStatusUpdateValue }
  | { field: 'message_template_quality_update'; value: TemplateQualityUpdateValue }
  | { field: 'template_category_update'; value: TemplateCategoryUpdateValue }
  | { field: 'message_template_components_update'; value: TemplateComponentsUpdateValue };

/** Which template a change is about: Meta's id, and name + language as a person knows it. */
export interface TemplateRef {
  templateId: string | null;
  name: string | null;
  language: string | null;
}

/** A template change in our terms; a field Meta left out is null. */
export type TemplateChangeContent =
  | (TemplateRef & { kind: 'template-status'; event: string | null; reason: string | null; category: string | null; detail: string | null })
  | (TemplateRef & { kind: 'template-quality'; previousScore: string | null; score: string | null })
  | (TemplateRef & { kind: 'template-category'; previousCategory: string | null; category: string | null; correctCategory: string | null; effectiveAt: number | null })
  | (TemplateRef & { kind: 'template-components'; components: TemplateComponent[] });

type Loose = Record<string, unknown> | undefined;

/** The change, when it is one of the four template fields; null otherwise. */
export function readTemplateChange(change: { field?: unknown; value?: unknown }): TemplateChangeContent | null {
  const value = (typeof change.value === 'object' && change.value !== null ? change.value : {}) as Loose & object;
  const ref: TemplateRef = { templateId: idText(value['message_template_id']), name: text(value['message_template_name']), language: text(value['message_template_language']) };
  switch (change.field) {
    case 'message_template_status_update': {
      const other = value['other_info'] as Loose;
      const rejection = value['rejection_info'] as Loose;
      const detail = text(rejection?.['recommendation']) ?? text(other?.['description']);
      return { kind: 'template-status', ...ref, event: text(value['event']), reason: text(value['reason']), category: text(value['message_template_category']), detail };
    }
    case 'message_template_quality_update':
      return { kind: 'template-quality', ...ref, previousScore: text(value['previous_quality_score']), score: text(value['new_quality_score']) };
    case 'template_category_update': {
      const correct = text(value['correct_category']);
      // An impending change names the category it will get in `correct_category`; a done one in `new_category`.
      return {
        kind: 'template-category',
        ...ref,
        previousCategory: text(value['previous_category']),
        category: correct ? null : text(value['new_category']),
        correctCategory: correct,
        effectiveAt: typeof value['category_update_timestamp'] === 'number' ? value['category_update_timestamp'] : null,
      };
    }
    case 'message_template_components_update':
      return { kind: 'template-components', ...ref, components: componentsOf(value) };
    default:
      return null;
  }
}

/** The flat webhook form back into components, as the list edge shows them. */
function componentsOf(value: Record<string, unknown>): TemplateComponent[] {
  const components: TemplateComponent[] = [];
  const title = text(value['message_template_title']);
  if (title) components.push({ type: 'HEADER', format: 'TEXT', text: title });
  const body = text(value['message_template_element']);
  if (body) components.push({ type: 'BODY', text: body });
  const footer = text(value['message_template_footer']);
  if (footer) components.push({ type: 'FOOTER', text: footer });
  const buttons = Array.isArray(value['message_template_buttons']) ? (value['message_template_buttons'] as Array<Record<string, unknown>>) : [];
  if (buttons.length) {
    components.push({
      type: 'BUTTONS',
      buttons: buttons.map((b) => ({
        type: text(b?.['message_template_button_type']) ?? 'UNKNOWN',
        ...(text(b?.['message_template_button_text']) && { text: text(b?.['message_template_button_text']) as string }),
        ...(text(b?.['message_template_button_url']) && { url: text(b?.['message_template_button_url']) as string }),
        ...(text(b?.['message_template_button_phone_number']) && { phone_number: text(b?.['message_template_button_phone_number']) as string }),
      })),
    });
  }
  return components;
}

function text(value: unknown): string | null {
  return typeof value === 'string' && value !== '' ? value : null;
}

/** Template ids arrive as numbers in webhooks and as strings on the list edge. */
function idText(value: unknown): string | null {
  if (typeof value === 'number' && Number.isFinite(value)) return BigInt(Math.trunc(value)).toString();
  return text(value);
}
