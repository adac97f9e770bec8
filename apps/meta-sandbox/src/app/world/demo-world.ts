// The readable world `npm start` shows: businesses whose numbers differ in quality, status and
// registration, so every branch of onboarding can be clicked through.
import type { WorldStore } from './world.store';
import { seedDemoTemplates } from '../templates/demo-templates';

const DAY_MS = 24 * 3600 * 1000;

export function seedDemoWorld(world: WorldStore, nowMs: number): void {
  const acme = world.addBusiness({ name: 'Acme Bakery' });
  const acmeMain = world.addWaba({
    name: 'Acme Bakery',
    ownerBusinessId: acme.id,
    createdAtMs: nowMs - 30 * DAY_MS,
    subscriptions: [{ appId: '100000000000777', appName: 'Other Inbox (another app)' }],
  });
  world.addPhoneNumber({
    wabaId: acmeMain.id,
    displayPhoneNumber: '+1 555-010-0199',
    verifiedName: 'Acme Bakery',
    messagingLimit: 'TIER_2K',
    twoStepPin: '135790',
  });
  world.addPhoneNumber({
    wabaId: acmeMain.id,
    displayPhoneNumber: '+1 555-010-0142',
    verifiedName: 'Acme Bakery Deliveries',
    qualityRating: 'YELLOW',
    nameStatus: 'PENDING_REVIEW',
    status: 'PENDING',
    platformType: 'NOT_APPLICABLE',
    throughputLevel: 'NOT_APPLICABLE',
    messagingLimit: 'TIER_250',
  });
  const acmeMarketing = world.addWaba({
    name: 'Acme Bakery Marketing',
    ownerBusinessId: acme.id,
    createdAtMs: nowMs - 5 * DAY_MS,
  });
  world.addPhoneNumber({
    wabaId: acmeMarketing.id,
    displayPhoneNumber: '+1 555-010-0177',
    verifiedName: 'Acme Bakery Offers',
    qualityRating: 'RED',
    status: 'FLAGGED',
    messagingLimit: 'TIER_250',
  });

  const northwind = world.addBusiness({ name: 'Northwind Clinics' });
  const northwindWaba = world.addWaba({
    name: 'Northwind Clinics',
    ownerBusinessId: northwind.id,
    currency: 'GBP',
    timezoneId: '80',
    createdAtMs: nowMs - 90 * DAY_MS,
  });
  world.addPhoneNumber({
    wabaId: northwindWaba.id,
    displayPhoneNumber: '+44 7700 900461',
    verifiedName: 'Northwind Clinics',
    isOnBizApp: true,
    messagingLimit: 'TIER_10K',
    twoStepPin: '246810',
  });
  world.addPhoneNumber({
    wabaId: northwindWaba.id,
    displayPhoneNumber: '+44 7700 900462',
    verifiedName: 'Northwind Clinics Bookings',
    qualityRating: 'UNKNOWN',
    codeVerificationStatus: 'NOT_VERIFIED',
    nameStatus: 'NONE',
    status: 'PENDING',
    platformType: 'NOT_APPLICABLE',
    throughputLevel: 'NOT_APPLICABLE',
    messagingLimit: 'TIER_NOT_SET',
  });

  const globex = world.addBusiness({ name: 'Globex Travel' });
  world.addWaba({
    name: 'Globex Travel',
    ownerBusinessId: globex.id,
    accountReviewStatus: 'PENDING',
    currency: 'EUR',
    createdAtMs: nowMs - DAY_MS,
  });

  const initech = world.addBusiness({
    name: 'Initech Labs',
    onboardingBlockedReason: "Initech Labs can't onboard customers at the moment.",
  });
  world.addWaba({ name: 'Initech Labs', ownerBusinessId: initech.id, createdAtMs: nowMs - 10 * DAY_MS });

  const umbrella = world.addBusiness({
    name: 'Umbrella Retail',
    onboardingBlockedReason: 'Business already linked to Embedded Signup.',
  });
  world.addWaba({ name: 'Umbrella Retail', ownerBusinessId: umbrella.id, createdAtMs: nowMs - 20 * DAY_MS });
  // Last, so the ids of everything above stay what they were before templates existed.
  seedDemoTemplates(world, acmeMain, Math.floor(nowMs / 1000));
}
