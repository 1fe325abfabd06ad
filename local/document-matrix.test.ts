// Documents as teams write them for their own toolchain (local/fixtures/matrix/), each run with nothing but
// its project file, the way `gatehouse start` runs it: lint, synth (cdk.tf.json, no Terraform binary), the
// local stack, the contract harness. One row per kind: Terraform templatefile, SAM short-form and
// CloudFormation long-form intrinsics; OpenAPI 2.0, 3.0 and 3.1; YAML and JSON; REST and HTTP APIs; every
// integration type (aws_proxy, aws as DynamoDB and as non-proxy Lambda, http with templates, http_proxy,
// mock); a generated 250-operation HTTP API sharing reusable integrations. No row edits its document or
// gatehouse. Every check passes, every secured operation gets a positive check, and nothing leaves 127.0.0.1.
import * as diagnostics from 'node:diagnostics_channel';
import * as fs from 'node:fs';
import type * as http from 'node:http';
import type * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import type { CheckCase } from '../contract-tests/expectations';
import type { ContractReport } from '../contract-tests/report';
import { runContract } from '../contract-tests/run';
import { LOCAL_CREDENTIALS } from '../contract-tests/testing/local-stack';
import { synth } from '../main';
import { lintSpec } from '../openapi/model/load';
import type { ApiModel, Json, SpecFormat } from '../openapi/model/types';
import type { ProjectFile } from '../stack/project-file';
import { chooseProject, localStackInputs } from '../stack/project';
import { writeLargeHttpApi } from './fixtures/matrix/large-http-api';
import { isLoopbackHost } from './gateway/outbound';
import { startLocalStack, type LocalStack } from './stack';

const MATRIX = path.join(__dirname, 'fixtures', 'matrix');
const FUNCTIONS = path.join(MATRIX, 'functions');
const credentials = async () => LOCAL_CREDENTIALS;

let workDir: string;
beforeAll(() => {
  workDir = fs.mkdtempSync(path.join(os.tmpdir(), 'gatehouse-matrix-'));
});
afterAll(() => fs.rmSync(workDir, { recursive: true, force: true }));

interface MatrixRow {
  /** The kind of document, as the test title. */
  name: string;
  /** The project file, relative to local/fixtures/matrix; or one written into a folder given. */
  config: string | ((dir: string) => string);
  format: SpecFormat;
  kind: 'rest' | 'http';
  /** Each operation's integration type in the model. */
  integrations: Record<string, string>;
  /** Lint warnings as [rule, pointer]: every one is expected. */
  warnings?: [string, string][];
  /** Fields of the synthesized body a whole-field variable made a number (JSON pointer -> value). */
  numbers?: Record<string, number>;
  /** Fields that keep an AWS import variable for API Gateway (JSON pointer -> value in the model). */
  kept?: Record<string, string>;
  /** The project file's functions the document calls: each becomes an aws_lambda_function. */
  functions: string[];
  /** Operations a stand-in answers, with the reason listed at start. */
  standIns?: [string, string][];
  /** A valid token's answer, per operation, that only the real function, backend or template gives. */
  answers?: Record<string, RegExp>;
  /** Only these check cases (every case when absent). */
  cases?: CheckCase[];
}

const scopedWarning = (pointer: string): [string, string] => ['rest-scopes-need-access-token', pointer];

