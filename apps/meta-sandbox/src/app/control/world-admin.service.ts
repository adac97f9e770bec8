import { BadRequestException, Injectable, NotFoundException } from '@nestjs/common';
import { SandboxClock } from '../common/sandbox-clock';
import { WorldStore } from '../world/world.store';
import { BusinessRecord, PhoneNumberRecord, WabaRecord } from '../world/world.types';
import { CreateBusinessDto, CreatePhoneNumberDto, CreateWabaDto, PhoneNumberChangesDto } from './control.dto';

/** World changes made through the control API, and the world as JSON for tests and the index page. */
@Injectable()
export class WorldAdminService {
  constructor(
    private readonly world: WorldStore,
    private readonly clock: SandboxClock,
  ) {}

  createBusiness(input: CreateBusinessDto): BusinessRecord {
    return this.world.addBusiness(input);
  }

  createWaba(input: CreateWabaDto): WabaRecord {
    if (!this.world.businesses.has(input.businessId)) throw new NotFoundException(`No business ${input.businessId}`);
    const { businessId, ...rest } = input;
    return this.world.addWaba({ ...rest, ownerBusinessId: businessId });
  }

  createPhoneNumber(input: CreatePhoneNumberDto): PhoneNumberRecord {
    if (!this.world.wabas.has(input.wabaId)) throw new NotFoundException(`No WABA ${input.wabaId}`);
    if (!input.verifiedName) throw new BadRequestException('verifiedName is required');
    const phone = this.world.addPhoneNumber({
      wabaId: input.wabaId,
      displayPhoneNumber: input.displayPhoneNumber,
      verifiedName: input.verifiedName,
    });
    return this.updatePhoneNumber(phone.id, input);
  }

  updatePhoneNumber(id: string, changes: PhoneNumberChangesDto): PhoneNumberRecord {
    const phone = this.world.phoneNumbers.get(id);
    if (!phone) throw new NotFoundException(`No phone number ${id}`);
    const { registered, ...fields } = changes;
    const defined = Object.fromEntries(Object.entries(fields).filter(([, value]) => value !== undefined));
    Object.assign(phone, defined);
    if (registered !== undefined) {
      phone.platformType = registered ? 'CLOUD_API' : 'NOT_APPLICABLE';
      phone.throughputLevel = registered ? 'STANDARD' : 'NOT_APPLICABLE';
    }
    return phone;
  }

  snapshot() {
    return {
      app: this.world.app,
      clock: { now: new Date(this.clock.nowMs()).toISOString(), unix: this.clock.nowSeconds() },
      partnerSystemUserToken: this.world.partnerToken.value,
      businesses: [...this.world.businesses.values()].map((business) => ({
        ...business,
        wabas: this.world.wabasOwnedBy(business.id).map((waba) => ({
          ...waba,
          phoneNumbers: this.world.phoneNumbersOf(waba.id),
        })),
      })),
      tokens: [...this.world.tokens.values()].map((token) => ({
        tokenPrefix: `${token.value.slice(0, 12)}...`,
        type: token.type,
        businessIds: token.businessIds,
        wabaIds: token.wabaIds,
        scopes: token.scopes,
        expiresAt: token.expiresAtMs === null ? null : new Date(token.expiresAtMs).toISOString(),
        invalidatedSubcode: token.invalidatedSubcode,
      })),
      settings: this.world.settings,
    };
  }
}
