/**
 * Meta's template codes in words, with what each means for the business and what to do: the
 * Templates page shows these, the API writes event titles with them; the code stays beside them
 * for support. No validation code here: the SPA imports it (through `@waba/contracts/status`).
 */
import type { StatusTone } from '../whatsapp/status';

export const TEMPLATE_STATUSES = ['APPROVED', 'PENDING', 'REJECTED', 'PAUSED', 'DISABLED', 'IN_APPEAL', 'PENDING_DELETION', 'DELETED', 'LIMIT_EXCEEDED', 'ARCHIVED'] as const;
export type TemplateStatus = (typeof TEMPLATE_STATUSES)[number];
export const TEMPLATE_CATEGORIES = ['MARKETING', 'UTILITY', 'AUTHENTICATION'] as const;
export type TemplateCategory = (typeof TEMPLATE_CATEGORIES)[number];

export interface TemplateWords {
  label: string;
  tone: StatusTone;
  /** What it means for sending, and what to do. */
  meaning: string;
}

const STATUS_WORDS: Record<string, TemplateWords> = {
  APPROVED: { label: 'Approved', tone: 'good', meaning: 'Meta approved it: it can be sent.' },
  PENDING: { label: 'In review', tone: 'neutral', meaning: 'Meta is reviewing it (usually minutes, at most a day). It cannot be sent until approved.' },
  REJECTED: { label: 'Rejected', tone: 'bad', meaning: 'Meta rejected it: it cannot be sent. See the reason, edit the template in WhatsApp Manager, or appeal if you think the decision is wrong.' },
  PAUSED: {
    label: 'Paused',
    tone: 'warn',
    meaning:
      'Meta paused it because customers blocked or reported it. It cannot be sent for now (3 hours the first time, 6 hours the second); a third time disables it. Make it more relevant before sending again.',
  },
  DISABLED: { label: 'Disabled', tone: 'bad', meaning: 'Meta disabled it after repeated low quality. It can no longer be sent; edit it (which sends it for review again) or create a new one.' },
  IN_APPEAL: { label: 'In appeal', tone: 'neutral', meaning: 'An appeal against the rejection is being reviewed. It cannot be sent until Meta approves it.' },
  PENDING_DELETION: { label: 'Being deleted', tone: 'neutral', meaning: 'Someone deleted it; Meta removes it shortly. It cannot be sent, and its name cannot be reused for 30 days.' },
  DELETED: { label: 'Deleted', tone: 'neutral', meaning: 'It was deleted and can no longer be sent.' },
  LIMIT_EXCEEDED: { label: 'Over the limit', tone: 'bad', meaning: 'The account has more templates than Meta allows; delete unused ones in WhatsApp Manager.' },
  ARCHIVED: { label: 'Archived', tone: 'neutral', meaning: 'It was archived in WhatsApp Manager and cannot be sent until it is unarchived.' },
};

const REJECTION_WORDS: Record<string, { label: string; meaning: string }> = {
  INVALID_FORMAT: {
    label: 'Formatting problem',
    meaning:
      'Meta found a formatting problem, most often variables at the very start or end of the body, variables next to each other, or missing examples. Put each variable inside a full sentence and give an example for each.',
  },
  PROMOTIONAL: {
    label: 'Promotional content in a non-marketing template',
    meaning: 'The text advertises or sells, which only a marketing template may do. Remove the promotion, or create it again in the Marketing category.',
  },
  INCORRECT_CATEGORY: {
    label: 'Wrong category',
    meaning: 'The content does not fit the category chosen for it. Create it again in the category that matches what it says (Marketing, Utility or Authentication).',
  },
  CATEGORY_NOT_AVAILABLE: { label: 'Category not available', meaning: 'The chosen category is not available to this account. Choose another category.' },
  ABUSIVE_CONTENT: {
    label: 'Against WhatsApp policy',
    meaning: 'Meta considers the content abusive or against the WhatsApp Business policies. Rewrite it, or appeal in WhatsApp Manager if you think this is a mistake.',
  },
  SCAM: { label: 'Looks like a scam', meaning: 'Meta thinks the template could be used to deceive customers. Rewrite it clearly naming your business, or appeal if this is a mistake.' },
  TAG_CONTENT_MISMATCH: { label: 'Content does not match its label', meaning: 'The content does not match the category or label it was given. Change one so they agree and submit it again.' },
  NONE: { label: 'No reason given', meaning: 'Meta gave no reason. See the template in WhatsApp Manager, or contact Meta support.' },
};

const QUALITY_WORDS: Record<string, TemplateWords> = {
  GREEN: { label: 'High quality', tone: 'good', meaning: 'Customers react well to it.' },
  YELLOW: { label: 'Medium quality', tone: 'warn', meaning: 'Some customers block or report it. Check that it is relevant and sent to people who asked for it, or it may be paused.' },
  RED: { label: 'Low quality', tone: 'bad', meaning: 'Many customers block or report it: Meta will pause it if this goes on. Send it less, to fewer and better-chosen people, or improve the text.' },
  UNKNOWN: { label: 'Not rated yet', tone: 'neutral', meaning: 'Meta has not rated it yet: it has not been sent to enough people.' },
};

const CATEGORY_WORDS: Record<string, string> = {
  MARKETING: 'Marketing',
  UTILITY: 'Utility',
  AUTHENTICATION: 'Authentication',
};

function unknown(code: string | null | undefined, what: string): TemplateWords {
  return { label: code ? `${what} ${code}` : `No ${what}`, tone: 'neutral', meaning: code ? `Meta reported ${what} ${code}; we have no explanation for it yet.` : `Meta has not said.` };
}

export function describeTemplateStatus(status: string | null | undefined): TemplateWords {
  return (status && STATUS_WORDS[status]) || unknown(status, 'status');
}

export function describeTemplateQuality(score: string | null | undefined): TemplateWords {
  return (score && QUALITY_WORDS[score]) || QUALITY_WORDS['UNKNOWN'];
}

/** A rejection in words; an unknown code keeps the code and says so. */
export function describeTemplateRejection(reason: string | null | undefined): { label: string; meaning: string } {
  if (reason && REJECTION_WORDS[reason]) return REJECTION_WORDS[reason];
  return reason ? { label: `Rejected (${reason})`, meaning: 'Meta gave a reason we have no explanation for yet; see the template in WhatsApp Manager.' } : REJECTION_WORDS['NONE'];
}

export function describeTemplateCategory(category: string | null | undefined): string {
  return (category && CATEGORY_WORDS[category]) || (category ? category.charAt(0) + category.slice(1).toLowerCase() : 'No category');
}

/** Statuses that stop a template from being sent and that a tenant hears about (an event). */
export const TEMPLATE_STATUSES_WORTH_AN_EVENT: readonly string[] = ['REJECTED', 'PAUSED', 'DISABLED'];
