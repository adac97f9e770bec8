import { SANDBOX_URL } from './sandbox';

/** Changes what Meta says of a number (PATCH /_sandbox/phone-numbers/:id): `registered: false` takes it off the Cloud API. */
export async function changeSandboxNumber(phoneNumberId: string, changes: Record<string, unknown>): Promise<void> {
  const response = await fetch(`${SANDBOX_URL}/_sandbox/phone-numbers/${phoneNumberId}`, {
    method: 'PATCH',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(changes),
  });
  if (!response.ok) throw new Error(`sandbox PATCH phone-numbers/${phoneNumberId} answered ${response.status}: ${await response.text()}`);
}
