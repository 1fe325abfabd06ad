// Test users that earlier runs created and could not delete (a killed process, a Cognito gone mid-run) are
// deleted by the next run. A user is the harness's when its email is the harness's own form,
// gatehouse-contract-<12 hex>@example.com: ListUsers can filter on an email prefix on AWS and in the local
// Cognito alike (custom attributes would need the pool's schema, and are not searchable: the ListUsers API
// reference, "For a prefix ("starts with") match, use ^=", email among the searchable standard attributes,
// https://docs.aws.amazon.com/cognito-user-identity-pools/latest/APIReference/API_ListUsers.html). Its age is Cognito's
// own UserCreateDate from the same ListUsers page, which no name can fake and no extra call is needed for.
// Users younger than the age given are left (a run still going may own them) and named in the report.
import {
  AdminDeleteUserCommand,
  paginateListUsers,
  type CognitoIdentityProviderClient,
} from '@aws-sdk/client-cognito-identity-provider';

export const TEST_USER_PREFIX = 'gatehouse-contract-';
const TEST_USER_EMAIL = /^gatehouse-contract-[0-9a-f]{12}@example\.com$/;

/** The email (and, in pools that sign in by username, the username's stem) of a test user with `suffix`. */
export function testUserEmail(suffix: string): string {
  return `${TEST_USER_PREFIX}${suffix}@example.com`;
}

export function isTestUserEmail(email: string | undefined): boolean {
  return email !== undefined && TEST_USER_EMAIL.test(email);
}

/** The default of --sweep-older-than: longer than any run takes, so only users of runs that ended are swept. */
export const DEFAULT_SWEEP_AGE = '1h';

const UNITS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 };

/** `0`, `90s`, `30m`, `1h`, `2d` or a sum of them (`1h30m`) in milliseconds; undefined for anything else. */
export function parseDuration(text: string): number | undefined {
  const trimmed = text.trim();
  if (trimmed === '0') return 0;
  const parts = [...trimmed.matchAll(/(\d+)(ms|s|m|h|d)/g)];
  if (parts.length === 0 || parts.map((p) => p[0]).join('') !== trimmed) return undefined;
  return parts.reduce((sum, [, n, unit]) => sum + Number(n) * UNITS[unit], 0);
}

export interface LeftUser {
  pool: string;
  user: string;
  createdAt: string;
}

export interface SweepOutcome {
  /** The age given, as written (e.g. "1h"). */
  olderThan: string;
  /** Test users deleted, `<email> in <pool id>`. */
  swept: string[];
  /** Test users younger than the age, left for the run that may still own them. */
  left: LeftUser[];
  /** Pools that could not be listed or users that could not be deleted, with why. */
  failures: string[];
}

export interface SweepTarget {
  userPoolId: string;
  cognito: CognitoIdentityProviderClient;
}

/** Deletes the harness's test users of each pool created at least `olderThanMs` before `now` (0: every one). */
export async function sweepTestUsers(
  targets: SweepTarget[],
  olderThan: { text: string; ms: number },
  now: number,
): Promise<SweepOutcome> {
  const outcome: SweepOutcome = { olderThan: olderThan.text, swept: [], left: [], failures: [] };
  for (const { userPoolId, cognito } of targets) {
    const found: { username: string; email: string; created: Date | undefined }[] = [];
    try {
      const pages = paginateListUsers(
        { client: cognito },
        { UserPoolId: userPoolId, Filter: `email ^= "${TEST_USER_PREFIX}"` },
      );
      for await (const page of pages)
        for (const user of page.Users ?? []) {
          const email = user.Attributes?.find((a) => a.Name === 'email')?.Value;
          if (user.Username && isTestUserEmail(email))
            found.push({ username: user.Username, email: email!, created: user.UserCreateDate });
        }
    } catch (error) {
      outcome.failures.push(`listing the test users of ${userPoolId}: ${(error as Error).message}`);
      continue;
    }
    for (const user of found) {
      const createdAt = user.created?.getTime();
      const old = olderThan.ms === 0 || (createdAt !== undefined && now - createdAt >= olderThan.ms);
      if (!old) {
        outcome.left.push({ pool: userPoolId, user: user.email, createdAt: user.created?.toISOString() ?? 'unknown' });
        continue;
      }
      try {
        await cognito.send(new AdminDeleteUserCommand({ UserPoolId: userPoolId, Username: user.username }));
        outcome.swept.push(`${user.email} in ${userPoolId}`);
      } catch (error) {
        if ((error as { name?: string }).name === 'UserNotFoundException') continue;
        outcome.failures.push(`deleting ${user.email} in ${userPoolId}: ${(error as Error).message}`);
      }
    }
  }
  return outcome;
}
