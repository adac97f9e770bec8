import { Agent, request } from 'node:http';

export interface SteadyLoadResult {
  /** Requests sent, and answered with a 2xx. */
  sent: number;
  ok: number;
  /** Answers other than 2xx, and requests that failed (connection refused or reset, timed out). */
  non2xx: number;
  errors: number;
  /** Milliseconds from when each request was due to its answer, over the answered ones. */
  latency: { p50: number; p90: number; p99: number; max: number };
}

/**
 * An open-loop load at a steady rate: request i is due at start + i / rate and goes out then, on
 * one of `connections` kept-alive connections (or waits for one, and that wait counts). Latency
 * is measured from when a request was due, so a server that falls behind is not flattered by
 * requests that could not be sent (coordinated omission).
 *
 * Why not autocannon's `overallRate`: it gives each connection its share of the rate per second
 * and each connection sends that share back to back when its second starts, so "300 requests per
 * second" over 30 connections arrived as a burst of 300 in the first 250-400 ms of every second,
 * then nothing. Its latency histogram then adds, for every answer, one value per millisecond it
 * took (HdrHistogram's correction with a 1 ms expected interval), so its p99 weighed slow answers
 * many times over. A webhook sender at 300/s spreads its requests over the second.
 */
export async function steadyLoad(options: {
  url: string;
  rate: number;
  seconds: number;
  connections: number;
  /** Builds each request when it is sent (a new body and its headers). */
  next: () => { body: string; headers: Record<string, string> };
}): Promise<SteadyLoadResult> {
  const { rate, seconds, connections } = options;
  const target = new URL(options.url);
  const agent = new Agent({ keepAlive: true, maxSockets: connections });
  const total = Math.round(rate * seconds);
  const latencies: number[] = [];
  let [non2xx, errors, finished, sent] = [0, 0, 0, 0];
  const start = performance.now();
  await new Promise<void>((done) => {
    const settle = () => {
      if (++finished === total) done();
    };
    const send = (dueAt: number) => {
      const { body, headers } = options.next();
      const req = request(
        { host: target.hostname, port: target.port, path: target.pathname, method: 'POST', agent, headers: { ...headers, 'content-length': Buffer.byteLength(body) }, timeout: 30_000 },
        (res) => {
          res.resume();
          res.once('end', () => {
            if (res.statusCode && res.statusCode >= 200 && res.statusCode < 300) latencies.push(performance.now() - dueAt);
            else non2xx++;
            settle();
          });
        },
      );
      req.once('timeout', () => req.destroy(new Error('timed out')));
      req.once('error', () => {
        errors++;
        settle();
      });
      req.end(body);
    };
    // Sends what is due, then sleeps until the next one is (timers fire late by a millisecond or so; the latency counts that too).
    const tick = () => {
      const now = performance.now();
      while (sent < total && start + (sent * 1000) / rate <= now) send(start + (sent++ * 1000) / rate);
      if (sent < total) setTimeout(tick, Math.max(0, start + (sent * 1000) / rate - performance.now()));
    };
    tick();
  });
  agent.destroy();
  latencies.sort((a, b) => a - b);
  const at = (q: number) => Number(quantile(latencies, q).toFixed(1));
  return { sent: total, ok: latencies.length, non2xx, errors, latency: { p50: at(0.5), p90: at(0.9), p99: at(0.99), max: at(1) } };
}

/** The value at quantile q (0-1) of ascending values: the ⌊q·n⌋-th, the largest for q = 1; 0 when there are none. */
export function quantile(sorted: number[], q: number): number {
  return sorted.length ? sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] : 0;
}
