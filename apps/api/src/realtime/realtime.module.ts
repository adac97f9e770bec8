/**
 * How any process (http, worker, CLI) reaches browsers: RealtimePublisher. It depends on no
 * feature module (sessions that end reach it as domain events); the gateway, which needs accounts
 * to authenticate sockets, lives in RealtimeGatewayModule.
 */
import { Module } from '@nestjs/common';
import { RealtimePublisher } from './realtime-publisher';

@Module({ providers: [RealtimePublisher], exports: [RealtimePublisher] })
export class RealtimeModule {}
