import { Clock } from '../common/clock/clock';

/** Tests only: a Clock that stands still until the test moves it; handed to a service's constructor. */
export class FakeClock extends Clock {
  private current: Date;

  constructor(start: Date | string = '2026-11-25T12:00:00.000Z') {
    super();
    this.current = new Date(start);
  }

  override now(): Date {
    return new Date(this.current);
  }

  advance(ms: number): void {
    this.current = new Date(this.current.getTime() + ms);
  }

  set(at: Date | string): void {
    this.current = new Date(at);
  }
}

export const MINUTE = 60_000;
export const HOUR = 60 * MINUTE;
export const DAY = 24 * HOUR;
