import { mongo } from 'mongoose';

const { MongoClient, ObjectId } = mongo;

/**
 * A tenant that owns one WABA and one number, written straight into the database: for tests that
 * exercise webhook ingestion in another process without running an onboarding first.
 */
export async function seedRoutableNumber(
  databaseUri: string,
  ids = { wabaId: '410000000000901', phoneNumberId: '610000000000901' },
  /** An existing tenant (signed up over HTTP) to own them; a new account id otherwise. */
  ownerAccountId?: string,
): Promise<{ accountId: string } & typeof ids> {
  const client = await MongoClient.connect(databaseUri);
  try {
    const db = client.db();
    const accountId = ownerAccountId ? new ObjectId(ownerAccountId) : new ObjectId();
    const connectionId = new ObjectId();
    const now = new Date();
    await db.collection('whatsapp_business_accounts').insertOne({ wabaId: ids.wabaId, accountId, connectionId, name: 'Fixture', subscribed: true, state: 'connected', createdAt: now, updatedAt: now });
    await db.collection('phone_numbers').insertOne({
      phoneNumberId: ids.phoneNumberId,
      accountId,
      wabaId: ids.wabaId,
      connectionId,
      displayPhone: '+1 555-010-0901',
      state: 'connected',
      registration: 'not_needed',
      isActive: true,
      source: 'manual',
      createdAt: now,
      updatedAt: now,
    });
    return { accountId: accountId.toHexString(), ...ids };
  } finally {
    await client.close();
  }
}

export async function insertInto(databaseUri: string, collection: string, docs: object[]): Promise<void> {
  const client = await MongoClient.connect(databaseUri);
  try {
    await client
      .db()
      .collection(collection)
      .insertMany(docs as never[]);
  } finally {
    await client.close();
  }
}

export async function countWhere(databaseUri: string, collection: string, filter: object): Promise<number> {
  const client = await MongoClient.connect(databaseUri);
  try {
    return await client.db().collection(collection).countDocuments(filter);
  } finally {
    await client.close();
  }
}

export async function distinctValues(databaseUri: string, collection: string, field: string): Promise<unknown[]> {
  const client = await MongoClient.connect(databaseUri);
  try {
    return (
      await client
        .db()
        .collection(collection)
        .find({}, { projection: { [field]: 1 } })
        .toArray()
    ).map((d) => d[field]);
  } finally {
    await client.close();
  }
}
