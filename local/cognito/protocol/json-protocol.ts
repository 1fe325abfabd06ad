// The Cognito Identity Provider API as AWS serves it (JSON 1.1 protocol): POST / with
// `X-Amz-Target: AWSCognitoIdentityProviderService.<Operation>`. Errors are status 400 with the code in
// both the `x-amzn-errortype` header and `__type`; bad input never becomes a 500.
import { CognitoError, UnsupportedError, silentContext } from '../wiring/cognito-local-core';
import type { JsonObject } from './request-fields';
import type { OperationRouter } from '../wiring/target-guards';

const SERVICE = 'AWSCognitoIdentityProviderService';
const CONTENT_TYPE = 'application/x-amz-json-1.1';

export interface JsonReply {
  status: number;
  headers: Record<string, string>;
  body: string;
}

function errorReply(code: string, message: string): JsonReply {
  return {
    status: 400,
    headers: { 'content-type': CONTENT_TYPE, 'x-amzn-errortype': code },
    body: JSON.stringify({ __type: code, message }),
  };
}

/** Dates as epoch seconds, as the protocol sends timestamps. */
function protocolJson(value: object): string {
  return JSON.stringify(value, function replace(this: Record<string, unknown>, key: string, raw: unknown) {
    const original = this[key];
    return original instanceof Date ? Math.floor(original.getTime() / 1000) : raw;
  });
}

function operationOf(target: string | string[] | undefined): string | undefined {
  if (typeof target !== 'string') return undefined;
  const [service, operation] = target.split('.');
  return service === SERVICE && operation ? operation : undefined;
}

export async function handleJsonRequest(
  router: OperationRouter,
  target: string | string[] | undefined,
  bodyText: string,
): Promise<JsonReply> {
  const operation = operationOf(target);
  if (!operation || !router.supports(operation))
    return errorReply('UnknownOperationException', `Unknown operation ${String(target ?? '(no X-Amz-Target)')}`);
  let request: unknown;
  try {
    request = bodyText.trim() === '' ? {} : JSON.parse(bodyText);
  } catch {
    return errorReply('SerializationException', 'The request body is not valid JSON.');
  }
  if (typeof request !== 'object' || request === null || Array.isArray(request))
    return errorReply('SerializationException', 'The request body must be a JSON object.');
  try {
    const response = await router.route(operation)(silentContext, request as JsonObject);
    return { status: 200, headers: { 'content-type': CONTENT_TYPE }, body: protocolJson(response) };
  } catch (error) {
    if (error instanceof CognitoError) return errorReply(error.code, error.message);
    if (error instanceof UnsupportedError)
      return errorReply('UnsupportedOperationException', `Not supported by the local Cognito: ${error.message}`);
    // cognito-local validates few members and fails on a missing one with a TypeError; that is bad input
    // (Cognito: InvalidParameterException), and the message says what was wrong.
    return errorReply(
      'InvalidParameterException',
      `Invalid ${operation} request: ${error instanceof Error ? error.message : String(error)}`,
    );
  }
}