const ROWS: MatrixRow[] = [
  {
    name: 'Terraform templatefile, OpenAPI 3.0 YAML, REST: aws_proxy, http_proxy, mock',
    config: 'terraform-rest/gatehouse.config.yaml',
    format: 'openapi-3.0',
    kind: 'rest',
    integrations: {
      listOrders: 'aws_proxy',
      createOrder: 'aws_proxy',
      cancelOrder: 'aws_proxy',
      getCatalogItem: 'http_proxy',
      health: 'mock',
    },
    warnings: [
      scopedWarning('/paths/~1orders/get/security/0/OrdersPool'),
      scopedWarning('/paths/~1orders/post/security/0/OrdersPool'),
    ],
    numbers: {
      '/paths/~1orders/get/x-amazon-apigateway-integration/timeoutInMillis': 12000,
      '/components/schemas/NewOrder/properties/quantity/maximum': 99,
    },
    functions: ['orders'],
    answers: {
      listOrders: /"handledBy":"orders","route":"\/orders"/,
      getCatalogItem: /"echo":true,"method":"GET","url":"\/items\/kibble"/,
      health: /^\{"status": "up"\}$/,
    },
  },
  {
    name: 'SAM DefinitionBody (!Sub with and without a map, !GetAtt, !Ref, !Join), OpenAPI 3.0 YAML, REST: non-proxy Lambda with templates, DynamoDB, mock',
    config: 'sam-rest/gatehouse.config.yaml',
    format: 'openapi-3.0',
    kind: 'rest',
    integrations: { getQuote: 'aws', watchSymbol: 'aws', unwatchSymbol: 'aws', marketStatus: 'mock' },
    warnings: [
      scopedWarning('/paths/~1watchlist~1{symbol}/put/security/0/QuotesPool'),
      scopedWarning('/paths/~1watchlist~1{symbol}/delete/security/0/QuotesPool'),
    ],
    numbers: { '/paths/~1quotes~1{symbol}/get/x-amazon-apigateway-integration/timeoutInMillis': 8000 },
    // AWS import variables stay for API Gateway to resolve; in cdk.tf.json, escaped from Terraform as $${...}.
    kept: {
      '/paths/~1watchlist~1{symbol}/delete/x-amazon-apigateway-integration/credentials':
        'arn:aws:iam::${AWS::AccountId}:role/matrix-watchlist',
      '/paths/~1watchlist~1{symbol}/put/x-amazon-apigateway-integration/uri':
        'arn:aws:apigateway:${AWS::Region}:dynamodb:action/PutItem',
    },
    functions: ['quotes'],
    standIns: [
      ['watchSymbol', 'AWS service integration dynamodb:PutItem'],
      ['unwatchSymbol', 'AWS service integration dynamodb:DeleteItem'],
    ],
    answers: {
      // The request template passed the caller's sub from the authorizer's claims; the response template shaped it.
      getQuote: /^\{"symbol": "ACME", "price": 42\.5, "quotedFor": "[0-9a-f-]{36}"\}$/,
      // The stand-in's body is the document's example.
      watchSymbol: /^\{"symbol":"ACME","watching":true\}$/,
      marketStatus: /^\{"open": true, "stage": "live"\}$/,
    },
  },
  {
    name: 'CloudFormation AWS::Include (Fn::Sub with and without a map, Fn::GetAtt, Ref, Fn::Join), Swagger 2.0 JSON, REST: http with templates, aws_proxy, http_proxy ANY, mock',
    config: 'cloudformation-swagger2/gatehouse.config.yaml',
    format: 'swagger-2.0',
    kind: 'rest',
    integrations: { getStock: 'http', moveStock: 'aws_proxy', suppliers: 'http_proxy', ping: 'mock' },
    warnings: [
      scopedWarning('/paths/~1stock~1{sku}~1moves/post/security/0/InventoryPool'),
      scopedWarning('/paths/~1suppliers~1{proxy+}/x-amazon-apigateway-any-method/security/0/InventoryPool'),
    ],
    numbers: {
      '/paths/~1stock~1{sku}/get/x-amazon-apigateway-integration/timeoutInMillis': 5000,
      '/securityDefinitions/InventoryPool/x-amazon-apigateway-authorizer/authorizerResultTtlInSeconds': 300,
    },
    functions: ['moves'],
    answers: {
      getStock: /^\{"sku": "kibble", "askedFor": "\/levels\/kibble\?warehouse=east"\}$/,
      moveStock: /"handledBy":"orders","route":"\/stock\/\{sku\}\/moves"/,
      suppliers: /"echo":true,"method":"GET","url":"\/acme\/catalog"/,
      ping: /^\{"pong": true, "stack": "matrix-cfn"\}$/,
    },
  },
  {
    name: 'CloudFormation long forms as YAML keys, Swagger 2.0 YAML, REST: non-proxy Lambda, DynamoDB via Fn::Join, a Lambda deployed elsewhere, mock',
    config: 'cloudformation-swagger2-yaml/gatehouse.config.yaml',
    format: 'swagger-2.0',
    kind: 'rest',
    integrations: { getPrice: 'aws', priceHistory: 'aws', createAlert: 'aws_proxy', status: 'mock' },
    warnings: [
      scopedWarning('/paths/~1history~1{symbol}/get/security/0/PricingPool'),
      scopedWarning('/paths/~1alerts/post/security/0/PricingPool'),
    ],
    functions: ['prices'],
    standIns: [
      ['priceHistory', 'AWS service integration dynamodb:Query'],
      ['createAlert', 'no function `pricing-alerts` in the project file'],
    ],
    answers: {
      getPrice: /^\{"symbol": "ACME", "price": 42\.5\}$/,
      priceHistory: /^\[\{"day":"2025-01-02","price":41\}\]$/,
    },
  },
  {
    name: 'Terraform templatefile with bare ${number} fields, OpenAPI 3.0 JSON, HTTP API: aws_proxy 2.0 and 1.0, http_proxy',
    config: 'terraform-http/gatehouse.config.yaml',
    format: 'openapi-3.0',
    kind: 'http',
    integrations: {
      listNotes: 'aws_proxy',
      addNote: 'aws_proxy',
      deleteNote: 'aws_proxy',
      getAttachment: 'http_proxy',
      version: 'http_proxy',
    },
    numbers: {
      '/x-amazon-apigateway-cors/maxAge': 600,
      '/paths/~1notes/get/x-amazon-apigateway-integration/timeoutInMillis': 9000,
      '/components/schemas/NewNote/properties/text/maxLength': 500,
    },
    functions: ['notes'],
    answers: {
      listNotes: /"handledBy":"orders","route":"GET \/notes"/,
      // Payload 1.0 on an HTTP API: the v1 event's resource path.
      addNote: /"handledBy":"orders","route":"\/notes"/,
      getAttachment: /"url":"\/files\/n-4\/photo\.png"/,
    },
  },
  {
    name: 'SAM HttpApi DefinitionBody (!Sub, !GetAtt, !Ref in the jwt issuer and audience), OpenAPI 3.1 YAML, HTTP API: aws_proxy, http_proxy',
    config: 'sam-http-31/gatehouse.config.yaml',
    format: 'openapi-3.1',
    kind: 'http',
    integrations: { listTasks: 'aws_proxy', addTask: 'aws_proxy', getTask: 'aws_proxy', calendar: 'http_proxy' },
    functions: ['tasks'],
    answers: {
      listTasks: /"handledBy":"orders","route":"GET \/tasks"/,
      getTask: /"handledBy":"orders","route":"\/tasks\/\{taskId\}"/,
      // Scoped with `email`, which only a user's hosted-UI token carries: the positive check used one.
      calendar: /"url":"\/week\/12"/,
    },
  },
  {
    name: 'generated: 250 operations, Terraform templatefile JSON, HTTP API, integrations reused through components.x-amazon-apigateway-integrations',
    config: (dir) => writeLargeHttpApi(dir, 250, FUNCTIONS),
    format: 'openapi-3.0',
    kind: 'http',
    integrations: Object.fromEntries(
      Array.from({ length: 50 }, (_, r) => [
        [`list${r}`, 'aws_proxy'],
        [`create${r}`, 'aws_proxy'],
        [`get${r}`, 'aws_proxy'],
        [`delete${r}`, 'aws_proxy'],
        [`files${r}`, 'http_proxy'],
      ]).flat(),
    ),
    numbers: { '/components/x-amazon-apigateway-integrations/records/timeoutInMillis': 6000 },
    functions: ['records'],
    answers: {
      list0: /"handledBy":"orders","route":"GET \/r0"/,
      get49: /"handledBy":"orders","route":"\/r49\/\{id\}"/,
      files17: /"url":"\/a\.txt"/,
    },
    // The full negative matrix is the same per authorizer, and runs on the documents above; here every one
    // of the 250 operations gets its positive and negative pair, the user's scoped token and a wrong audience.
    cases: ['public-no-token', 'no-token', 'valid-token', 'user-access-token-scoped', 'wrong-audience'],
  },
];

