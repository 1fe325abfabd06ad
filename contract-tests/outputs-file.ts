// Reads the outputs the harness runs against: the file `cdktf output --outputs-file` writes (keyed by stack)
// or the flat one `gatehouse local` writes, with single values overridden from the command line.
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { ClientOutput, PoolOutput, StackOutputs } from '../stack/outputs';
import { customDomainOutputs } from './custom-domain';
import { harnessInputError, pointerUnder, received } from './errors';

export interface OutputOverrides {
  apiUrl?: string;
  userPoolId?: string;
  /** Id of the app client to sign the test user in with. */
  clientId?: string;
}

/** The name the harness gives a `--client-id` that is not among the outputs' clients. */
export const CLI_CLIENT_NAME = '--client-id';

type Raw = Record<string, unknown>;

const WRITTEN_BY = 'Pass the JSON file written by `cdktf output --outputs-file` or `gatehouse local`.';
/** The flag that overrides each output, for problems with the flag's value. */
const OVERRIDE_FLAGS: Record<string, string> = { api_url: '--api-url', user_pool_id: '--user-pool-id' };

function isObject(v: unknown): v is Raw {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** cdktf writes complex outputs as objects, but a module may have passed them through jsonencode(). */
function decoded(value: unknown): unknown {
  if (typeof value === 'string' && /^\s*[[{]/.test(value)) {
    try {
      return JSON.parse(value);
    } catch {
      return value;
    }
  }
  return value;
}

/**
 * @param stack the stack, when the file holds several (cdktf output --outputs-file keys by stack)
 * @param api the SecuredApi's construct id, when the stack holds several
 */
export function readOutputsFile(
  file: string,
  stack?: string,
  api?: string,
): { outputs: Raw; stack?: string; pointer: string } {
  const absolute = path.resolve(file);
  let text: string;
  try {
    text = fs.readFileSync(absolute, 'utf8');
  } catch {
    throw harnessInputError(
      'outputs-file-missing',
      file,
      '',
      'No outputs file here.',
      `Write it with \`cdktf output --outputs-file ${file} --outputs-file-include-sensitive-outputs\` or \`gatehouse local --outputs ${file}\`, or pass the right path to --outputs.`,
    );
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    throw harnessInputError('outputs-file-not-json', file, '', `Not JSON (${(error as Error).message}).`, WRITTEN_BY);
  }
  if (!isObject(parsed))
    throw harnessInputError(
      'outputs-file-shape',
      file,
      '',
      `Expected a JSON object (received: ${received(parsed)}).`,
      WRITTEN_BY,
    );
  if (holdsOutputs(parsed)) {
    if (stack)
      throw harnessInputError(
        'outputs-stack',
        '--stack',
        '',
        `${file} holds the outputs of one stack, not outputs keyed by stack (received: ${stack}).`,
        'Drop --stack.',
      );
    return { outputs: parsed, pointer: '' };
  }
  const stacks = Object.keys(parsed).filter((k) => isObject(parsed[k]));
  let chosen: string;
  if (stack) {
    if (!isObject(parsed[stack]))
      throw harnessInputError(
        'outputs-stack',
        '--stack',
        '',
        `${file} holds no stack "${stack}" (stacks in the file: ${stacks.join(', ') || 'none'}).`,
        'Pass one of them to --stack.',
      );
    chosen = stack;
  } else if (stacks.length === 1) chosen = stacks[0];
  else if (stacks.length === 0)
    throw harnessInputError(
      'outputs-file-shape',
      file,
      '',
      'Holds neither outputs (api_url, user_pool_id, …) nor stacks.',
      `Deploy, then write the file with \`cdktf output --outputs-file ${file} --outputs-file-include-sensitive-outputs\`.`,
    );
  else
    throw harnessInputError(
      'outputs-stack',
      file,
      '',
      `Holds the outputs of several stacks (${stacks.join(', ')}).`,
      'Choose one with --stack <name>.',
    );
  // cdktf nests each stack's outputs by construct path (e.g. {"gatehouse-pets": {"api": {"outputs": {...}}}}),
  // following the "//".outputs map of cdk.tf.json: find the one object that holds ours.
  const all = objectsHoldingOutputs(parsed[chosen] as Raw, `/${escapePointer(chosen)}`);
  // cdktf nests a construct's outputs under its path: the API's construct id is one segment of the pointer.
  const found = api === undefined ? all : all.filter((f) => f.pointer.split('/').includes(escapePointer(api)));
  if (found.length === 1) return { outputs: found[0].outputs, stack: chosen, pointer: found[0].pointer };
  if (found.length === 0 && api !== undefined)
    throw harnessInputError(
      'outputs-api',
      '--api',
      '',
      `Stack "${chosen}" in ${file} holds no gatehouse API "${api}" (APIs: ${all.map((f) => f.pointer).join(', ') || 'none'}).`,
      'Pass the id of one of them (the SecuredApi construct id) to --api.',
    );
  if (found.length === 0)
    throw harnessInputError(
      'outputs-stack',
      file,
      `/${escapePointer(chosen)}`,
      `Stack "${chosen}" holds no gatehouse outputs (api_url, user_pool_id, …).`,
      'Pass the stack that deploys the SecuredApi construct with --stack, or write the file after `cdktf deploy` of it.',
    );
  throw harnessInputError(
    'outputs-api',
    file,
    `/${escapePointer(chosen)}`,
    `Holds several gatehouse APIs (${found.map((f) => f.pointer).join(', ')}).`,
    'Choose one with --api <construct id>.',
  );
}

function isHttpUrl(value: string): boolean {
  try {
    return ['http:', 'https:'].includes(new URL(value).protocol);
  } catch {
    return false;
  }
}

function holdsOutputs(value: Raw): boolean {
  return 'api_url' in value || 'user_pool_id' in value;
}

function escapePointer(segment: string): string {
  return segment.replace(/~/g, '~0').replace(/\//g, '~1');
}

function objectsHoldingOutputs(value: Raw, pointer: string): { outputs: Raw; pointer: string }[] {
  if (holdsOutputs(value)) return [{ outputs: value, pointer }];
  return Object.entries(value).flatMap(([key, child]) =>
    isObject(child) ? objectsHoldingOutputs(child, `${pointer}/${escapePointer(key)}`) : [],
  );
}

class FieldReader {
  constructor(
    private readonly file: string,
    private readonly raw: Raw,
    private readonly base: string,
  ) {}

  /** `what` is wrong at `field` (a key, or the path of keys to it) of these outputs. */
  private fail(field: string | string[], what: string): never {
    throw harnessInputError(
      'outputs-field',
      this.file,
      pointerUnder(this.base, ...(Array.isArray(field) ? field : [field])),
      what,
      'Deploy the gatehouse module (it writes every output) and write the file with --outputs-file-include-sensitive-outputs, or pass the value as a flag where one exists.',
    );
  }

  string(field: string, override?: string): string {
    if (override) return override;
    const v = this.raw[field];
    if (typeof v !== 'string' || v === '')
      this.fail(field, v === undefined ? 'Missing.' : `Expected a non-empty string (received: ${received(v)}).`);
    return v;
  }

  optionalString(field: string): string | undefined {
    const v = this.raw[field];
    return typeof v === 'string' ? v : undefined;
  }

  url(field: string, override?: string): string {
    const v = this.string(field, override);
    if (!isHttpUrl(v)) {
      if (override)
        throw harnessInputError(
          'flag-url',
          OVERRIDE_FLAGS[field] ?? field,
          '',
          `Not an absolute http or https URL (received: ${received(v)}).`,
          'Pass an absolute URL such as https://abc123.execute-api.eu-west-1.amazonaws.com/prod.',
        );
      this.fail(field, `Not an absolute http or https URL (received: ${received(v)}).`);
    }
    return v.replace(/\/+$/, '');
  }

  object(field: string, optional = false): Raw | undefined {
    const v = decoded(this.raw[field]);
    if (v === undefined && optional) return undefined;
    if (!isObject(v)) this.fail(field, v === undefined ? 'Missing.' : `Expected an object (received: ${received(v)}).`);
    return v;
  }

  clients(): Record<string, ClientOutput> {
    const raw = this.object('clients') as Raw;
    const out: Record<string, ClientOutput> = {};
    for (const [name, c] of Object.entries(raw)) {
      const at = ['clients', name];
      if (!isObject(c) || typeof c.id !== 'string')
        this.fail(at, `Expected {id, has_secret, auth_flows, oauth_flows, oauth_scopes} (received: ${received(c)}).`);
      const list = (key: string): string[] => {
        const v = decoded(c[key]);
        if (v === undefined || v === null) return [];
        if (!Array.isArray(v) || v.some((x) => typeof x !== 'string'))
          this.fail([...at, key], `Expected a list of strings (received: ${received(v)}).`);
        return v as string[];
      };
      out[name] = {
        id: c.id,
        has_secret: c.has_secret === true || c.has_secret === 'true',
        auth_flows: list('auth_flows'),
        oauth_flows: list('oauth_flows'),
        oauth_scopes: list('oauth_scopes'),
        callback_urls: list('callback_urls'),
      };
    }
    return out;
  }

  secrets(): Record<string, string> {
    const raw = this.object('client_secrets', true) ?? {};
    const out: Record<string, string> = {};
    for (const [name, v] of Object.entries(raw)) {
      if (typeof v !== 'string')
        this.fail(
          ['client_secrets', name],
          `Expected a string, as --outputs-file-include-sensitive-outputs writes it (received: ${received(v)}).`,
        );
      out[name] = v;
    }
    return out;
  }

  pool(overrides: { userPoolId?: string } = {}): PoolOutput {
    const userPoolId = this.string('user_pool_id', overrides.userPoolId);
    const issuer = this.url('issuer');
    return {
      user_pool_id: userPoolId,
      user_pool_arn: this.optionalString('user_pool_arn') ?? '',
      issuer,
      jwks_url: this.optionalString('jwks_url') ? this.url('jwks_url') : `${issuer}/.well-known/jwks.json`,
      cognito_endpoint: this.url('cognito_endpoint'),
      token_endpoint: this.optionalString('token_endpoint') ? this.url('token_endpoint') : '',
      clients: this.clients(),
    };
  }
}

/** Validated outputs, with the command line's overrides applied. */
export function parseOutputs(raw: Raw, file: string, overrides: OutputOverrides = {}, base = ''): StackOutputs {
  const reader = new FieldReader(file, raw, base);
  const pool = reader.pool({ userPoolId: overrides.userPoolId });
  const apiKind = reader.string('api_kind');
  if (apiKind !== 'rest' && apiKind !== 'http')
    throw harnessInputError(
      'outputs-field',
      file,
      `${base}/api_kind`,
      `Neither "rest" nor "http" (received: ${received(apiKind)}).`,
      'Use the outputs the gatehouse module wrote.',
    );
  const outputs: StackOutputs = {
    ...pool,
    api_url: reader.url('api_url', overrides.apiUrl),
    api_kind: apiKind,
    stage: reader.optionalString('stage') ?? '',
    region: reader.optionalString('region') ?? regionOfPool(pool.user_pool_id),
    hosted_ui_domain: reader.optionalString('hosted_ui_domain') ?? '',
    hosted_ui_sign_in_url: reader.optionalString('hosted_ui_sign_in_url') ?? '',
    ...customDomainOutputs(raw, file, base),
    client_secrets: reader.secrets(),
  };
  const extra = reader.object('extra_pools', true);
  if (extra) {
    outputs.extra_pools = {};
    for (const [arn, value] of Object.entries(extra)) {
      if (!isObject(value))
        throw harnessInputError(
          'outputs-field',
          file,
          pointerUnder(base, 'extra_pools', arn),
          `Expected a pool object (received: ${received(value)}).`,
          'Use the outputs the local stack wrote.',
        );
      const poolReader = new FieldReader(file, value, `${base}/extra_pools/${escapePointer(arn)}`);
      outputs.extra_pools[arn] = { ...poolReader.pool(), user_pool_arn: arn, client_secrets: poolReader.secrets() };
    }
  }
  if (overrides.clientId && !Object.values(outputs.clients).some((c) => c.id === overrides.clientId)) {
    // A client the outputs do not list: assume a public client for people, which is what --client-id is for.
    outputs.clients[CLI_CLIENT_NAME] = {
      id: overrides.clientId,
      has_secret: false,
      auth_flows: ['USER_PASSWORD_AUTH'],
      oauth_flows: [],
      oauth_scopes: [],
      callback_urls: [],
    };
  }
  return outputs;
}

/** Pool ids are `<region>_<id>`. */
function regionOfPool(userPoolId: string): string {
  return userPoolId.includes('_') ? userPoolId.split('_')[0] : 'us-east-1';
}

export function loadOutputs(
  file: string,
  options: { stack?: string; api?: string; overrides?: OutputOverrides } = {},
): StackOutputs {
  return loadOutputsAt(file, options).outputs;
}

/** The outputs and the pointer to them in the file ('' for a flat file), for problems found later. */
export function loadOutputsAt(
  file: string,
  options: { stack?: string; api?: string; overrides?: OutputOverrides } = {},
): { outputs: StackOutputs; pointer: string } {
  const { outputs, pointer } = readOutputsFile(file, options.stack, options.api);
  return { outputs: parseOutputs(outputs, file, options.overrides, pointer), pointer };
}
