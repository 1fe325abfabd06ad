// ListUsers as the API reference describes it (ListUsers, Limit, PaginationToken and Filter:
// https://docs.aws.amazon.com/cognito-user-identity-pools/latest/APIReference/API_ListUsers.html).
// cognito-local ignores Limit, never pages, and compares `status` with the Enabled boolean, so
// `status = "Enabled"` found nobody. Here: at most Limit users (0 to 60, default 60) and a PaginationToken
// while more remain, in username order so a chain of pages holds no user twice; the filter
// `AttributeName = "value"` or `^= "value"` (prefix) on one searchable attribute, `status` being Enabled or
// Disabled (case-sensitive), `cognito:user_status` the UserStatus (CONFIRMED ..., case-insensitive),
// `username` case-sensitive.
import { userToResponseObject, type User } from '../wiring/cognito-local-core';
import { cognitoError, requireString, stringField, type JsonObject } from '../protocol/request-fields';
import type { Guard, TargetGuards } from '../wiring/target-guards';
import { attributeOf } from '../sign-in/mfa-state';

const MAX_LIMIT = 60;

interface Searchable {
  value: (user: User) => string | undefined;
  caseInsensitive?: boolean;
}

const byAttribute = (name: string): Searchable => ({ value: (user) => attributeOf(user, name) });

/** The attributes ListUsers can search ("Custom attributes aren't searchable"). */
const SEARCHABLE: Readonly<Record<string, Searchable>> = {
  username: { value: (user) => user.Username },
  email: byAttribute('email'),
  phone_number: byAttribute('phone_number'),
  name: byAttribute('name'),
  given_name: byAttribute('given_name'),
  family_name: byAttribute('family_name'),
  preferred_username: byAttribute('preferred_username'),
  'cognito:user_status': { value: (user) => user.UserStatus, caseInsensitive: true },
  status: { value: (user) => (user.Enabled === false ? 'Disabled' : 'Enabled') },
  sub: byAttribute('sub'),
};

/** `name = "value"` or `name ^= "value"`, the name optionally quoted, `\"` and `\\` escaped in the value. */
const FILTER = /^\s*"?([A-Za-z_:]+)"?\s*(\^?=)\s*"((?:[^"\\]|\\.)*)"\s*$/;

function filterOf(filter: string | undefined): (user: User) => boolean {
  if (filter === undefined || filter.trim() === '') return () => true;
  const match = FILTER.exec(filter);
  if (!match) throw cognitoError('InvalidParameterException', 'Error while parsing filter.');
  const [, name, operator, escaped] = match;
  const searchable = Object.hasOwn(SEARCHABLE, name) ? SEARCHABLE[name] : undefined;
  if (!searchable)
    throw cognitoError(
      'InvalidParameterException',
      `Invalid search attribute: ${name} (searchable: ${Object.keys(SEARCHABLE).join(', ')}).`,
    );
  const fold = (text: string) => (searchable.caseInsensitive ? text.toLowerCase() : text);
  const wanted = fold(escaped.replace(/\\(.)/g, '$1'));
  return (user) => {
    const value = searchable.value(user);
    if (value === undefined) return false;
    return operator === '=' ? fold(value) === wanted : fold(value).startsWith(wanted);
  };
}

function limitOf(req: JsonObject): number {
  const limit = req.Limit;
  if (limit === undefined || limit === null) return MAX_LIMIT;
  if (typeof limit !== 'number' || !Number.isInteger(limit) || limit < 0 || limit > MAX_LIMIT)
    throw cognitoError(
      'InvalidParameterException',
      `1 validation error detected: Value '${String(limit)}' at 'limit' failed to satisfy constraint: Member must have value between 0 and ${MAX_LIMIT}`,
    );
  // 0 is inside the documented range; what Cognito returns for it is not documented, so it means "no limit
  // given" here.
  return limit === 0 ? MAX_LIMIT : limit;
}

/** The token names the last username of the page; the next page starts after it. */
function tokenFor(username: string): string {
  return Buffer.from(JSON.stringify({ after: username })).toString('base64url');
}

function afterOf(token: string | undefined): string | undefined {
  if (token === undefined) return undefined;
  try {
    const after = (JSON.parse(Buffer.from(token, 'base64url').toString('utf8')) as { after?: unknown }).after;
    if (typeof after === 'string') return after;
  } catch {
    // Answered below.
  }
  throw cognitoError('InvalidParameterException', `Invalid pagination token: ${token}`);
}

const listUsers: Guard = (_next, services) => async (ctx, req) => {
  const pool = await services.cognito.getUserPool(ctx, requireString(req, 'UserPoolId'));
  const matches = filterOf(stringField(req, 'Filter'));
  const limit = limitOf(req);
  const after = afterOf(stringField(req, 'PaginationToken'));
  const users = (await pool.listUsers(ctx))
    .filter(matches)
    .sort((a, b) => (a.Username < b.Username ? -1 : a.Username > b.Username ? 1 : 0))
    .filter((user) => after === undefined || user.Username > after);
  const page = users.slice(0, limit);
  return {
    Users: page.map(userToResponseObject),
    ...(users.length > page.length ? { PaginationToken: tokenFor(page[page.length - 1].Username) } : {}),
  };
};

export const listUsersGuards: TargetGuards = { ListUsers: listUsers };
