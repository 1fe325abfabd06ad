// The credentials a team gives the harness in its config (the project file's `contract` key), so that the
// positive checks of operations behind a Lambda authorizer or an API key run too:
//
// contract:
//   apiKey: { env: GATEHOUSE_API_KEY }   # sent as x-api-key; a literal works too (AWS keys are 20-128 chars)
//   lambdaAuthorizers:
//     TokenAuth:                         # the securitySchemes key of the authorizer
//       headers: { Authorization: { env: GATEHOUSE_TOKEN_AUTH } }
//     RequestAuth:
//       headers: { X-Tenant: acme }
//       query: { user: ada }
//
// Each value is a literal string or `{ env: NAME }`, read from the environment when the run starts (secrets
// belong in CI secrets, not in the file). Every problem is reported at once, each at its path in the file.
// The values are secrets: the harness registers them with its redactor (harness.ts), and no problem here
// quotes one.
import type { ApiModel, LambdaAuthorizer } from '../openapi/model/types';
import { pointerOf, ProblemList } from '../openapi/model/problems';
import { HarnessInputError, received } from './errors';

/** The identity a Lambda authorizer's function accepts: values of its header and query identity sources. */
export interface LambdaIdentity {
  /** Header name as written -> value. */
  headers: Record<string, string>;
  query: Record<string, string>;
}

export interface ContractCredentials {
  /** Sent as x-api-key on the checks that expect success. */
  apiKey?: string;
  /** By the authorizer's securitySchemes key. */
  lambdaAuthorizers: Record<string, LambdaIdentity>;
}

/** The config paths that would give each credential, for the "not run" reasons that lack it. */
export const API_KEY_PATH = 'contract.apiKey';
export const lambdaIdentityPath = (authorizer: string) => `contract.lambdaAuthorizers.${authorizer}`;

/** A check's identity in words: the config path and the names it sends, never a value. */
export function describeIdentity(authorizer: string, headers: string[], query: string[]): string {
  const sent = [...headers.map((h) => `header ${h}`), ...query.map((q) => `query ${q}`)];
  return `the identity ${lambdaIdentityPath(authorizer)} gives${sent.length > 0 ? ` (${sent.join(', ')})` : ''}`;
}

/** API Gateway API keys: "at least 20 characters" and at most 128 (CreateApiKey's value). */
const API_KEY_LENGTH = { min: 20, max: 128 };

export const CREDENTIAL_KEYS = ['apiKey', 'lambdaAuthorizers'];

type Source = { in: 'header' | 'query'; name: string };

/**
 * A header or query identity source (REST `method.request.header.X`, `...querystring.X` and their multivalue
 * forms; HTTP `$request.header.X`, `$request.querystring.X`); undefined for the others (context, stage
 * variables), which API Gateway fills in itself.
 */
export function sourceOf(identitySource: string): Source | undefined {
  const m = /^(?:method\.request\.|\$request\.)(header|querystring|multivalueheader|multivaluequerystring)\.(.+)$/.exec(
    identitySource.trim(),
  );
  if (!m) return undefined;
  return { in: m[1].endsWith('header') ? 'header' : 'query', name: m[2] };
}

/** "header X-Tenant, query user": what an authorizer reads, for hints and problems. */
function describeSources(authorizer: LambdaAuthorizer): string {
  return authorizer.identitySources.length === 0 ? 'none' : authorizer.identitySources.join(', ');
}

/** `headers: { X-Pass: <value> }, query: { badge: <value> }`: the entry an authorizer needs, for the not-run reason. */
export function identityHint(authorizer: LambdaAuthorizer): string {
  const sources = authorizer.identitySources.map(sourceOf).filter((s): s is Source => s !== undefined);
  const part = (where: 'header' | 'query', key: string) => {
    const names = sources.filter((s) => s.in === where).map((s) => `${s.name}: <value>`);
    return names.length > 0 ? [`${key}: { ${names.join(', ')} }`] : [];
  };
  const parts = [...part('header', 'headers'), ...part('query', 'query')];
  return parts.length > 0 ? parts.join(', ') : 'headers: { <name>: <value> } and/or query: { <name>: <value> }';
}

