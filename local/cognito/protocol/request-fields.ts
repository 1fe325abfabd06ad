// Reading members of an untrusted JSON request: a member of the wrong type counts as absent, so a bad
// request gets Cognito's error rather than a crash.
import { CognitoError } from '../wiring/cognito-local-core';

export type JsonObject = Record<string, unknown>;

export function stringField(obj: JsonObject | undefined, key: string): string | undefined {
  const value = obj?.[key];
  return typeof value === 'string' ? value : undefined;
}

export function objectField(obj: JsonObject | undefined, key: string): JsonObject | undefined {
  const value = obj?.[key];
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as JsonObject) : undefined;
}

export function stringListField(obj: JsonObject | undefined, key: string): string[] | undefined {
  const value = obj?.[key];
  return Array.isArray(value) && value.every((v) => typeof v === 'string') ? value : undefined;
}

export function cognitoError(code: string, message: string): CognitoError {
  return new CognitoError(code, message);
}

/** Cognito's answer to a missing required member (AWS's validation wording). */
export function requireString(
  obj: JsonObject,
  key: string,
  member = key.charAt(0).toLowerCase() + key.slice(1),
): string {
  const value = stringField(obj, key);
  if (value === undefined || value === '')
    throw cognitoError(
      'InvalidParameterException',
      `1 validation error detected: Value null at '${member}' failed to satisfy constraint: Member must not be null`,
    );
  return value;
}
