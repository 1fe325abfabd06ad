// The project file (gatehouse.config.yaml): a team's props and harness values beside their document, so
// nothing of gatehouse or of the document needs editing. The props sit at the top level, named as
// SecuredApiProps names them, so a prop's problem points at the same path in the file as in the props.
//
//   spec: openapi/orders.yaml          # the document, relative to this file
//   stackName: orders                  # default: gatehouse-<title>
//   stageName: prod
//   userPool: { passwordPolicy: { minimumLength: 14 } }
//   clients: { web: {}, machine: { oauthFlows: [client_credentials] } }
//   functions: { orders: { sourceDir: lambda/orders, handler: index.handler } }
//   backends: { legacy: https://legacy.example.com }
//   local:                             # the local stack only; requests there carry real tokens, so:
//     backends: { legacy: http://127.0.0.1:8080 }                  # {{backend:legacy}} here, not the echo
//     urls: { "https://api.example.com/v1": http://127.0.0.1:9000 } # the document's URL prefix -> a local URL
//     forward: [https://staging.example.com]  # really called from here, tokens and all (default: none; a
//                                             # backend off this machine is answered by a stand-in)
//     apiKeys: [local-usage-key-0001-abcdef] # the API keys of the stage's usage plans (default: none, so every
//                                      # method requiring an API key is refused)
//   contract:                          # the harness's (contract-tests/config.ts and credentials.ts)
//     operations: { getOrder: { path: { id: 7 } } }
//     apiKey: { env: ORDERS_API_KEY }  # sent as x-api-key by the checks expecting success (or the key itself)
//     lambdaAuthorizers:               # the identity each Lambda authorizer (securitySchemes key) accepts
//       TokenAuth: { headers: { Authorization: { env: ORDERS_TOKEN } } }    # values: literal or { env: NAME }
//   variables: { OrdersFunctionArn: "{{lambda:orders}}" }  # the document's template variables (Terraform
//                                      # templatefile, CloudFormation Ref/GetAtt/Sub) -> placeholders or values
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parseDocument } from 'yaml';
import { z } from 'zod';
import { InputError, pointerOf, ProblemList } from '../openapi/model/problems';
import type { SecuredApiProps } from './props';
import { apiDomainShape, functionVpcShape } from './project-file-deployment';

export const PROJECT_FILE_NAMES = ['gatehouse.config.yaml', 'gatehouse.config.yml'];