/** Adds a problem at `pointer` (quoting only the length) unless `key` is as long as an API Gateway key can be. */
function apiKeyLengthOk(key: string, problems: ProblemList, pointer: string): boolean {
  if (key.length >= API_KEY_LENGTH.min && key.length <= API_KEY_LENGTH.max) return true;
  problems.error(
    'config-api-key',
    pointer,
    `An API Gateway API key is ${API_KEY_LENGTH.min} to ${API_KEY_LENGTH.max} characters (received: ${key.length} characters).`,
    'Give the value of an API key of a usage plan of the stage (API Gateway console: API keys, Show).',
  );
  return false;
}

/**
 * `--api-key-env NAME`: the API key from the environment variable NAME, in place of the config's
 * contract.apiKey (a flag holding the key itself would leave it in shell histories and process lists).
 */
export function apiKeyFromFlag(name: string, env: NodeJS.ProcessEnv): string {
  const problems = new ProblemList('--api-key-env');
  const key = env[name];
  if (key === undefined || key === '')
    problems.error(
      'api-key-env',
      '',
      `The environment variable ${name} is ${key === undefined ? 'not set' : 'empty'}.`,
      `Set ${name} to the API key (e.g. from a CI secret), or leave --api-key-env out.`,
    );
  else apiKeyLengthOk(key, problems, '');
  if (problems.hasErrors) throw new HarnessInputError(problems.items);
  return key!;
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/**
 * The credentials written at `base` of `file` (`raw` being the whole `contract` mapping), resolved against
 * `env`. Throws one HarnessInputError with every problem.
 */
export function credentialsOf(
  raw: Record<string, unknown>,
  file: string,
  base: string,
  model: ApiModel,
  env: NodeJS.ProcessEnv,
): ContractCredentials {
  const problems = new ProblemList(file);
  const credentials: ContractCredentials = { lambdaAuthorizers: {} };

  /** A literal or `{ env: NAME }`; undefined (a problem added) when it cannot be had. */
  const secret = (value: unknown, pointer: string, what: string): string | undefined => {
    if (typeof value === 'string' || typeof value === 'number') {
      const text = String(value);
      if (text !== '') return text;
    } else if (isObject(value) && Object.keys(value).length === 1 && typeof value.env === 'string' && value.env) {
      const name = value.env;
      const found = env[name];
      if (found !== undefined && found !== '') return found;
      problems.error(
        'config-credential-env',
        `${base}${pointer}/env`,
        `The environment variable ${name} (${what}) is ${found === undefined ? 'not set' : 'empty'}.`,
        `Set ${name} before the run (e.g. from a CI secret), or write the value in place of { env: ${name} }.`,
      );
      return undefined;
    }
    problems.error(
      'config-credential',
      base + pointer,
      // The shape only: a malformed value may still be a secret.
      `Expected a non-empty string or { env: NAME } for ${what} (received: ${isObject(value) ? received(Object.keys(value)) + ' as keys' : typeof value === 'string' ? 'an empty string' : received(value)}).`,
      `Write the value, or { env: NAME } to read it from the environment variable NAME when the run starts.`,
    );
    return undefined;
  };

  if (raw.apiKey !== undefined) {
    const key = secret(raw.apiKey, '/apiKey', 'the API key');
    const pointer = `${base}/apiKey${isObject(raw.apiKey) ? '/env' : ''}`;
    if (key !== undefined && apiKeyLengthOk(key, problems, pointer)) credentials.apiKey = key;
  }

  const rawLambda = raw.lambdaAuthorizers;
  if (rawLambda !== undefined && !isObject(rawLambda))
    problems.error(
      'config-shape',
      `${base}/lambdaAuthorizers`,
      `Expected a mapping of Lambda authorizer -> identity (received: ${received(rawLambda)}).`,
      'Key each entry by the securitySchemes name of the authorizer: { <name>: { headers: {...}, query: {...} } }.',
    );
  const known = Object.values(model.lambdaAuthorizers);
  const listKnown = () =>
    known.length === 0
      ? `${model.file} has no Lambda authorizer.`
      : `Its Lambda authorizers: ${known.map((a) => `${a.name} (identity sources: ${describeSources(a)})`).join('; ')}.`;
  for (const [name, entry] of Object.entries(isObject(rawLambda) ? rawLambda : {})) {
    const at = pointerOf('lambdaAuthorizers', name);
    const authorizer = model.lambdaAuthorizers[name];
    if (!authorizer) {
      problems.error(
        'config-unknown-authorizer',
        base + at,
        `"${name}" is no Lambda authorizer of ${model.file}.`,
        `Key the entry by the securitySchemes name of a Lambda authorizer. ${listKnown()}`,
      );
      continue;
    }
    if (!isObject(entry) || Object.keys(entry).some((k) => k !== 'headers' && k !== 'query')) {
      problems.error(
        'config-shape',
        base + at,
        `Expected { headers: {...}, query: {...} } (received: ${isObject(entry) ? `keys ${received(Object.keys(entry))}` : received(entry)}).`,
        `Give the identity Lambda authorizer ${name} accepts in headers and/or query (its identity sources: ${describeSources(authorizer)}).`,
      );
      continue;
    }
    const sources = authorizer.identitySources.map(sourceOf);
    // An authorizer without identity sources hands its function the whole request: any header or query counts.
    const readsAnything = authorizer.identitySources.length === 0;
    const identity: LambdaIdentity = { headers: {}, query: {} };
    for (const where of ['headers', 'query'] as const) {
      const values = entry[where];
      if (values === undefined) continue;
      if (!isObject(values)) {
        problems.error(
          'config-shape',
          `${base}${at}/${where}`,
          `Expected a mapping of name -> value (received: ${typeof values}).`,
          `Write ${where}: { <name>: <value or { env: NAME }> }.`,
        );
        continue;
      }
      const kind = where === 'headers' ? 'header' : 'query';
      for (const [field, value] of Object.entries(values)) {
        const pointer = `${at}/${where}${pointerOf(field)}`;
        // Header names are case-insensitive, query string names are not (API Gateway passes them as sent).
        const matches = (s: Source | undefined) =>
          s?.in === kind && (kind === 'header' ? s.name.toLowerCase() === field.toLowerCase() : s.name === field);
        if (!readsAnything && !sources.some(matches)) {
          problems.error(
            'config-identity-source',
            base + pointer,
            `Lambda authorizer ${name} reads no ${kind} "${field}" (its identity sources: ${describeSources(authorizer)}).`,
            `Give a value for each ${kind} identity source of ${name}, and nothing else.`,
          );
          continue;
        }
        const v = secret(value, pointer, `${kind} ${field} of Lambda authorizer ${name}`);
        if (v !== undefined) identity[where][field] = v;
      }
    }
    // A request missing an identity source is refused (401) before the function runs: each must have a value.
    const missing = sources.filter(
      (s): s is Source =>
        s !== undefined &&
        !Object.keys(entry[s.in === 'header' ? 'headers' : 'query'] ?? {}).some((field) =>
          s.in === 'header' ? field.toLowerCase() === s.name.toLowerCase() : field === s.name,
        ),
    );
    if (missing.length > 0)
      problems.error(
        'config-identity-missing',
        base + at,
        `Lambda authorizer ${name} also reads ${missing.map((s) => `${s.in} ${s.name}`).join(', ')}: without ${missing.length === 1 ? 'it' : 'them'} API Gateway refuses the request (401) before the function runs.`,
        `Give ${identityHint(authorizer)}.`,
      );
    credentials.lambdaAuthorizers[name] = identity;
  }
  if (problems.hasErrors) throw new HarnessInputError(problems.items);
  return credentials;
}

/** Every value the credentials hold, as they may appear in output: sent, and percent-encoded in a URL. */
export function credentialSecrets(credentials: ContractCredentials): string[] {
  const values = [
    ...(credentials.apiKey !== undefined ? [credentials.apiKey] : []),
    ...Object.values(credentials.lambdaAuthorizers).flatMap((i) => [
      ...Object.values(i.headers),
      ...Object.values(i.query),
    ]),
  ];
  return values.flatMap((v) => [v, encodeURIComponent(v), new URLSearchParams({ v }).toString().slice(2)]);
}
