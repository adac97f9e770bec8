import { MetaGraphError } from '@waba/meta-graph';
import { InvalidRequestError, UpstreamError } from '../common/errors/domain-errors';
import { describeGraphError } from '../phone-numbers/phone-numbers.service';

const PROFILE_FIELDS: Record<string, string> = {
  about: 'the about text',
  address: 'the address',
  description: 'the description',
  email: 'the email',
  websites: 'the websites',
  vertical: 'the category',
  profile_picture_handle: 'the photo',
  new_display_name: 'the display name',
  file_type: 'the file type',
  pin: 'the PIN',
};

/**
 * Meta refused a settings call: the sentence names what Meta refused, in words; Meta's code and
 * trace id travel as the cause, into "details for support". A refusal of our input is a 400.
 */
export function settingsRefusal(action: string, error: unknown): Error {
  if (!(error instanceof MetaGraphError)) return error instanceof Error ? error : new Error(String(error));
  // Meta's 100: a parameter it refuses; its message names the field.
  if (error.kind === 'invalid') {
    const field = Object.keys(PROFILE_FIELDS).find((name) => new RegExp(`\\b${name}\\b`).test(error.message));
    const what = field ? PROFILE_FIELDS[field] : 'the request';
    return new InvalidRequestError(`Meta refused ${what} when we tried to ${action}: it does not meet Meta's rules for this field. Change it and try again.`, { cause: error });
  }
  const words = describeGraphError(error);
  if (error.kind === 'credential' || error.kind === 'permission') return new InvalidRequestError(`We could not ${action}: ${words}`, { cause: error, code: 'meta_credential_rejected' });
  return new UpstreamError(`We could not ${action}: ${words}`, { cause: error });
}
