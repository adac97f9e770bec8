import { Injectable } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import type { ConnectionSource } from '@waba/contracts';
import { Model, Types } from 'mongoose';
import { isDuplicateKey } from '../common/errors/all-exceptions.filter';
import { PhoneNumber } from './phone-number.schema';
import { WhatsAppBusinessAccount } from './whatsapp-business-account.schema';

export type WabaRecord = WhatsAppBusinessAccount & { _id: Types.ObjectId };
export type PhoneNumberRecord = PhoneNumber & { _id: Types.ObjectId };

/** Meta's facts about a number, as we keep them. */
export type NumberFacts = Pick<
  PhoneNumber,
  'displayPhone' | 'verifiedName' | 'qualityRating' | 'nameStatus' | 'codeVerificationStatus' | 'messagingLimit' | 'platformType' | 'throughputLevel' | 'metaStatus' | 'isOnBizApp'
>;

export type NumberPatch = Partial<Pick<PhoneNumber, 'state' | 'registration' | 'encryptedPin' | 'lastError' | 'isActive' | 'lastRefreshedAt' | 'connectedAt' | 'disconnectedAt'> & NumberFacts>;

/** The only code that touches the WABA and phone-number collections. */
@Injectable()
export class PhoneNumbersRepository {
  constructor(
    @InjectModel(WhatsAppBusinessAccount.name) private readonly wabas: Model<WhatsAppBusinessAccount>,
    @InjectModel(PhoneNumber.name) private readonly numbers: Model<PhoneNumber>,
  ) {}

  /**
   * Takes the WABA for this tenant unless another tenant holds it connected (then null). One
   * atomic upsert: the unique `wabaId` index makes two tenants racing for it safe.
   */
  async claimWaba(
    accountId: string,
    waba: { wabaId: string; connectionId: string; name: string | null; ownerBusinessId: string | null; ownerBusinessName: string | null },
  ): Promise<WabaRecord | null> {
    const account = new Types.ObjectId(accountId);
    try {
      return await this.wabas
        .findOneAndUpdate(
          { wabaId: waba.wabaId, $or: [{ accountId: account }, { state: { $ne: 'connected' } }] },
          { $set: { ...waba, accountId: account, connectionId: new Types.ObjectId(waba.connectionId), state: 'connected', disconnectedAt: null } },
          { upsert: true, new: true },
        )
        .lean();
    } catch (error) {
      if (isDuplicateKey(error)) return null;
      throw error;
    }
  }

  /** Same rule for a number: another tenant's connected, pending or failed number cannot be taken. */
  async claimNumber(accountId: string, number: NumberFacts & { phoneNumberId: string; wabaId: string; connectionId: string; source: ConnectionSource }): Promise<PhoneNumberRecord | null> {
    const account = new Types.ObjectId(accountId);
    try {
      return await this.numbers
        .findOneAndUpdate(
          { phoneNumberId: number.phoneNumberId, $or: [{ accountId: account }, { state: 'disconnected' }] },
          {
            $set: { ...number, accountId: account, connectionId: new Types.ObjectId(number.connectionId), disconnectedAt: null },
            $setOnInsert: { state: 'pending', registration: 'pending', isActive: false },
          },
          { upsert: true, new: true },
        )
        .lean();
    } catch (error) {
      if (isDuplicateKey(error)) return null;
      throw error;
    }
  }

  async updateNumber(accountId: string, phoneNumberId: string, patch: NumberPatch): Promise<PhoneNumberRecord | null> {
    return this.numbers.findOneAndUpdate({ phoneNumberId, accountId: new Types.ObjectId(accountId) }, { $set: patch }, { new: true }).lean();
  }

  async updateWaba(accountId: string, wabaId: string, patch: Partial<Pick<WhatsAppBusinessAccount, 'subscribed' | 'state' | 'disconnectedAt' | 'restriction'>>): Promise<void> {
    await this.wabas.updateOne({ wabaId, accountId: new Types.ObjectId(accountId) }, { $set: patch });
  }

  findNumber(accountId: string, phoneNumberId: string): Promise<PhoneNumberRecord | null> {
    return this.numbers.findOne({ phoneNumberId, accountId: new Types.ObjectId(accountId) }).lean();
  }

  findWaba(accountId: string, wabaId: string): Promise<WabaRecord | null> {
    return this.wabas.findOne({ wabaId, accountId: new Types.ObjectId(accountId) }).lean();
  }

  listWabas(accountId: string): Promise<WabaRecord[]> {
    return this.wabas
      .find({ accountId: new Types.ObjectId(accountId) })
      .sort({ createdAt: 1 })
      .lean();
  }

  listNumbers(accountId: string): Promise<PhoneNumberRecord[]> {
    return this.numbers
      .find({ accountId: new Types.ObjectId(accountId) })
      .sort({ createdAt: 1 })
      .lean();
  }

  /** WABAs a credential currently serves, for the token check ("does the grant still cover them?"). */
  async connectedWabaIdsOf(accountId: string, connectionId: string): Promise<string[]> {
    const found = await this.wabas.find({ accountId: new Types.ObjectId(accountId), connectionId: new Types.ObjectId(connectionId), state: 'connected' }, { wabaId: 1 }).lean();
    return found.map((w) => w.wabaId);
  }

