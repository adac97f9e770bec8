import { Prop, Schema, SchemaFactory } from '@nestjs/mongoose';

export type TokenCheckTrigger = 'schedule' | 'manual';

/** Counts of one sweep; `checked` = healthy + extended + needsReauth + failed. */
export interface TokenCheckCounts {
  checked: number;
  healthy: number;
  extended: number;
  needsReauth: number;
  failed: number;
  /** Left for later without calling Meta (rate-limit back-off). */
  deferred: number;
}

/** One run of the token check, scheduled or from the command line, with what it found. */
@Schema({ collection: 'token_check_runs', timestamps: false })
export class TokenCheckRun {
  @Prop({ type: String, required: true })
  trigger!: TokenCheckTrigger;

  @Prop({ type: String, required: true })
  instanceId!: string;

  @Prop({ type: Boolean, required: true })
  dryRun!: boolean;

  @Prop({ type: String, default: null })
  accountId!: string | null;

  @Prop({ type: Date, required: true })
  startedAt!: Date;

  @Prop({ type: Date, default: null })
  finishedAt!: Date | null;

  /** What the checks found: a manual run waits for them; a scheduled sweep only queues them (0 here). */
  @Prop({ type: Object, required: true })
  counts!: TokenCheckCounts;

  /** Check jobs the run queued (those already queued by another run included). */
  @Prop({ type: Number, default: 0 })
  queued!: number;

  /** Set when the run itself broke off (e.g. the database went away). */
  @Prop({ type: String, default: null })
  error!: string | null;
}

export const TokenCheckRunSchema = SchemaFactory.createForClass(TokenCheckRun);
TokenCheckRunSchema.index({ startedAt: -1 });
