// Reads an HTTP API's root `x-amazon-apigateway-cors` into the model, refusing what API Gateway refuses at
// import. Field names and examples: API Gateway developer guide, "Configure CORS for HTTP APIs"; the
// credentials rule is AWS's own import error (BadRequestException "allow-credentials is not supported if
// 'allow-origin' is *", reported in aws/aws-cdk#9076).
import type { ApiKind, CorsConfiguration, Json, JsonObject } from './types';
import { pointerOf, type ProblemList } from './problems';

const EXTENSION = 'x-amazon-apigateway-cors';
const LISTS = ['allowOrigins', 'allowMethods', 'allowHeaders', 'exposeHeaders'] as const;
/** apigatewayv2 Cors.MaxAge: -1 (no caching) up to a day. */
const MAX_AGE = { min: -1, max: 86400 };

function isObject(v: Json | undefined): v is JsonObject {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

export function readCors(doc: JsonObject, kind: ApiKind, problems: ProblemList): CorsConfiguration | undefined {
  const ext = doc[EXTENSION];
  if (ext === undefined) return undefined;
  const at = (...s: string[]) => pointerOf(EXTENSION, ...s);
  if (kind === 'rest') {
    problems.warning(
      'cors-on-rest-api',
      at(),
      `${EXTENSION} configures HTTP APIs; a REST API (cognito_user_pools authorizer) ignores it, so preflights reach the API's own methods.`,
      'Remove the extension and define OPTIONS methods that answer with the CORS headers, or make the API an HTTP API (jwt authorizer).',
    );
    return undefined;
  }
  if (!isObject(ext)) {
    problems.error(
      'cors-shape',
      at(),
      `${EXTENSION} is ${JSON.stringify(ext)}, not an object.`,
      'Write an object, e.g. { allowOrigins: ["https://app.example.com"], allowMethods: ["GET"], allowHeaders: ["authorization"] }.',
    );
    return undefined;
  }
  const lists = {} as Record<(typeof LISTS)[number], string[]>;
  for (const name of LISTS) {
    const value = ext[name];
    if (value === undefined) lists[name] = [];
    else if (Array.isArray(value) && value.every((v) => typeof v === 'string')) lists[name] = value as string[];
    else {
      problems.error(
        'cors-shape',
        at(name),
        `${name} is ${JSON.stringify(value)}, not a list of strings.`,
        `Write ${name} as a list, e.g. ${name}: ["${name === 'allowMethods' ? 'GET' : name === 'allowOrigins' ? 'https://app.example.com' : 'authorization'}"].`,
      );
      lists[name] = [];
    }
  }
  const credentials = ext.allowCredentials;
  if (credentials !== undefined && typeof credentials !== 'boolean')
    problems.error(
      'cors-shape',
      at('allowCredentials'),
      `allowCredentials is ${JSON.stringify(credentials)}, not true or false.`,
      'Write allowCredentials: true (or false).',
    );
  const allowCredentials = credentials === true;
  if (allowCredentials && lists.allowOrigins.includes('*'))
    problems.error(
      'cors-credentials-any-origin',
      at('allowOrigins'),
      'allowCredentials is true and allowOrigins holds "*": API Gateway refuses the import (allow-credentials is not supported if \'allow-origin\' is *).',
      'List the origins that may send credentials, e.g. allowOrigins: ["https://app.example.com"], or set allowCredentials: false.',
    );
  const maxAge = ext.maxAge;
  if (
    maxAge !== undefined &&
    !(typeof maxAge === 'number' && Number.isInteger(maxAge) && maxAge >= MAX_AGE.min && maxAge <= MAX_AGE.max)
  )
    problems.error(
      'cors-max-age',
      at('maxAge'),
      `maxAge ${JSON.stringify(maxAge)} is not a whole number of seconds from ${MAX_AGE.min} to ${MAX_AGE.max}.`,
      'Use e.g. maxAge: 300 (-1 turns preflight caching off).',
    );
  return { ...lists, maxAge: typeof maxAge === 'number' ? maxAge : undefined, allowCredentials };
}