  listNumbersOfWaba(accountId: string, wabaId: string): Promise<PhoneNumberRecord[]> {
    return this.numbers.find({ accountId: new Types.ObjectId(accountId), wabaId }).lean();
  }

  /** Owners of the given numbers across all tenants; only who owns them and in what state. */
  async ownership(phoneNumberIds: string[]): Promise<Array<{ phoneNumberId: string; accountId: string; state: string }>> {
    const found = await this.numbers.find({ phoneNumberId: { $in: phoneNumberIds } }, { phoneNumberId: 1, accountId: 1, state: 1 }).lean();
    return found.map((n) => ({ phoneNumberId: n.phoneNumberId, accountId: String(n.accountId), state: n.state }));
  }

  /** Of these WABAs, those another tenant holds connected: `claimWaba` would refuse them. */
  async wabaIdsHeldByOthers(accountId: string, wabaIds: string[]): Promise<string[]> {
    const found = await this.wabas.find({ wabaId: { $in: wabaIds }, accountId: { $ne: new Types.ObjectId(accountId) }, state: 'connected' }, { wabaId: 1 }).lean();
    return found.map((w) => w.wabaId);
  }

  /** Makes one number the tenant's default; clears the flag elsewhere first, so at most one is set. */
  async setActive(accountId: string, phoneNumberId: string): Promise<void> {
    const account = new Types.ObjectId(accountId);
    await this.numbers.updateMany({ accountId: account, phoneNumberId: { $ne: phoneNumberId }, isActive: true }, { $set: { isActive: false } });
    await this.numbers.updateOne({ accountId: account, phoneNumberId }, { $set: { isActive: true } });
  }

  /**
   * The tenant a number is connected to now. A disconnected number's record stays with its former
   * tenant (history), but its webhooks must not: they are routed by the WABA's current owner instead.
   */
  async ownerOfNumber(phoneNumberId: string): Promise<{ accountId: string; wabaId: string } | null> {
    const found = await this.numbers.findOne({ phoneNumberId, state: 'connected' }, { accountId: 1, wabaId: 1 }).lean();
    return found ? { accountId: String(found.accountId), wabaId: found.wabaId } : null;
  }

  async ownerOfWaba(wabaId: string): Promise<{ accountId: string; connectionId: string } | null> {
    const found = await this.wabas.findOne({ wabaId }, { accountId: 1, connectionId: 1 }).lean();
    return found ? { accountId: String(found.accountId), connectionId: String(found.connectionId) } : null;
  }

  /** Account-level webhooks name a number only by its display form ("15550100199"). */
  async findNumberByDisplay(accountId: string, wabaId: string, displayPhoneNumber: string): Promise<PhoneNumberRecord | null> {
    const digits = displayPhoneNumber.replace(/\D/g, '');
    const candidates = await this.listNumbersOfWaba(accountId, wabaId);
    return candidates.find((n) => n.displayPhone.replace(/\D/g, '') === digits) ?? null;
  }

  /** For the operator command's `tenants list`: the owner and state of every WABA and number (ids only). */
  async ownersAndStates(): Promise<{ wabas: Array<{ accountId: string; state: string }>; numbers: Array<{ accountId: string; state: string }> }> {
    const [wabas, numbers] = await Promise.all([this.wabas.find({}, { accountId: 1, state: 1 }).lean(), this.numbers.find({}, { accountId: 1, state: 1 }).lean()]);
    const owned = (doc: { accountId: Types.ObjectId; state: string }) => ({ accountId: String(doc.accountId), state: doc.state });
    return { wabas: wabas.map(owned), numbers: numbers.map(owned) };
  }

  /** For the key-rotation command: every stored PIN, across tenants. */
  async *allEncryptedPins(): AsyncGenerator<{ id: string; accountId: string; phoneNumberId: string; encryptedPin: string }> {
    for await (const doc of this.numbers
      .find({ encryptedPin: { $ne: null } }, { accountId: 1, phoneNumberId: 1, encryptedPin: 1 })
      .lean()
      .cursor()) {
      if (doc.encryptedPin) yield { id: String(doc._id), accountId: String(doc.accountId), phoneNumberId: doc.phoneNumberId, encryptedPin: doc.encryptedPin };
    }
  }

  async replaceEncryptedPin(id: string, previous: string, next: string): Promise<boolean> {
    const result = await this.numbers.updateOne({ _id: new Types.ObjectId(id), encryptedPin: previous }, { $set: { encryptedPin: next } });
    return result.modifiedCount === 1;
  }

  /** Every WABA not disconnected, across tenants (ids only): the scheduled number-health and template reads visit each. */
  async connectedWabas(): Promise<Array<{ accountId: string; wabaId: string }>> {
    const found = await this.wabas.find({ state: { $ne: 'disconnected' } }, { accountId: 1, wabaId: 1 }).lean();
    return found.map((w) => ({ accountId: String(w.accountId), wabaId: w.wabaId }));
  }

  /** The tenant has no active number any more. */
  async clearActive(accountId: string): Promise<void> {
    await this.numbers.updateMany({ accountId: new Types.ObjectId(accountId), isActive: true }, { $set: { isActive: false } });
  }
}
