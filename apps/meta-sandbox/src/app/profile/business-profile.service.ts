import { Injectable } from '@nestjs/common';
import { BUSINESS_PROFILE_LIMITS, BUSINESS_VERTICALS, GraphSuccess, PROFILE_PHOTO_TYPES, UploadedFileHandle, UploadSession, UploadSessionProgress } from '@waba/meta-graph';
import { createHash, randomBytes } from 'node:crypto';
import { GraphException } from '../common/graph-exception';
import { WorldStore } from '../world/world.store';
import { BusinessProfileRecord, PhoneNumberRecord } from '../world/world.types';

/** File types the Resumable Upload API takes (Meta's "Upload a file" guide). */
const UPLOAD_TYPES = ['application/pdf', 'image/jpeg', 'image/jpg', 'image/png', 'video/mp4'];
const TEXT_FIELDS = ['about', 'address', 'description', 'email'] as const;
// Meta's check is looser than a full RFC 5322 parser; this is what it refuses in practice.
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

interface UploadRecord {
  id: string;
  fileName: string;
  fileType: string;
  length: number;
  bytes: Buffer;
  handle?: string;
}

/**
 * `/{phone}/whatsapp_business_profile` and the Resumable Upload API that carries its photo
 * (docs/meta.md §4.5, §4.6). Uploads live in memory only: a sandbox restart forgets sessions and photos.
 */
@Injectable()
export class BusinessProfileService {
  private readonly uploads = new Map<string, UploadRecord>();
  private readonly photos = new Map<string, { type: string; bytes: Buffer }>();

  constructor(private readonly world: WorldStore) {}

  profile(phone: PhoneNumberRecord, photoBaseUrl: string): Record<string, unknown> {
    const stored = phone.businessProfile ?? {};
    return {
      messaging_product: 'whatsapp',
      ...(stored.about !== undefined && { about: stored.about }),
      ...(stored.address !== undefined && { address: stored.address }),
      ...(stored.description !== undefined && { description: stored.description }),
      ...(stored.email !== undefined && { email: stored.email }),
      ...(stored.websites !== undefined && { websites: stored.websites }),
      vertical: stored.vertical ?? 'UNDEFINED',
      ...(stored.pictureHandle && { profile_picture_url: `${photoBaseUrl}/_sandbox/profile-photos/${photoKey(stored.pictureHandle)}` }),
    };
  }

  /** Checks every field first, like Meta: one bad field and nothing changes. */
  update(phone: PhoneNumberRecord, body: Record<string, unknown>): GraphSuccess {
    if (body['messaging_product'] !== 'whatsapp') throw GraphException.invalidParameter('(#100) The parameter messaging_product is required.');
    const next: BusinessProfileRecord = { ...phone.businessProfile };
    for (const field of TEXT_FIELDS) {
      const value = body[field];
      if (value === undefined) continue;
      if (typeof value !== 'string') throw GraphException.invalidParameter(`(#100) Param ${field} must be a string.`);
      if (field === 'about' && value.length === 0) throw GraphException.invalidParameter('(#100) Param about must be at least 1 chars long');
      if (value.length > BUSINESS_PROFILE_LIMITS[field]) throw GraphException.invalidParameter(`(#100) Param ${field} must be at most ${BUSINESS_PROFILE_LIMITS[field]} chars long`);
      if (field === 'email' && value !== '' && !EMAIL.test(value)) throw GraphException.invalidParameter('(#100) Param email must be a valid email address');
      next[field] = value;
    }
    if (body['websites'] !== undefined) next.websites = checkWebsites(body['websites']);
    if (body['vertical'] !== undefined) {
      const vertical = body['vertical'];
      if (typeof vertical !== 'string' || !(BUSINESS_VERTICALS as readonly string[]).includes(vertical)) {
        throw GraphException.invalidParameter(`(#100) Param vertical must be one of {${BUSINESS_VERTICALS.join(', ')}} - got "${String(vertical)}".`);
      }
      next.vertical = vertical;
    }
    if (body['profile_picture_handle'] !== undefined) next.pictureHandle = this.requirePhotoHandle(body['profile_picture_handle']);
    phone.businessProfile = next;
    return { success: true };
  }

