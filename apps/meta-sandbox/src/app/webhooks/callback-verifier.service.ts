import { Injectable } from '@nestjs/common';
import { GraphException } from '../common/graph-exception';
import { newChallenge } from '../common/secure-random';

// Meta gives the callback 6 seconds to answer the handshake (docs/meta.md §11).
const HANDSHAKE_TIMEOUT_MS = 6_000;

/** The GET handshake Meta makes when a callback URL or override is set (docs/meta.md §6.1). */
@Injectable()
export class CallbackVerifierService {
  /** Resolves when the callback echoes the challenge with 200; otherwise Meta's error 2200. */
  async verify(callbackUrl: string, verifyToken: string): Promise<void> {
    const challenge = newChallenge();
    const url = new URL(callbackUrl);
    url.searchParams.set('hub.mode', 'subscribe');
    url.searchParams.set('hub.challenge', challenge);
    url.searchParams.set('hub.verify_token', verifyToken);
    let failure: string;
    try {
      const response = await fetch(url, { signal: AbortSignal.timeout(HANDSHAKE_TIMEOUT_MS) });
      const body = (await response.text()).trim();
      if (response.status === 200 && body === challenge) return;
      failure = response.status === 200 ? 'The URL did not echo the challenge' : `HTTP Status Code = ${response.status}`;
    } catch (error) {
      failure = error instanceof Error && error.name === 'TimeoutError' ? 'Operation timed out' : "Couldn't connect to server";
    }
    throw new GraphException({
      code: 2200,
      message: `(#2200) Callback verification failed with the following errors: ${failure}`,
    });
  }
}