/** Every string of a JSON value, object keys included. */
function strings(value: Json): string[] {
  if (typeof value === 'string') return [value];
  if (Array.isArray(value)) return value.flatMap(strings);
  if (value && typeof value === 'object') return Object.entries(value).flatMap(([k, v]) => [k, ...strings(v)]);
  return [];
}

/** The value at an RFC 6901 pointer. */
function at(value: Json, pointer: string): Json | undefined {
  let current: Json | undefined = value;
  for (const raw of pointer.split('/').slice(1)) {
    const key = raw.replace(/~1/g, '/').replace(/~0/g, '~');
    current = current && typeof current === 'object' ? (current as Record<string, Json>)[key] : undefined;
  }
  return current;
}

const METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'x-amazon-apigateway-any-method'];
const operationCount = (body: Json) =>
  Object.values((at(body, '/paths') ?? {}) as Record<string, Record<string, Json>>).reduce(
    (n, item) => n + Object.keys(item).filter((k) => METHODS.includes(k)).length,
    0,
  );

/** A template variable or intrinsic left in the model: only AWS import and stage variables may stay. */
const leftover = (s: string) => /Fn::|\$\{(?!AWS::(Region|Partition|AccountId)\}|stageVariables\.)/.test(s);

interface TfJson {
  resource: Record<string, Record<string, Record<string, unknown>>>;
  data?: Record<string, Record<string, unknown>>;
}

