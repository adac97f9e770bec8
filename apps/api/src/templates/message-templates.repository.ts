import { Injectable } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import type { TemplateComponentView } from '@waba/contracts';
import { Model, mongo, Types } from 'mongoose';
import { MessageTemplate, MessageTemplateSync } from './message-template.schema';

export type TemplateRecord = MessageTemplate;
export type TemplateAspect = 'status' | 'quality' | 'category' | 'components';

/** What one aspect sets; the keys are the aspect's own fields only. */
export type AspectValues = {
  status: Pick<MessageTemplate, 'status' | 'rejectedReason'> & Partial<Pick<MessageTemplate, 'metaDetail'>>;
  quality: Pick<MessageTemplate, 'qualityScore'>;
  category: Pick<MessageTemplate, 'category' | 'previousCategory'>;
  components: { components: TemplateComponentView[] };
};

export interface AspectChange<A extends TemplateAspect = TemplateAspect> {
  templateId: string;
  aspect: A;
  values: AspectValues[A];
  /** The time of the change on Meta's side; an aspect set by a later change is left alone. */
  at: Date;
}

export interface TemplateIdentity {
  templateId: string;
  name: string;
  language: string;
  parameterFormat?: string | null;
}

const NEVER = new Date(0);

/** The only code that touches `message_templates` and `message_template_syncs`. */
@Injectable()
export class MessageTemplatesRepository {
  constructor(
    @InjectModel(MessageTemplate.name) private readonly templates: Model<MessageTemplate>,
    @InjectModel(MessageTemplateSync.name) private readonly syncs: Model<MessageTemplateSync>,
  ) {}

  /** Creates the templates not stored yet (every aspect "never set"), in one round trip; returns the ids that were new. */
  async insertMissing(accountId: string, wabaId: string, identities: TemplateIdentity[], now: Date): Promise<string[]> {
    if (!identities.length) return [];
    const account = new Types.ObjectId(accountId);
    // Only the missing ones are sent: FerretDB stops an unordered insert at its first duplicate.
    const stored = await this.templates.find({ accountId: account, wabaId, templateId: { $in: identities.map((t) => t.templateId) } }, { templateId: 1 }).lean();
    const known = new Set(stored.map((t) => t.templateId));
    identities = identities.filter((t) => !known.has(t.templateId));
    if (!identities.length) return [];
    const docs = identities.map((t) => ({
      _id: new Types.ObjectId(),
      accountId: account,
      wabaId,
      templateId: t.templateId,
      name: t.name,
      language: t.language,
      parameterFormat: t.parameterFormat ?? null,
      status: null,
      rejectedReason: null,
      metaDetail: null,
      statusAt: NEVER,
      qualityScore: null,
      qualityAt: NEVER,
      category: null,
      previousCategory: null,
      categoryAt: NEVER,
      components: [],
      componentsAt: NEVER,
      updatedAt: now,
    }));
    const inserted = await insertUnordered(this.templates.collection, docs);
    return identities.filter((_, i) => inserted[i]).map((t) => t.templateId);
  }

  /** One aspect, unless a later change already set it; true when it was applied. */
  async applyAspect(accountId: string, wabaId: string, change: AspectChange, now: Date): Promise<boolean> {
    const result = await this.templates.updateOne(guard(accountId, wabaId, change), { $set: { ...change.values, [`${change.aspect}At`]: change.at, updatedAt: now } });
    return result.matchedCount > 0;
  }

  /**
   * A full read's changes, all at the same time `at`: one update per template guarded on all its
   * aspects (FerretDB reads the collection for every update, so four per template would be slow).
   * The few templates a webhook changed meanwhile get their aspects one by one, each still guarded.
   */
  async applyAspects(accountId: string, wabaId: string, changes: AspectChange[], now: Date): Promise<void> {
    if (!changes.length) return;
    const byTemplate = new Map<string, AspectChange[]>();
    for (const change of changes) byTemplate.set(change.templateId, [...(byTemplate.get(change.templateId) ?? []), change]);
    const account = new Types.ObjectId(accountId);
    // One statement per template, not one bulk write: FerretDB 1.24 stalls on a bulk update of many matching documents.
    let matched = 0;
    for (const [templateId, aspects] of byTemplate) {
      const filter = { accountId: account, wabaId, templateId, ...Object.fromEntries(aspects.map((a) => [`${a.aspect}At`, { $lte: a.at }])) };
      const update = { $set: Object.assign({ updatedAt: now }, ...aspects.map((a) => ({ ...a.values, [`${a.aspect}At`]: a.at }))) };
      matched += (await this.templates.updateOne(filter, update)).matchedCount;
    }
    if (matched === byTemplate.size) return;
    // Some template has an aspect newer than the read: find which, and apply the rest aspect by aspect.
    const at = changes[0].at;
    const newer = await this.templates
      .find(
        {
          accountId: account,
          wabaId,
          templateId: { $in: [...byTemplate.keys()] },
          $or: [{ statusAt: { $gt: at } }, { qualityAt: { $gt: at } }, { categoryAt: { $gt: at } }, { componentsAt: { $gt: at } }],
        },
        { templateId: 1 },
      )
      .lean();
    for (const { templateId } of newer) for (const change of byTemplate.get(templateId) ?? []) await this.applyAspect(accountId, wabaId, change, now);
  }

