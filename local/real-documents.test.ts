// Documents as real API Gateway exports are (local/fixtures/): DynamoDB actions, non-proxy Lambda and http
// with templates, VTL mocks, Lambda routes whose functions the project file lacks, internet backends. Each
// runs unchanged: startLocalStack starts, lists its stand-ins with why, and the contract harness passes
// every check, the documented success coming back after the authorizer decided.
import * as diagnostics from 'node:diagnostics_channel';
import type * as http from 'node:http';
import type * as net from 'node:net';
import * as path from 'node:path';
import { runContract } from '../contract-tests/run';
import type { ContractReport } from '../contract-tests/report';
import { LOCAL_CREDENTIALS, withTestStack } from '../contract-tests/testing/local-stack';
import { appProps } from '../stack/app-props';
import type { SecuredApiProps } from '../stack/props';
import { isLoopbackHost } from './gateway/outbound';

const FIXTURES = path.join(__dirname, 'fixtures');
const credentials = async () => LOCAL_CREDENTIALS;

interface Case {
  file: string;
  props?: (spec: string) => SecuredApiProps;
  standIns: [string, string][];
}

const CASES: Case[] = [
  {
    file: 'dynamodb-rest.yaml',
    standIns: [
      ['listOrders', 'AWS service integration dynamodb:Query'],
      ['putOrder', 'AWS service integration dynamodb:PutItem'],
      ['getOrder', 'AWS service integration dynamodb:GetItem'],
      ['deleteOrder', 'AWS service integration dynamodb:DeleteItem'],
    ],
  },
  {
    file: 'lambda-templates-rest.yaml',
    props: (spec) => ({
      ...appProps(spec),
      functions: { quotes: { sourceDir: path.join(FIXTURES, 'functions'), handler: 'quotes.handler' } },
    }),
    standIns: [['createAlert', 'no function `alerts` in the project file']],
  },
  {
    file: 'http-rest.yaml',
    props: (spec) => ({ ...appProps(spec), backends: { inventory: 'https://inventory.example.com' } }),
    standIns: [],
  },
  { file: 'mock-templates-rest.yaml', standIns: [] },
  {
    file: 'lambda-missing-http.yaml',
    standIns: [
      ['listOrders', 'no function `orders` in the project file'],
      ['createOrder', 'no function `orders` in the project file'],
      ['cancelOrder', 'no function `cancel-order` in the project file'],
    ],
  },
  {
    file: 'internet-proxy-rest.yaml',
    standIns: [
      ['partnerProxy', expect.stringMatching(/^backend https:\/\/example\.com is not on this machine/)],
      ['partnerStatus', expect.stringMatching(/^backend https:\/\/status\.example\.com is not on this machine/)],
    ],
  },
];

function failedChecks(report: ContractReport): string[] {
  return report.results.filter((r) => !r.passed).map((r) => `${r.name}: ${r.problems.join('; ')}`);
}

/** Every host this process sends an http(s) request to or looks up in DNS while `body` runs. */
async function watchingHosts<T>(body: () => Promise<T>): Promise<{ result: T; hosts: string[] }> {
  const hosts: string[] = [];
  const onRequest = (message: unknown) => hosts.push((message as { request: http.ClientRequest }).request.host);
  const onSocket = (message: unknown) =>
    (message as { socket: net.Socket }).socket.on('lookup', (_e, _a, _f, host: string) => hosts.push(host));
  diagnostics.subscribe('http.client.request.start', onRequest);
  diagnostics.subscribe('net.client.socket', onSocket);
  try {
    return { result: await body(), hosts };
  } finally {
    diagnostics.unsubscribe('http.client.request.start', onRequest);
    diagnostics.unsubscribe('net.client.socket', onSocket);
  }
}

describe.each(CASES)('$file', ({ file, props, standIns }) => {
  const spec = path.join(FIXTURES, file);
  test('starts, lists its stand-ins, and passes every contract check with no request off this machine', async () => {
    const { result: report, hosts } = await watchingHosts(() =>
      withTestStack(
        spec,
        async (stack) => {
          expect(stack.standIns.map((s) => [s.operation, s.reason])).toEqual(standIns);
          expect(stack.forwarded).toEqual([]);
          return runContract({ spec, outputsFile: stack.outputsFile, credentials });
        },
        { props: props?.(spec) },
      ),
    );
    expect(failedChecks(report)).toEqual([]);
    // Every operation was called with a token it accepts, and answered its documented success.
    const successes = report.results.filter((r) => r.passed && r.expected.status < 300);
    for (const op of new Set(report.results.map((r) => r.operation)))
      expect(successes.map((r) => r.operation)).toContain(op);
    expect(report.results.length).toBeGreaterThan(10);
    expect(hosts.length).toBeGreaterThan(0);
    expect(hosts.filter((h) => !isLoopbackHost(h))).toEqual([]);
  }, 240_000);
});

test('the functions and backends that exist answer for real: the templates ran around them', async () => {
  const quotes = path.join(FIXTURES, 'lambda-templates-rest.yaml');
  const inventory = path.join(FIXTURES, 'http-rest.yaml');
  const bodyOf = (report: ContractReport, name: string) => report.results.find((r) => r.name === name)?.got?.body;
  const quoted = await withTestStack(
    quotes,
    (stack) =>
      runContract({
        spec: quotes,
        outputsFile: stack.outputsFile,
        credentials,
        only: ['getQuote'],
        cases: ['valid-token'],
      }),
    { props: CASES[1].props?.(quotes) },
  );
  expect(JSON.parse(bodyOf(quoted, 'getQuote valid-token') ?? '')).toMatchObject({ symbol: 'ACME', price: 42.5 });
  const reserved = await withTestStack(
    inventory,
    (stack) =>
      runContract({
        spec: inventory,
        outputsFile: stack.outputsFile,
        credentials,
        only: ['reserveStock'],
        cases: ['valid-token'],
      }),
    { props: CASES[2].props?.(inventory) },
  );
  expect(JSON.parse(bodyOf(reserved, 'reserveStock valid-token') ?? '')).toEqual({
    reserved: 'POST /reserve/kibble?channel=api',
  });
}, 240_000);
