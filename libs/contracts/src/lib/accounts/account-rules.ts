// Values both sides use: the API's request classes validate with them, the SPA's forms check them
// first for quick feedback and say them in words. No class-validator here, so the SPA can import it.

export enum UserRole {
  Owner = 'owner',
  Admin = 'admin',
}

/** The one password rule: sign-up, accepting an invitation, changing a password. */
export const PASSWORD_RULE = { minLength: 10, maxLength: 200 } as const;

const ROLE_WORDS: Record<UserRole, { label: string; withArticle: string }> = {
  [UserRole.Owner]: { label: 'Owner', withArticle: 'an owner' },
  [UserRole.Admin]: { label: 'Admin', withArticle: 'an admin' },
};

/** "Owner" / "Admin", as a column or a select shows it. */
export function roleLabel(role: UserRole | `${UserRole}`): string {
  return ROLE_WORDS[role as UserRole].label;
}

/** "an owner" / "an admin", as a sentence says it ("… join Acme as an admin"). */
export function roleInASentence(role: UserRole | `${UserRole}`): string {
  return ROLE_WORDS[role as UserRole].withArticle;
}
