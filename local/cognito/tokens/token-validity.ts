// Token lifetimes as Cognito computes them: each of IdTokenValidity / AccessTokenValidity /
// RefreshTokenValidity in its TokenValidityUnits unit, with Cognito's defaults and allowed ranges
// (API reference, CreateUserPoolClient: access and ID tokens 5 minutes to 1 day, default 1 hour; refresh
// tokens 1 hour to 10 years, default 30 days; units default to hours, hours and days).
// cognito-local defaults the ID token's unit to minutes and checks no range; these guards correct both.
import type { AppClient } from '../wiring/cognito-local-core';
import { cognitoError, objectField, stringField, type JsonObject } from '../protocol/request-fields';
import type { Guard, TargetGuards } from '../wiring/target-guards';

export type TokenKind = 'AccessToken' | 'IdToken' | 'RefreshToken';
type Unit = 'seconds' | 'minutes' | 'hours' | 'days';

const UNIT_SECONDS: Record<Unit, number> = { seconds: 1, minutes: 60, hours: 3600, days: 86400 };
const DEFAULT_UNITS: Record<TokenKind, Unit> = { AccessToken: 'hours', IdToken: 'hours', RefreshToken: 'days' };
const DEFAULT_SECONDS: Record<TokenKind, number> = { AccessToken: 3600, IdToken: 3600, RefreshToken: 30 * 86400 };
const RANGE_SECONDS: Record<TokenKind, [number, number]> = {
  AccessToken: [300, 86400],
  IdToken: [300, 86400],
  RefreshToken: [3600, 3650 * 86400],
};
const VALIDITY_MEMBER: Record<TokenKind, 'AccessTokenValidity' | 'IdTokenValidity' | 'RefreshTokenValidity'> = {
  AccessToken: 'AccessTokenValidity',
  IdToken: 'IdTokenValidity',
  RefreshToken: 'RefreshTokenValidity',
};
const KINDS: readonly TokenKind[] = ['AccessToken', 'IdToken', 'RefreshToken'];

function isUnit(value: unknown): value is Unit {
  return typeof value === 'string' && Object.hasOwn(UNIT_SECONDS, value);
}

/** Seconds a token of this kind issued to this client lives. */
export function lifetimeSeconds(
  client: Pick<AppClient, 'AccessTokenValidity' | 'IdTokenValidity' | 'RefreshTokenValidity' | 'TokenValidityUnits'>,
  kind: TokenKind,
): number {
  const validity = client[VALIDITY_MEMBER[kind]];
  if (typeof validity !== 'number' || validity <= 0) return DEFAULT_SECONDS[kind];
  const unit = client.TokenValidityUnits?.[kind];
  return validity * UNIT_SECONDS[isUnit(unit) ? unit : DEFAULT_UNITS[kind]];
}

/** The request's units completed with the stored ones, then Cognito's defaults; refuses unknown units. */
function effectiveUnits(req: JsonObject, stored: AppClient['TokenValidityUnits'] | undefined): Record<TokenKind, Unit> {
  const requested = objectField(req, 'TokenValidityUnits');
  const units = {} as Record<TokenKind, Unit>;
  for (const kind of KINDS) {
    const value = requested?.[kind] ?? stored?.[kind] ?? DEFAULT_UNITS[kind];
    if (!isUnit(value))
      throw cognitoError(
        'InvalidParameterException',
        `1 validation error detected: Value '${String(value)}' at 'tokenValidityUnits.${kind.charAt(0).toLowerCase()}${kind.slice(1)}' failed to satisfy constraint: Member must satisfy enum value set: [seconds, minutes, hours, days]`,
      );
    units[kind] = value;
  }
  return units;
}

function checkRanges(req: JsonObject, units: Record<TokenKind, Unit>): void {
  for (const kind of KINDS) {
    const validity = req[VALIDITY_MEMBER[kind]];
    if (validity === undefined || validity === null) continue;
    const seconds = typeof validity === 'number' ? validity * UNIT_SECONDS[units[kind]] : NaN;
    const [min, max] = RANGE_SECONDS[kind];
    if (!(seconds >= min && seconds <= max))
      throw cognitoError(
        'InvalidParameterException',
        `${VALIDITY_MEMBER[kind]} ${String(validity)} ${units[kind]} is outside the allowed range of ${min / 60} minutes to ${max / 86400} days.`,
      );
  }
}

const checkedClientValidity: Guard = (next, services) => async (ctx, req) => {
  const clientId = stringField(req, 'ClientId');
  const stored = clientId ? (await services.cognito.getAppClient(ctx, clientId))?.TokenValidityUnits : undefined;
  const units = effectiveUnits(req, stored);
  checkRanges(req, units);
  return next(ctx, { ...req, TokenValidityUnits: units });
};

/** Adds what Cognito returns with tokens: ExpiresIn (the access token's lifetime) and TokenType. */
const expiresInOfTokens: Guard = (next, services) => async (ctx, req) => {
  const response = (await next(ctx, req)) as { AuthenticationResult?: JsonObject };
  const result = response.AuthenticationResult;
  const clientId = stringField(req, 'ClientId');
  if (result?.AccessToken && clientId) {
    const client = await services.cognito.getAppClient(ctx, clientId);
    if (client) Object.assign(result, { ExpiresIn: lifetimeSeconds(client, 'AccessToken'), TokenType: 'Bearer' });
  }
  return response;
};

export const tokenValidityGuards: TargetGuards = {
  CreateUserPoolClient: checkedClientValidity,
  UpdateUserPoolClient: checkedClientValidity,
  InitiateAuth: expiresInOfTokens,
  AdminInitiateAuth: expiresInOfTokens,
  RespondToAuthChallenge: expiresInOfTokens,
  AdminRespondToAuthChallenge: expiresInOfTokens,
};