  /** Templates Meta no longer lists, unless something changed them after the read began. */
  async removeMissing(accountId: string, wabaId: string, listedIds: string[], readStartedAt: Date): Promise<number> {
    const result = await this.templates.deleteMany({
      accountId: new Types.ObjectId(accountId),
      wabaId,
      templateId: { $nin: listedIds },
      statusAt: { $lt: readStartedAt },
      qualityAt: { $lt: readStartedAt },
      categoryAt: { $lt: readStartedAt },
      componentsAt: { $lt: readStartedAt },
    });
    return result.deletedCount;
  }

  find(accountId: string, wabaId: string, templateId: string): Promise<TemplateRecord | null> {
    return this.templates.findOne({ accountId: new Types.ObjectId(accountId), wabaId, templateId }).lean<TemplateRecord>();
  }

  findByName(accountId: string, wabaId: string, name: string, language: string): Promise<TemplateRecord | null> {
    return this.templates.findOne({ accountId: new Types.ObjectId(accountId), wabaId, name, language }).lean<TemplateRecord>();
  }

  /** The tenant's templates in these statuses, every WABA, most recently changed first. */
  inStatuses(accountId: string, statuses: string[], limit: number): Promise<TemplateRecord[]> {
    return this.templates
      .find({ accountId: new Types.ObjectId(accountId), status: { $in: statuses } })
      .sort({ statusAt: -1, name: 1 })
      .limit(limit)
      .lean<TemplateRecord[]>();
  }

  list(accountId: string, wabaId: string): Promise<TemplateRecord[]> {
    return this.templates
      .find({ accountId: new Types.ObjectId(accountId), wabaId })
      .sort({ name: 1, language: 1 })
      .lean<TemplateRecord[]>();
  }

  /** The WABA's templates go with it (disconnected or taken by another tenant). */
  async deleteOfWaba(accountId: string, wabaId: string): Promise<void> {
    await Promise.all([this.templates.deleteMany({ accountId: new Types.ObjectId(accountId), wabaId }), this.syncs.deleteMany({ accountId: new Types.ObjectId(accountId), wabaId })]);
  }

  findSync(accountId: string, wabaId: string): Promise<MessageTemplateSync | null> {
    return this.syncs.findOne({ accountId: new Types.ObjectId(accountId), wabaId }).lean<MessageTemplateSync>();
  }

  async recordSync(accountId: string, wabaId: string, outcome: { at: Date; error: string | null }): Promise<void> {
    await this.syncs.updateOne(
      { accountId: new Types.ObjectId(accountId), wabaId },
      { $set: { lastAttemptAt: outcome.at, lastError: outcome.error, ...(outcome.error ? {} : { lastSyncedAt: outcome.at }) } },
      { upsert: true },
    );
  }
}

function guard(accountId: string, wabaId: string, change: AspectChange) {
  return { accountId: new Types.ObjectId(accountId), wabaId, templateId: change.templateId, [`${change.aspect}At`]: { $lte: change.at } };
}

/** insertMany past duplicates: per document, true when inserted, false when the unique index already held it. */
async function insertUnordered(collection: mongo.Collection<mongo.Document>, docs: object[]): Promise<boolean[]> {
  try {
    await collection.insertMany(docs, { ordered: false });
    return docs.map(() => true);
  } catch (error) {
    if (!(error instanceof mongo.MongoBulkWriteError)) throw error;
    const writeErrors = Array.isArray(error.writeErrors) ? error.writeErrors : [error.writeErrors];
    if (!writeErrors.length || writeErrors.some((w) => w?.code !== 11000)) throw error;
    const duplicates = new Set(writeErrors.map((w) => w.index));
    return docs.map((_, i) => !duplicates.has(i));
  }
}