// Shapes only: ranges and combinations are validate-props.ts's, which names the same paths.
const stringMap = z.record(z.string(), z.string());
const httpUrl = z.string().regex(/^https?:\/\/[^/?#\s]+/, 'Expected an http(s) URL');
const passwordPolicy = z.strictObject({
  minimumLength: z.int().optional(),
  requireLowercase: z.boolean().optional(),
  requireUppercase: z.boolean().optional(),
  requireNumbers: z.boolean().optional(),
  requireSymbols: z.boolean().optional(),
  temporaryPasswordValidityDays: z.int().optional(),
});
const userPool = z.strictObject({
  name: z.string().optional(),
  signInAttributes: z.array(z.enum(['email', 'phone_number', 'username'])).optional(),
  passwordPolicy: passwordPolicy.optional(),
  mfa: z.enum(['OFF', 'OPTIONAL', 'ON']).optional(),
  accountRecovery: z.enum(['email', 'phone', 'none']).optional(),
  verificationMessage: z
    .strictObject({
      emailSubject: z.string().optional(),
      emailMessage: z.string().optional(),
      smsMessage: z.string().optional(),
    })
    .optional(),
  adminOnlySignUp: z.boolean().optional(),
  deletionProtection: z.boolean().optional(),
  tokenValidity: z
    .strictObject({
      accessTokenMinutes: z.int().optional(),
      idTokenMinutes: z.int().optional(),
      refreshTokenDays: z.int().optional(),
    })
    .optional(),
  featurePlan: z.enum(['LITE', 'ESSENTIALS', 'PLUS']).optional(),
  signInPolicy: z
    .strictObject({ allowedFirstAuthFactors: z.array(z.enum(['PASSWORD', 'EMAIL_OTP', 'SMS_OTP', 'WEB_AUTHN'])) })
    .optional(),
});
const appClient = z.strictObject({
  generateSecret: z.boolean().optional(),
  explicitAuthFlows: z
    .array(
      z.enum([
        'USER_PASSWORD_AUTH',
        'USER_SRP_AUTH',
        'REFRESH_TOKEN_AUTH',
        'ADMIN_USER_PASSWORD_AUTH',
        'CUSTOM_AUTH',
        'USER_AUTH',
      ]),
    )
    .optional(),
  oauthFlows: z.array(z.enum(['code', 'implicit', 'client_credentials'])).optional(),
  oauthScopes: z.array(z.string()).optional(),
  callbackUrls: z.array(z.string()).optional(),
  logoutUrls: z.array(z.string()).optional(),
  refreshTokenRotation: z
    .union([z.boolean(), z.strictObject({ retryGracePeriodSeconds: z.int().optional() })])
    .optional(),
});
const domain = z.union([
  z.strictObject({ prefix: z.string() }),
  z.strictObject({ customDomain: z.string(), certificateArn: z.string(), route53ZoneId: z.string() }),
]);
const lambdaFunction = z.strictObject({
  sourceDir: z.string(),
  handler: z.string().optional(),
  runtime: z.string().optional(),
  timeoutSeconds: z.int().optional(),
  memoryMb: z.int().optional(),
  environment: stringMap.optional(),
  vpc: functionVpcShape.optional(),
});
const projectFile = z.strictObject({
  spec: z.string().optional(),
  stackName: z.string().optional(),
  region: z.string().optional(),
  stageName: z.string().optional(),
  userPool: userPool.optional(),
  clients: z.record(z.string(), appClient).optional(),
  domain: domain.optional(),
  apiDomain: apiDomainShape.optional(),
  functions: z.record(z.string(), lambdaFunction).optional(),
  backends: stringMap.optional(),
  accessLogging: z.union([z.boolean(), z.strictObject({ retentionDays: z.int().optional() })]).optional(),
  tags: stringMap.optional(),
  local: z
    .strictObject({
      backends: z.record(z.string(), httpUrl).optional(),
      urls: z.record(httpUrl, httpUrl).optional(),
      forward: z.array(httpUrl).optional(),
      apiKeys: z.array(z.string().min(20).max(128)).optional(),
    })
    .optional(),
  /** Checked by the harness (contract-tests/config.ts), which knows the operations. */
  contract: z.unknown().optional(),
  /** Bound into the document when it is read (openapi/model/template-variables.ts). */
  variables: stringMap.optional(),
});

type ProjectFileShape = z.infer<typeof projectFile>;
type PropsInFile = Omit<ProjectFileShape, 'spec' | 'stackName' | 'region' | 'local' | 'contract' | 'variables'>;
// The compiler keeps the file's props and SecuredApiProps the same shape.
const propsAgree: (p: PropsInFile) => Omit<SecuredApiProps, 'spec'> = (p) => p;

export interface ProjectFile {
  /** Absolute path of the file. */
  file: string;
  /** The document, resolved against the file's folder. */
  spec?: string;
  stackName?: string;
  region?: string;
  /** The module's props (without `spec`); function folders resolved against the file's folder. */
  props: Omit<SecuredApiProps, 'spec'>;
  /** Where `{{backend:<name>}}` goes on the local stack, instead of the local echo backend. */
  localBackends: Record<string, string>;
  /** On the local stack: the document's backend URL prefixes -> local URLs replacing them. */
  localUrls: Record<string, string>;
  /** On the local stack: backend URL prefixes off this machine that are really called (opt-in; default none). */
  localForward: string[];
  /** On the local stack: the API keys of the stage's usage plans (API Gateway keys are 20 to 128 characters). */
  localApiKeys: string[];
  /** The harness's per-operation values, as written: the harness checks them against the document. */
  contract?: unknown;
  /** The document's template variables -> placeholders or values, for lintSpec / loadApiModel `{ variables }`. */
  variables: Record<string, string>;
}

/** The project file beside a document, when there is one. */
export function findProjectFile(specFile: string): string | undefined {
  const folder = path.dirname(path.resolve(specFile));
  return PROJECT_FILE_NAMES.map((name) => path.join(folder, name)).find((candidate) => fs.existsSync(candidate));
}

/** Reads and checks a project file; every problem at once, as an InputError naming the file and the path. */
export function loadProjectFile(file: string, cwd = process.cwd()): ProjectFile {
  const absolute = path.resolve(cwd, file);
  const problems = new ProblemList(file);
  let text: string;
  try {
    text = fs.readFileSync(absolute, 'utf8');
  } catch {
    problems.error(
      'config-file-missing',
      '',
      'No project file here.',
      'Pass the path of gatehouse.config.yaml to --config.',
    );
    throw new InputError(problems.items);
  }
  const document = parseDocument(text);
  if (document.errors.length > 0) {
    for (const error of document.errors)
      problems.error('config-not-yaml', '', `Not YAML: ${error.message}`, 'Fix the YAML at the line given.');
    throw new InputError(problems.items);
  }
  const parsed = projectFile.safeParse(document.toJS() ?? {});
  if (!parsed.success) {
    for (const issue of parsed.error.issues) {
      const segments = issue.path.map((s) => (typeof s === 'symbol' ? String(s) : s));
      if (issue.code === 'unrecognized_keys')
        for (const key of issue.keys)
          problems.error(
            'config-unknown-key',
            pointerOf(...segments, key),
            `"${key}" is no key of the project file here.`,
            `Remove it, or use one of ${knownKeysAt(segments).join(', ')}.`,
          );
      else
        problems.error(
          'config-value',
          pointerOf(...segments),
          `${issue.message} (received: ${JSON.stringify(valueAt(document.toJS(), segments)) ?? 'nothing'}).`,
          'Write the value the README lists for this key.',
        );
    }
    throw new InputError(problems.items);
  }
  const folder = path.dirname(absolute);
  const { spec, stackName, region, local, contract, variables, ...inFile } = parsed.data;
  const written = propsAgree(inFile);
  const props = written.functions
    ? {
        ...written,
        functions: Object.fromEntries(
          Object.entries(written.functions).map(([name, f]) => [
            name,
            { ...f, sourceDir: path.relative(cwd, path.resolve(folder, f.sourceDir)) || '.' },
          ]),
        ),
      }
    : written;
  return {
    file: absolute,
    spec: spec === undefined ? undefined : path.resolve(folder, spec),
    stackName,
    region,
    props,
    localBackends: local?.backends ?? {},
    localUrls: local?.urls ?? {},
    localForward: local?.forward ?? [],
    localApiKeys: local?.apiKeys ?? [],
    contract,
    variables: variables ?? {},
  };
}

function valueAt(root: unknown, segments: (string | number)[]): unknown {
  let value = root;
  for (const s of segments) value = (value as Record<string | number, unknown> | undefined)?.[s];
  return value;
}

/** The keys the schema allows at a path, for the fix of an unknown key. */
function knownKeysAt(segments: (string | number)[]): string[] {
  let schema: z.ZodType = projectFile;
  for (const s of segments) {
    const def = unwrap(schema);
    if (def instanceof z.ZodObject) schema = def.shape[s as string] ?? def;
    else if (def instanceof z.ZodRecord) schema = def.valueType as z.ZodType;
    else if (def instanceof z.ZodArray) schema = def.element as z.ZodType;
  }
  const def = unwrap(schema);
  if (def instanceof z.ZodObject) return Object.keys(def.shape);
  if (def instanceof z.ZodUnion)
    return [
      ...new Set(
        (def.options as z.ZodType[]).flatMap((o) => {
          const option = unwrap(o);
          return option instanceof z.ZodObject ? Object.keys(option.shape) : [];
        }),
      ),
    ];
  return [];
}

function unwrap(schema: z.ZodType): z.ZodType {
  let current = schema;
  while (current instanceof z.ZodOptional) current = current.unwrap() as z.ZodType;
  return current;
}
