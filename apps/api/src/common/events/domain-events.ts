import { Injectable } from '@nestjs/common';
import { EventEmitter } from 'node:events';

/** In-process notifications between modules that must not depend on each other. */
export interface DomainEventMap {
  /** A tenant took (or took back) a WABA: webhooks kept as unroutable for it can now be applied. */
  'waba.connected': { accountId: string; wabaId: string };
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
