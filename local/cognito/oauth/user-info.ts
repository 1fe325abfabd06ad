// GET or POST /oauth2/userInfo with `Authorization: Bearer <access token>`: the user's attributes within
// the token's scopes. Cognito accepts only access tokens that hold `openid`, i.e. from its OAuth
// endpoints, never InitiateAuth's (https://docs.aws.amazon.com/cognito/latest/developerguide/userinfo-endpoint.html).
// Values are strings, as Cognito sends them (email_verified "true").
import { checkAccessToken } from '../tokens/access-tokens';
import type { Services } from '../wiring/cognito-local-core';
import type { CognitoTokens } from '../tokens/cognito-tokens';
import type { SigningKeys } from '../tokens/signing-keys';

export type UserInfoReply = { status: 200 | 400 | 401; body: Record<string, string>; headers: Record<string, string> };

const PROFILE = [
  'name',
  'family_name',
  'given_name',
  'middle_name',
  'nickname',
  'preferred_username',
  'profile',
  'picture',
  'website',
  'gender',
  'birthdate',
  'zoneinfo',
  'locale',
  'updated_at',
];
const BY_SCOPE: Record<string, string[]> = {
  profile: PROFILE,
  email: ['email', 'email_verified'],
  phone: ['phone_number', 'phone_number_verified'],
};

function invalidToken(description: string): UserInfoReply {
  return {
    status: 401,
    body: { error: 'invalid_token', error_description: description },
    headers: { 'www-authenticate': `Bearer error="invalid_token", error_description="${description}"` },
  };
}

export async function userInfo(
  services: Services,
  keys: Promise<SigningKeys>,
  tokens: CognitoTokens,
  issuerOf: (poolId: string) => string,
  authorization: string | undefined,
): Promise<UserInfoReply> {
  const token = /^Bearer\s+(\S+)\s*$/i.exec(authorization ?? '')?.[1];
  if (!token)
    return {
      status: 400,
      body: {
        error: 'invalid_request',
        error_description: 'An access token is required: Authorization: Bearer <token>',
      },
      headers: { 'www-authenticate': 'Bearer' },
    };
  const checked = await checkAccessToken(services, keys, tokens, issuerOf, token);
  if (!checked.ok)
    return invalidToken(
      { invalid: 'Invalid access token', expired: 'Access token is expired', revoked: 'Access token has been revoked' }[
        checked.refusal
      ],
    );
  const scopes = checked.claims.scope.split(' ');
  if (!scopes.includes('openid')) return invalidToken('Access token does not contain openid scope');

  const attributes = Object.fromEntries(
    checked.user.Attributes.filter((a) => a.Name && a.Value !== undefined).map((a) => [
      a.Name as string,
      a.Value as string,
    ]),
  );
  // openid alone releases every attribute; with profile, email or phone, only those groups.
  const narrowed = scopes.filter((scope) => Object.hasOwn(BY_SCOPE, scope));
  const released =
    narrowed.length === 0
      ? Object.keys(attributes)
      : narrowed
          .flatMap((scope) => BY_SCOPE[scope])
          .concat(Object.keys(attributes).filter((name) => name.startsWith('custom:')));
  const body: Record<string, string> = {};
  for (const name of released) if (attributes[name] !== undefined) body[name] = attributes[name];
  body.sub = attributes.sub ?? checked.user.Username;
  body.username = checked.user.Username;
  return { status: 200, body, headers: {} };
}
