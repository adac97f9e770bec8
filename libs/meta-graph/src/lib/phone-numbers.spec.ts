import { parseGraphTime, toPhoneNumberFacts } from './phone-numbers';

describe('toPhoneNumberFacts', () => {
  it("turns Meta's node into our fields, the onboarding time as a Date", () => {
    expect(
      toPhoneNumberFacts({
        id: '2000000000000001',
        display_phone_number: '+44 7700 900123',
        verified_name: 'Acme Support',
        quality_rating: 'GREEN',
        code_verification_status: 'VERIFIED',
        name_status: 'APPROVED',
        status: 'CONNECTED',
        platform_type: 'CLOUD_API',
        throughput: { level: 'STANDARD' },
        whatsapp_business_manager_messaging_limit: 'TIER_1K',
        is_on_biz_app: true,
        last_onboarded_time: '2026-12-01T10:00:00+0000',
      }),
    ).toEqual({
      phoneNumberId: '2000000000000001',
      displayPhone: '+44 7700 900123',
      verifiedName: 'Acme Support',
      qualityRating: 'GREEN',
      codeVerificationStatus: 'VERIFIED',
      nameStatus: 'APPROVED',
      metaStatus: 'CONNECTED',
      platformType: 'CLOUD_API',
      throughputLevel: 'STANDARD',
      messagingLimit: 'TIER_1K',
      isOnBizApp: true,
      lastOnboardedAt: new Date('2026-12-01T10:00:00Z'),
    });
  });

  it('fills what Meta left out: the id as the display form, null elsewhere, not on the app', () => {
    expect(toPhoneNumberFacts({ id: '2000000000000001' })).toEqual({
      phoneNumberId: '2000000000000001',
      displayPhone: '2000000000000001',
      verifiedName: null,
      qualityRating: null,
      codeVerificationStatus: null,
      nameStatus: null,
      metaStatus: null,
      platformType: null,
      throughputLevel: null,
      messagingLimit: null,
      isOnBizApp: false,
      lastOnboardedAt: null,
    });
  });
});

describe('parseGraphTime', () => {
  it("reads Graph's offset without a colon, and answers null for nothing or nonsense", () => {
    expect(parseGraphTime('2026-12-01T10:00:00-0130')).toEqual(new Date('2026-12-01T11:30:00Z'));
    expect(parseGraphTime(undefined)).toBeNull();
    expect(parseGraphTime('yesterday')).toBeNull();
  });
});
