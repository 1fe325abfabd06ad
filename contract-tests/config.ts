// The harness's optional config file (e.g. gatehouse.contract.yaml): request values per operation where
// the document's examples are not enough (an id that exists in this environment, a body the backend accepts).
//
// operations:
//   getPet:                 # operationId, or "METHOD /path"
//     path: { petId: 7 }
//     query: { type: cat }
//     headers: { X-Tenant: acme }
//     body: { type: dog, price: 10 }
//     method: POST          # for x-amazon-apigateway-any-method operations (default GET)
// tokenStore: .gatehouse/tokens.json   # the token store (token-store.ts), relative to this file
// apiKey: { env: GATEHOUSE_API_KEY }    # credentials for the positive checks behind API keys and
// lambdaAuthorizers: { TokenAuth: { headers: { Authorization: allow-ci } } }  # Lambda authorizers (credentials.ts)
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parseDocument } from 'yaml';
import { pointerOf } from '../openapi/model/problems';
import type { ApiModel, Json, Operation } from '../openapi/model/types';
import { CREDENTIAL_KEYS, credentialsOf, type ContractCredentials } from './credentials';
import { harnessInputError, received } from './errors';

export interface OperationValues {
  path?: Record<string, string>;
  query?: Record<string, string>;
  headers?: Record<string, string>;
  body?: Json;
  method?: string;
}

export interface HarnessConfig {
  file?: string;
  operations: Record<string, OperationValues>;
  /** The token store's path, resolved against the file's folder. */
  tokenStore?: string;
  /** The API key and Lambda identities the positive checks send, resolved from the environment. */
  credentials: ContractCredentials;
}

const OPERATION_KEYS = ['path', 'query', 'headers', 'body', 'method'];
const METHODS = ['GET', 'PUT', 'POST', 'DELETE', 'OPTIONS', 'HEAD', 'PATCH'];

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

export function operationKeys(op: Operation): string[] {
  return [op.id, ...(op.operationId ? [op.operationId] : []), `${op.method} ${op.path}`];
}

const TOP_KEYS = ['operations', 'tokenStore', ...CREDENTIAL_KEYS];

export function loadHarnessConfig(
  file: string | undefined,
  model: ApiModel,
  env: NodeJS.ProcessEnv = process.env,
): HarnessConfig {
  if (!file) return { operations: {}, credentials: { lambdaAuthorizers: {} } };
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch {
    throw harnessInputError(
      'config-file-missing',
      file,
      '',
      'No config file here.',
      'Pass the path of a YAML file to --config, or leave --config out.',
    );
  }
  const doc = parseDocument(text);
  if (doc.errors.length > 0)
    throw harnessInputError(
      'config-not-yaml',
      file,
      '',
      `Not valid YAML (${doc.errors[0].message.split('\n')[0]}).`,
      'Correct the YAML.',
    );
  return harnessValuesOf(doc.toJS(), file, '', model, env);
}

/**
 * The harness's values as written at `base` in `file`: a file of its own (base '') or the project file's
 * `contract` key (base '/contract'). Problems point into that file. Credentials given as `{ env: NAME }` are
 * read from `env`.
 */
export function harnessValuesOf(
  raw: unknown,
  file: string,
  base: string,
  model: ApiModel,
  env: NodeJS.ProcessEnv = process.env,
): HarnessConfig {
  const fail = (rule: string, pointer: string, what: string, fix: string): never => {
    throw harnessInputError(rule, file, base + pointer, what, fix);
  };
  if (raw === null || raw === undefined) return { file, operations: {}, credentials: { lambdaAuthorizers: {} } };
  if (!isObject(raw))
    return fail(
      'config-shape',
      '',
      `Expected a mapping with an "operations" key (received: ${received(raw)}).`,
      'Write operations: { <operationId>: { path: {...}, query: {...}, body: ... } }.',
    );
  for (const key of Object.keys(raw))
    if (!TOP_KEYS.includes(key))
      fail(
        'config-unknown-key',
        pointerOf(key),
        `Unknown key "${key}".`,
        `The top-level keys are ${TOP_KEYS.map((k) => `"${k}"`).join(', ')}.`,
      );
  const store = raw.tokenStore;
  if (store !== undefined && (typeof store !== 'string' || store.trim() === ''))
    fail(
      'config-token-store',
      '/tokenStore',
      `Expected the path of the token store file (received: ${received(store)}).`,
      'Write tokenStore: <file>, relative to this file, e.g. .gatehouse/tokens.json; keep it out of version control.',
    );
  const tokenStore = typeof store === 'string' ? path.resolve(path.dirname(file), store) : undefined;
  const operations: Record<string, OperationValues> = {};
  const rawOps = raw.operations ?? {};
  if (!isObject(rawOps))
    return fail(
      'config-shape',
      '/operations',
      `Expected a mapping of operation -> values (received: ${received(rawOps)}).`,
      'Key each entry by operationId or "METHOD /path".',
    );
  const known = new Map(model.operations.flatMap((op) => operationKeys(op).map((k) => [k, op] as const)));
  for (const [name, values] of Object.entries(rawOps)) {
    const at = pointerOf('operations', name);
    const op = known.get(name);
    if (!op)
      fail(
        'config-unknown-operation',
        at,
        `"${name}" is no operation of ${model.file}.`,
        `Use an operationId or "METHOD /path" (${model.operations.map((o) => o.id).join(', ')}).`,
      );
    if (!isObject(values))
      return fail(
        'config-shape',
        at,
        `Expected a mapping (received: ${received(values)}).`,
        'Give path, query, headers, body or method.',
      );
    for (const key of Object.keys(values))
      if (!OPERATION_KEYS.includes(key))
        fail('config-unknown-key', at + pointerOf(key), `Unknown key "${key}".`, `Use ${OPERATION_KEYS.join(', ')}.`);
    const stringMap = (key: 'path' | 'query' | 'headers'): Record<string, string> | undefined => {
      const v = values[key];
      if (v === undefined) return undefined;
      if (!isObject(v) || Object.values(v).some((x) => x === null || typeof x === 'object'))
        return fail(
          'config-shape',
          `${at}/${key}`,
          `Expected a mapping of name -> scalar value (received: ${received(v)}).`,
          `Write ${key}: { name: value }.`,
        );
      return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, String(x)]));
    };
    const method = values.method;
    if (method !== undefined && (typeof method !== 'string' || !METHODS.includes(method.toUpperCase())))
      fail(
        'config-method',
        `${at}/method`,
        `Not an HTTP method (received: ${received(method)}).`,
        `Use one of ${METHODS.join(', ')}.`,
      );
    if (method !== undefined && op!.method !== 'ANY' && String(method).toUpperCase() !== op!.method)
      fail(
        'config-method',
        `${at}/method`,
        `The operation is ${op!.method} ${op!.path}; only ANY operations take a method (received: ${received(method)}).`,
        'Remove method.',
      );
    operations[op!.id] = {
      path: stringMap('path'),
      query: stringMap('query'),
      headers: stringMap('headers'),
      body: values.body as Json | undefined,
      method: typeof method === 'string' ? method.toUpperCase() : undefined,
    };
  }
  const credentials = credentialsOf(raw, file, base, model, env);
  return { file, operations, ...(tokenStore !== undefined ? { tokenStore } : {}), credentials };
}
