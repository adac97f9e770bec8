import type { MockProxy } from 'jest-mock-extended';
import { MetaGraphClient } from '@waba/meta-graph';
import type { AuditService } from '../audit/audit.service';
import { InvalidRequestError } from '../common/errors/domain-errors';
import type { CredentialsService } from '../credentials/credentials.service';
import { aPhoneNumberRecord, aTenant, PHONE_NUMBER_ID } from '../testing/factories';
import { FakeClock } from '../testing/fake-clock';
import { strictMock } from '../testing/strict-mock';
import type { EventsService } from '../webhooks/events.service';
import { BusinessProfileService, checkPhoto } from './business-profile.service';

const PNG = Buffer.from('89504e470d0a1a0a0000000d4948445200', 'hex');
const JPEG = Buffer.from('ffd8ffe000104a464946', 'hex');

describe('BusinessProfileService', () => {
  let graph: MockProxy<MetaGraphClient>;
  let credentials: MockProxy<CredentialsService>;
  let audit: MockProxy<AuditService>;
  let events: MockProxy<EventsService>;
  let service: BusinessProfileService;
  const number = aPhoneNumberRecord();

  beforeEach(() => {
    graph = strictMock<MetaGraphClient>('graph');
    credentials = strictMock<CredentialsService>('credentials');
    audit = strictMock<AuditService>('audit');
    events = strictMock<EventsService>('events');
    service = new BusinessProfileService(graph, credentials, audit, events, new FakeClock());
    credentials.tokenOf.mockResolvedValue('tenant-token');
    graph.updateBusinessProfile.mockResolvedValue({ success: true });
    graph.getBusinessProfile.mockResolvedValue({ data: [{ messaging_product: 'whatsapp', about: 'Fresh bread', vertical: 'RESTAURANT' }] });
    audit.record.mockResolvedValue();
    events.record.mockResolvedValue();
  });

  it('sends Meta only the fields given and answers the profile in our words', async () => {
    const view = await service.update(aTenant(), number, { about: 'Fresh bread', email: '' });
    expect(graph.updateBusinessProfile).toHaveBeenCalledWith('tenant-token', PHONE_NUMBER_ID, { about: 'Fresh bread', email: '' });
    expect(view).toMatchObject({ about: 'Fresh bread', vertical: 'RESTAURANT', verticalLabel: 'Restaurant', websites: [], photoUrl: null });
    expect(audit.record).toHaveBeenCalledWith(aTenant(), 'phone_number.profile_updated', 'Number +44 7700 900123', 'Changed: about, email');
  });

  it('refuses an empty change without calling Meta', async () => {
    await expect(service.update(aTenant(), number, {})).rejects.toThrow(InvalidRequestError);
    expect(graph.updateBusinessProfile).not.toHaveBeenCalled();
  });

  it('uploads the photo, then sets the handle Meta returned', async () => {
    graph.startUpload.mockResolvedValue({ id: 'upload:abc' });
    graph.uploadFile.mockResolvedValue({ h: '4:handle' });
    await service.uploadPhoto(aTenant(), number, PNG, 'image/png');
    expect(graph.startUpload).toHaveBeenCalledWith('tenant-token', { name: `profile-${PHONE_NUMBER_ID}.png`, length: PNG.length, type: 'image/png' });
    expect(graph.uploadFile).toHaveBeenCalledWith('tenant-token', 'upload:abc', PNG, 0);
    expect(graph.updateBusinessProfile).toHaveBeenCalledWith('tenant-token', PHONE_NUMBER_ID, { profile_picture_handle: '4:handle' });
  });

  describe('checkPhoto', () => {
    it('knows JPEG and PNG by their first bytes', () => {
      expect(checkPhoto(PNG, 'image/png')).toBe('image/png');
      expect(checkPhoto(JPEG, undefined)).toBe('image/jpeg');
    });
    it('refuses an empty file, another format, a mislabelled one and one over 5 MB', () => {
      expect(() => checkPhoto(Buffer.alloc(0), 'image/png')).toThrow('Send the photo');
      expect(() => checkPhoto(Buffer.from('GIF89a'), 'image/png')).toThrow('must be a JPEG or PNG image');
      expect(() => checkPhoto(JPEG, 'image/png')).toThrow('must be a JPEG or PNG image');
      expect(() => checkPhoto(Buffer.concat([PNG, Buffer.alloc(5_242_880)]), 'image/png')).toThrow('at most 5 MB');
    });
  });
});
