// What the control API set on a node's messaging health, beside what the world already implies
// (a banned number, a rejected WABA): Meta decides these for reasons the sandbox cannot model
// (payment method, policy review), so tests and the console set them by hand.
import type { CanSendMessage } from '@waba/meta-graph';

export interface HealthOverride {
  canSendMessage: Exclude<CanSendMessage, 'AVAILABLE'>;
  errorCode: number;
  errorDescription: string;
  possibleSolution: string;
  /** Sentences Meta gives with LIMITED (`additional_info`). */
  additionalInfo: string[];
}
