/**
 * The benchmark's baseline: a bare node:http server that does only what our endpoint must do
 * before answering — check X-Hub-Signature-256 over the raw bytes and insert one document — into
 * the same database. Usage: tsx baseline-webhook-server.ts <port> <mongodb-uri> <app-secret>
 */
import { verifyWebhookSignature } from '../../libs/meta-graph/src/lib/signatures';
import { createHash } from 'node:crypto';
import { createServer } from 'node:http';
import { mongo } from 'mongoose';

async function main(): Promise<void> {
  const [port, uri, secret] = process.argv.slice(2);
  const client = await mongo.MongoClient.connect(uri);
  const collection = client.db().collection('baseline_deliveries');
  await collection.createIndex({ bodySha256: 1 }, { unique: true });
  createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const body = Buffer.concat(chunks);
      if (!verifyWebhookSignature(body, req.headers['x-hub-signature-256'] as string | undefined, secret)) {
        res.writeHead(401).end();
        return;
      }
      collection.insertOne({ bodySha256: createHash('sha256').update(body).digest('hex'), rawBody: body.toString('utf8'), receivedAt: new Date(), status: 'received' }).then(
        () => res.writeHead(200).end(),
        () => res.writeHead(503).end(),
      );
    });
  }).listen(Number(port), '127.0.0.1', () => console.log('ready'));
}

void main();