  startUpload(appId: string, query: { fileName?: string; fileLength?: string; fileType?: string }): UploadSession {
    if (appId !== this.world.app.id) throw GraphException.objectNotFound(appId, 'post');
    const length = Number(query.fileLength);
    if (!query.fileLength || !Number.isInteger(length) || length <= 0) throw GraphException.invalidParameter('(#100) The parameter file_length is required and must be a positive integer.');
    if (!query.fileType || !UPLOAD_TYPES.includes(query.fileType)) {
      throw GraphException.invalidParameter(`(#100) Param file_type must be one of {${UPLOAD_TYPES.join(', ')}} - got "${query.fileType ?? ''}".`);
    }
    const id = `upload:${randomBytes(18).toString('base64url')}`;
    this.uploads.set(id, { id, fileName: query.fileName ?? 'file', fileType: query.fileType, length, bytes: Buffer.alloc(0) });
    return { id };
  }

  progress(sessionId: string): UploadSessionProgress {
    const upload = this.requireUpload(sessionId, 'get');
    return { id: upload.id, file_offset: upload.bytes.length };
  }

  /** Bytes must start where the last part stopped (`file_offset`); the last part answers the handle. */
  receive(sessionId: string, fileOffset: string | undefined, bytes: Buffer): UploadedFileHandle | UploadSessionProgress {
    const upload = this.requireUpload(sessionId, 'post');
    const offset = Number(fileOffset);
    if (fileOffset === undefined || !Number.isInteger(offset)) throw GraphException.invalidParameter('(#100) The file_offset header is required.');
    if (offset !== upload.bytes.length) {
      throw new GraphException({ code: 100, message: `(#100) file_offset ${offset} does not match the ${upload.bytes.length} bytes already received; resume from there.` });
    }
    if (upload.bytes.length + bytes.length > upload.length) throw GraphException.invalidParameter(`(#100) The upload is longer than the file_length of ${upload.length} bytes.`);
    upload.bytes = Buffer.concat([upload.bytes, bytes]);
    if (upload.bytes.length < upload.length) return { id: upload.id, file_offset: upload.bytes.length };
    upload.handle ??= `4:${Buffer.from(upload.fileName).toString('base64')}:${upload.fileType}:${randomBytes(24).toString('base64url')}`;
    this.photos.set(photoKey(upload.handle), { type: upload.fileType, bytes: upload.bytes });
    return { h: upload.handle };
  }

  photo(key: string): { type: string; bytes: Buffer } | undefined {
    return this.photos.get(key);
  }

  private requirePhotoHandle(value: unknown): string {
    const photo = typeof value === 'string' ? this.photos.get(photoKey(value)) : undefined;
    if (!photo) throw GraphException.invalidParameter('(#100) Param profile_picture_handle is not a valid handle from the Resumable Upload API.');
    if (!(PROFILE_PHOTO_TYPES as readonly string[]).includes(photo.type === 'image/jpg' ? 'image/jpeg' : photo.type)) {
      throw GraphException.invalidParameter('(#100) The profile picture must be a JPEG or PNG image.');
    }
    return value as string;
  }

  private requireUpload(sessionId: string, method: 'get' | 'post'): UploadRecord {
    const upload = this.uploads.get(sessionId);
    if (!upload) throw GraphException.objectNotFound(sessionId, method);
    return upload;
  }
}

function checkWebsites(value: unknown): string[] {
  if (!Array.isArray(value) || value.some((v) => typeof v !== 'string')) throw GraphException.invalidParameter('(#100) Param websites must be an array of strings.');
  if (value.length > BUSINESS_PROFILE_LIMITS.websites) throw GraphException.invalidParameter(`(#100) Param websites must have at most ${BUSINESS_PROFILE_LIMITS.websites} elements`);
  value.forEach((site: string, index) => {
    if (site.length > BUSINESS_PROFILE_LIMITS.website) throw GraphException.invalidParameter(`(#100) Param websites[${index}] must be at most ${BUSINESS_PROFILE_LIMITS.website} chars long`);
    if (!/^https?:\/\/\S+$/.test(site)) throw GraphException.invalidParameter(`(#100) Param websites[${index}] must be a valid URL starting with http:// or https://`);
  });
  return value as string[];
}

function photoKey(handle: string): string {
  return createHash('sha256').update(handle).digest('hex').slice(0, 32);
}
