import { Injectable } from '@nestjs/common';
import { EventEmitter } from 'node:events';

/** In-process notifications between modules that must not depend on each other. */
export interface DomainEventMap {
  /** A tenant took (or took back) a WABA: webhooks kept as unroutable for it can now be applied. */
  'waba.connected': { accountId: string; wabaId: string };
  /** The tenant disconnected the WABA's last number: what was kept about the WABA (its templates) goes. */
  'waba.disconnected': { accountId: string; wabaId: string };
  /** The token check found a credential dead: its numbers cannot send, the active one must move. */
  'connection.unusable': { accountId: string; connectionId: string };
  /** The active number changed without anyone choosing it: the tenant's Events page says so. */
  'active-number.changed': { accountId: string; title: string; detail: string; phoneNumberId: string; wabaId: string; occurredAt: Date };
  /** A webhook said something about the WABA or one of its numbers changed: its number health is read again. */
  'waba.meta-changed': { accountId: string; wabaId: string };
  /** A number on the WhatsApp Business app was connected: its one-time contacts and history sync is due. */
  'coexistence.connected': { accountId: string; phoneNumberId: string; wabaId: string; connectionId: string; displayPhone: string; onboardedAt: Date | null };
  /** A session ended (logout): its browser sockets close, on every instance. */
  'session.ended': { sessionId: string };
  /** A user's sessions ended (removed, password changed), all but `keepSessionId`: their sockets close too. */
  'user.sessions-ended': { userId: string; keepSessionId?: string };
  /** Meta decided a display-name review (phone_number_name_update): the tracked request follows. */
  'display-name.decided': { accountId: string; phoneNumberId: string; decision: string; requestedName: string | null; rejectionReason: string | null; at: Date };
}

@Injectable()
export class DomainEvents {
  private readonly emitter = new EventEmitter();

  emit<K extends keyof DomainEventMap>(name: K, payload: DomainEventMap[K]): void {
    this.emitter.emit(name, payload);
  }

  on<K extends keyof DomainEventMap>(name: K, listener: (payload: DomainEventMap[K]) => void): void {
    this.emitter.on(name, listener);
  }
}
