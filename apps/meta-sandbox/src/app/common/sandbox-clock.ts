import { Injectable } from '@nestjs/common';

/**
 * The time every Meta rule reads (code and token lifetimes, the 72-hour register window).
 * Tests and the control API move it forward instead of sleeping.
 */
@Injectable()
export class SandboxClock {
  private offsetMs = 0;

  nowMs(): number {
    return Date.now() + this.offsetMs;
  }

  nowSeconds(): number {
    return Math.floor(this.nowMs() / 1000);
  }

  advance(ms: number): void {
    this.offsetMs += ms;
  }

  /** How far the clock was moved; saved with the world so a restart keeps the same time line. */
  get offset(): number {
    return this.offsetMs;
  }

  restoreOffset(ms: number): void {
    this.offsetMs = ms;
  }
}
