import { Injectable } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import { Model, Types } from 'mongoose';
import { TokenCheckRun, type TokenCheckCounts, type TokenCheckTrigger } from './token-check-run.schema';

/** The only code that touches `token_check_runs`. */
@Injectable()
export class TokenCheckRunsRepository {
  constructor(@InjectModel(TokenCheckRun.name) private readonly runs: Model<TokenCheckRun>) {}

  async start(run: { trigger: TokenCheckTrigger; instanceId: string; dryRun: boolean; accountId: string | null; startedAt: Date; counts: TokenCheckCounts }): Promise<string> {
    const created = await this.runs.create({ ...run, finishedAt: null, queued: 0, error: null });
    return String(created._id);
  }

  /** A run recorded once it is over (a scheduled sweep, which only queues checks). */
  async record(run: { trigger: TokenCheckTrigger; instanceId: string; dryRun: boolean; accountId: string | null; startedAt: Date; finishedAt: Date; queued: number }): Promise<void> {
    await this.runs.create({ ...run, counts: { checked: 0, healthy: 0, extended: 0, needsReauth: 0, failed: 0, deferred: 0 }, error: null });
  }

  async finish(id: string, finishedAt: Date, counts: TokenCheckCounts, queued: number, error: string | null): Promise<void> {
    await this.runs.updateOne({ _id: new Types.ObjectId(id) }, { $set: { finishedAt, counts, queued, error } });
  }
}