/** Every host this process sends an http(s) request to or looks up in DNS while subscribed. */
function watchHosts(): { hosts: string[]; stop(): void } {
  const hosts: string[] = [];
  const onRequest = (message: unknown) => hosts.push((message as { request: http.ClientRequest }).request.host);
  const onSocket = (message: unknown) =>
    (message as { socket: net.Socket }).socket.on('lookup', (_e, _a, _f, host: string) => hosts.push(host));
  diagnostics.subscribe('http.client.request.start', onRequest);
  diagnostics.subscribe('net.client.socket', onSocket);
  return {
    hosts,
    stop() {
      diagnostics.unsubscribe('http.client.request.start', onRequest);
      diagnostics.unsubscribe('net.client.socket', onSocket);
    },
  };
}

describe.each(ROWS)('$name', (row) => {
  // The steps share one document, one synth and one local stack; each test is the next step.
  let spec: string;
  let project: ProjectFile | undefined;
  let model: ApiModel;
  let stack: LocalStack | undefined;
  let outputsFile: string;
  let rowDir: string;
  let watch: ReturnType<typeof watchHosts> | undefined;

  beforeAll(() => {
    rowDir = fs.mkdtempSync(path.join(workDir, 'row-'));
    const config = typeof row.config === 'string' ? path.join(MATRIX, row.config) : row.config(rowDir);
    ({ spec, project } = chooseProject({ config }));
  });
  afterAll(async () => {
    watch?.stop();
    await stack?.stop();
  });

  test('lint: clean with the project file, every operation modelled, no template variable left', async () => {
    const { model: linted, problems } = await lintSpec(spec, { variables: project?.variables });
    expect(problems.map((p) => [p.severity, p.rule, p.pointer])).toEqual(
      (row.warnings ?? []).map(([rule, pointer]) => ['warning', rule, pointer]),
    );
    model = linted as ApiModel;
    expect(model).toMatchObject({ format: row.format, kind: row.kind });
    expect(Object.fromEntries(model.operations.map((o) => [o.id, o.integration.type]))).toEqual(row.integrations);
    expect(strings(model.body).filter(leftover)).toEqual([]);
    for (const [pointer, value] of Object.entries({ ...row.numbers, ...row.kept }))
      expect(at(model.body, pointer)).toBe(value);
  });

  test('synth: cdk.tf.json with the API body bound to the stack, the functions and the numbers as numbers', async () => {
    const warnings = jest.spyOn(console, 'error').mockImplementation(() => undefined);
    let written: { stackName: string; outdir: string };
    try {
      written = await synth({ ...process.env, CDKTF_OUTDIR: path.join(rowDir, 'cdktf.out') }, model, project);
    } finally {
      warnings.mockRestore();
    }
    const tf = JSON.parse(
      fs.readFileSync(path.join(written.outdir, 'stacks', written.stackName, 'cdk.tf.json'), 'utf8'),
    ) as TfJson;
    const apis = Object.values(tf.resource[row.kind === 'rest' ? 'aws_api_gateway_rest_api' : 'aws_apigatewayv2_api']);
    expect(apis).toHaveLength(1);
    const body = JSON.parse(apis[0].body as string) as Json;
    expect(operationCount(body)).toBe(model.operations.length);
    // What is left to resolve is Terraform's own: references to this stack's resources, and escaped `$${...}`.
    const known = new Set([
      ...Object.entries(tf.resource).flatMap(([type, byName]) => Object.keys(byName).map((n) => `${type}.${n}`)),
      ...Object.entries(tf.data ?? {}).flatMap(([type, byName]) => Object.keys(byName).map((n) => `data.${type}.${n}`)),
    ]);
    const references = strings(body).flatMap((s) => [...s.matchAll(/(?<!\$)\$\{([^}]*)\}/g)].map((m) => m[1]));
    expect(references.filter((r) => !known.has(r.replace(/\.[^.]+$/, '')))).toEqual([]);
    expect(strings(body).filter((s) => s.includes('{{') || s.includes('Fn::'))).toEqual([]);
    for (const [pointer, value] of Object.entries(row.numbers ?? {})) expect(at(body, pointer)).toBe(value);
    for (const [pointer, value] of Object.entries(row.kept ?? {}))
      expect(at(body, pointer)).toBe(value.replace(/\$\{/g, () => '$${'));
    expect(Object.keys(tf.resource.aws_lambda_function ?? {})).toHaveLength(row.functions.length);
    const invokeArns = references.filter((r) => r.startsWith('aws_lambda_function.') && r.endsWith('.invoke_arn'));
    expect(new Set(invokeArns).size).toBe(row.functions.length);
  });

  test('local: the stack starts from the project file and lists exactly its stand-ins', async () => {
    watch = watchHosts();
    outputsFile = path.join(rowDir, 'outputs.json');
    stack = await startLocalStack({ spec: model, ...localStackInputs(model, project), outputsFile });
    expect(stack.standIns.map((s) => [s.operation, s.reason])).toEqual(row.standIns ?? []);
    expect(stack.forwarded).toEqual([]);
  });

  test('contract: every check passes, every secured operation has its positive check, nothing left the machine', async () => {
    const report: ContractReport = await runContract({
      spec: model,
      outputsFile,
      projectFile: project,
      credentials,
      cases: row.cases,
      concurrency: 8,
    });
    expect(report.results.filter((r) => !r.passed).map((r) => `${r.name}: ${r.problems.join('; ')}`)).toEqual([]);
    const passed = new Set(report.results.filter((r) => r.passed).map((r) => `${r.operation} ${r.case}`));
    const runs = (c: CheckCase) => !row.cases || row.cases.includes(c);
    for (const op of model.operations) {
      if (op.auth.kind === 'public') {
        expect(passed).toContain(`${op.id} public-no-token`);
        continue;
      }
      expect(passed).toContain(`${op.id} no-token`);
      expect(passed).toContain(`${op.id} valid-token`);
      // A scope only a user's OAuth token can hold is checked with one too.
      if (op.auth.kind === 'authorizer' && op.auth.scopes.length > 0 && runs('user-access-token-scoped'))
        expect(passed).toContain(`${op.id} user-access-token-scoped`);
    }
    // The valid token got each operation's documented success, from the real thing where it runs.
    for (const r of report.results.filter((r) => r.case === 'valid-token' || r.case === 'public-no-token'))
      expect([r.name, r.got?.status]).toEqual([
        r.name,
        model.operations.find((o) => o.id === r.operation)?.successStatus,
      ]);
    const bodyOf = (id: string) =>
      report.results.find((r) => r.operation === id && (r.case === 'valid-token' || r.case === 'public-no-token'))?.got
        ?.body;
    for (const [id, answer] of Object.entries(row.answers ?? {}))
      expect([id, bodyOf(id)]).toEqual([id, expect.stringMatching(answer)]);
    // What did not run says why, and none of it is a positive check.
    for (const o of report.omitted) {
      expect(o.reason.length).toBeGreaterThan(20);
      expect(['no-token', 'valid-token', 'public-no-token', 'user-access-token-scoped']).not.toContain(o.case);
    }
    expect(watch!.hosts.length).toBeGreaterThan(0);
    expect(watch!.hosts.filter((h) => !isLoopbackHost(h))).toEqual([]);
  }, 180_000);
});
