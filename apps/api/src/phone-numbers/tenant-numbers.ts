import type { PhoneNumbersRepository, PhoneNumberRecord, WabaRecord } from './phone-numbers.repository';

/**
 * One tenant's WABAs and numbers, as the other modules read and change them
 * (`PhoneNumbersService.forTenant`): every call is scoped to that tenant, and each change is one
 * the caller owns the meaning of (a subscription, a registration, a stored PIN).
 */
export class TenantNumbers {
  constructor(
    private readonly repository: PhoneNumbersRepository,
    readonly accountId: string,
  ) {}

  waba(wabaId: string): Promise<WabaRecord | null> {
    return this.repository.findWaba(this.accountId, wabaId);
  }

  number(phoneNumberId: string): Promise<PhoneNumberRecord | null> {
    return this.repository.findNumber(this.accountId, phoneNumberId);
  }

  /** In the order they were connected. */
  wabas(): Promise<WabaRecord[]> {
    return this.repository.listWabas(this.accountId);
  }

  /** Every number of the WABA, whatever its state. */
  numbersOfWaba(wabaId: string): Promise<PhoneNumberRecord[]> {
    return this.repository.listNumbersOfWaba(this.accountId, wabaId);
  }

  /** WABAs a credential currently serves, for the token check ("does the grant still cover them?"). */
  wabaIdsServedBy(connectionId: string): Promise<string[]> {
    return this.repository.connectedWabaIdsOf(this.accountId, connectionId);
  }

  /** Account-level webhooks name a number only by its display form ("15550100199"). */
  numberByDisplay(wabaId: string, displayPhoneNumber: string): Promise<PhoneNumberRecord | null> {
    return this.repository.findNumberByDisplay(this.accountId, wabaId, displayPhoneNumber);
  }

  /** Our app is among the WABA's subscribers again. */
  async markSubscribed(wabaId: string): Promise<void> {
    await this.repository.updateWaba(this.accountId, wabaId, { subscribed: true });
  }

  /** What Meta answered the last `/register` of the number. */
  async recordRegistration(phoneNumberId: string, registration: 'registered' | 'failed'): Promise<void> {
    await this.repository.updateNumber(this.accountId, phoneNumberId, { registration });
  }

  /** The PIN Meta now asks for at `/register`, encrypted under the number's binding. */
  async storeEncryptedPin(phoneNumberId: string, encryptedPin: string): Promise<void> {
    await this.repository.updateNumber(this.accountId, phoneNumberId, { encryptedPin });
  }
}
