import { Injectable } from '@nestjs/common';

/** The current time, behind an injectable so time-based rules are tested by moving the clock. */
@Injectable()
export class Clock {
  now(): Date {
    return new Date();
  }
}
