import { Injectable } from '@nestjs/common';
import { GraphException } from '../common/graph-exception';
import { WorldStore } from '../world/world.store';
import { AccessTokenRecord, BusinessRecord, PhoneNumberRecord, WabaRecord } from '../world/world.types';

type Method = 'get' | 'post' | 'delete';

/**
 * What a token may see. Objects outside its grant answer exactly like missing ones (100/33),
 * as Meta does; a missing permission answers 200.
 */
@Injectable()
export class GraphAccessService {
  constructor(private readonly world: WorldStore) {}

  business(token: AccessTokenRecord, id: string, method: Method): BusinessRecord {
    const business = this.world.businesses.get(id);
    if (!business || !token.businessIds.includes(id)) throw GraphException.objectNotFound(id, method);
    return business;
  }

  waba(token: AccessTokenRecord, id: string, method: Method): WabaRecord {
    const waba = this.world.wabas.get(id);
    if (!waba || !this.canSeeWaba(token, waba)) throw GraphException.objectNotFound(id, method);
    return waba;
  }

  phoneNumber(token: AccessTokenRecord, id: string, method: Method): PhoneNumberRecord {
    const phone = this.world.phoneNumbers.get(id);
    const waba = phone && this.world.wabas.get(phone.wabaId);
    if (!phone || !waba || !this.canSeeWaba(token, waba)) throw GraphException.objectNotFound(id, method);
    return phone;
  }

  canSeeWaba(token: AccessTokenRecord, waba: WabaRecord): boolean {
    if (token.assetScope === 'granted') return token.wabaIds.includes(waba.id);
    return token.businessIds.some((id) => waba.ownerBusinessId === id || waba.sharedWithBusinessIds.includes(id));
  }

  requireScope(token: AccessTokenRecord, scope: string): void {
    if (!token.scopes.includes(scope)) throw GraphException.missingPermission(scope);
  }

  /** What `/{id}` names, for routing; undefined when nothing has that id. */
  kindOf(id: string): 'business' | 'waba' | 'phone' | undefined {
    if (this.world.wabas.has(id)) return 'waba';
    if (this.world.phoneNumbers.has(id)) return 'phone';
    if (this.world.businesses.has(id)) return 'business';
    return undefined;
  }
}
