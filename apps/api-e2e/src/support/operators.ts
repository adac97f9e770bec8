import type { INestApplication } from '@nestjs/common';
import { OperatorGrantsService } from '@waba/api/accounts/operator-grants.service';

/** Grants operator rights the way the operator command does; the user must exist (sign up first). */
export async function makeOperator(app: INestApplication, email: string): Promise<void> {
  await app.get(OperatorGrantsService).grantOperator(email);
}

export async function revokeOperator(app: INestApplication, email: string): Promise<void> {
  await app.get(OperatorGrantsService).revokeOperator(email);
}
