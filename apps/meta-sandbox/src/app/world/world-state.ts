// The world as it is written to SANDBOX_STATE_FILE: plain records, nothing derived.
import { SandboxSettings } from './sandbox-settings';
import { AccessTokenRecord, AuthorizationCodeRecord, BusinessRecord, PhoneNumberRecord, WabaRecord } from './world.types';

/** Bumped when the shape changes in a way an older file cannot be read as. */
export const WORLD_STATE_VERSION = 1;

export interface WorldState {
  version: number;
  /** The id counter, so ids issued after a restart never collide with stored ones. */
  lastId: number;
  /** How far the control API moved the clock, so token lifetimes keep counting from there. */
  clockOffsetMs: number;
  settings: SandboxSettings;
  /** The settings a reset would have given at save time, to tell hand-made changes apart. */
  defaultSettings: SandboxSettings;
  partnerTokenValue: string;
  businesses: BusinessRecord[];
  wabas: WabaRecord[];
  phoneNumbers: PhoneNumberRecord[];
  tokens: AccessTokenRecord[];
  codes: AuthorizationCodeRecord[];
  debugTokenCalls: [string, number][];
}
