import { Prop } from '@nestjs/mongoose';

/**
 * Meta's facts of a number as we store them (libs/meta-graph PhoneNumberFacts), shared by a
 * connected number (phone-number.schema.ts) and one discovered by a consent and waiting for the
 * tenant's pick (oauth/oauth-records.schema.ts). The schema factory reads a base class's fields.
 */
export abstract class MetaNumberFacts {
  @Prop({ type: String, required: true }) displayPhone!: string;
  @Prop({ type: String, default: null }) verifiedName!: string | null;
  @Prop({ type: String, default: null }) qualityRating!: string | null;
  @Prop({ type: String, default: null }) nameStatus!: string | null;
  @Prop({ type: String, default: null }) codeVerificationStatus!: string | null;
  @Prop({ type: String, default: null }) messagingLimit!: string | null;
  @Prop({ type: String, default: null }) platformType!: string | null;
  @Prop({ type: String, default: null }) throughputLevel!: string | null;
  /** The node's `status` (CONNECTED, FLAGGED, …). */
  @Prop({ type: String, default: null }) metaStatus!: string | null;
  /** Also on the WhatsApp Business app (coexistence): never registered by us. */
  @Prop({ type: Boolean, default: false }) isOnBizApp!: boolean;
}
