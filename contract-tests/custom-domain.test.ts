// The harness on the API's custom domain, against the real local stack: every check runs through the base
// path, and with disableExecuteApiEndpoint one more check proves the execute-api endpoint refuses.
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as path from 'node:path';
import { appProps } from '../stack/app-props';
import type { ApiDomainOptions } from '../stack/props';
import { customDomainOutputs } from './custom-domain';
import { HarnessInputError } from './errors';
import { runContract } from './run';
import { LOCAL_CREDENTIALS, withTestStack } from './testing/local-stack';

const ROOT = path.join(__dirname, '..');
const PETS = path.join(ROOT, 'openapi', 'pets.yaml');
const HELLO = path.join(ROOT, 'openapi', 'hello-http.yaml');
const DOMAIN: ApiDomainOptions = {
  domainName: 'api.example.com',
  certificateArn: 'arn:aws:acm:us-east-1:123456789012:certificate/abc',
  basePath: 'shop/v1',
};

async function run(spec: string, outputsFile: string) {
  return runContract({ spec, outputsFile, credentials: async () => LOCAL_CREDENTIALS });
}

describe.each([
  ['REST', PETS, '/pets'],
  ['HTTP API', HELLO, '/ping'],
])('%s API behind a custom domain with the execute-api endpoint turned off', (_kind, spec, route) => {
  it('passes every check through the base path, and the execute-api check sees 403', async () => {
    await withTestStack(
      spec,
      async (stack) => {
        expect(stack.outputs.api_custom_domain_url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/shop\/v1$/);
        expect(stack.outputs.execute_api_endpoint_disabled).toBe(true);
        const report = await run(spec, stack.outputsFile);
        expect(report.results.filter((r) => !r.passed).map((r) => `${r.name}: ${r.problems.join('; ')}`)).toEqual([]);
        // The execute-api endpoint refuses everything, so each check expecting success went through the domain.
        expect(report.results.filter((r) => r.expected.status < 300).length).toBeGreaterThan(0);
        // "Clients can still connect to your default endpoint, but they will receive a 403 Forbidden status code"
        // (API Gateway developer guide, "Disable the default endpoint for REST APIs"). The HTTP API guide names no
        // status: unverified there, 403 alike. Only the status is asserted.
        const refusal = report.results.filter((r) => r.case === 'execute-api-disabled');
        expect(refusal).toHaveLength(1);
        expect(refusal[0].got?.status).toBe(403);
        expect(refusal[0].description).toMatch(/execute-api endpoint \(api_url\)/);
      },
      { props: { ...appProps(spec), apiDomain: { ...DOMAIN, disableExecuteApiEndpoint: true } } },
    );
  });

  it('serves the stage under the base path only, the execute-api URL refusing', async () => {
    await withTestStack(
      spec,
      async ({ outputs }) => {
        const onDomain = await fetch(`${outputs.api_custom_domain_url}${route}`);
        const onExecuteApi = await fetch(`${outputs.api_url}${route}`);
        const outsideBasePath = await fetch(`${new URL(outputs.api_custom_domain_url!).origin}/shop/v10${route}`);
        // No token: the authorizer answers on the domain, so the route was found there.
        expect([200, 401]).toContain(onDomain.status);
        expect(onExecuteApi.status).toBe(403);
        // A path no mapping takes: unverified, the local stack answers API Gateway's usual 403 (status only).
        expect(outsideBasePath.status).toBe(403);
      },
      { props: { ...appProps(spec), apiDomain: { ...DOMAIN, disableExecuteApiEndpoint: true } } },
    );
  });
});

it('runs the checks on the custom domain without the execute-api check while execute-api stays on', async () => {
  await withTestStack(
    PETS,
    async (stack) => {
      expect(stack.outputs.execute_api_endpoint_disabled).toBe(false);
      const report = await run(PETS, stack.outputsFile);
      expect(report.results.filter((r) => !r.passed).map((r) => r.name)).toEqual([]);
      expect(report.results.some((r) => r.case === 'execute-api-disabled')).toBe(false);
      // Both answer; the checks' URL is the domain's (apiUrlFor), shown by the domain's listener serving pets.
      const [domain, executeApi] = await Promise.all([
        fetch(`${stack.outputs.api_custom_domain_url}/pets`),
        fetch(`${stack.outputs.api_url}/pets`),
      ]);
      expect(domain.status).toBe(executeApi.status);
    },
    { props: { ...appProps(PETS), apiDomain: { ...DOMAIN, basePath: undefined } } },
  );
});

it('probes the URL the checks go to: an execute-api URL nothing answers at is no verdict while the domain answers', async () => {
  await withTestStack(
    PETS,
    async (stack) => {
      const outputs = JSON.parse(fs.readFileSync(stack.outputsFile, 'utf8')) as Record<string, unknown>;
      // A port nothing listens on: the kernel refuses at once (ECONNREFUSED), which the probe takes as final.
      const closed = await closedPort();
      const file = path.join(path.dirname(stack.outputsFile), 'outputs-execute-api-gone.json');
      fs.writeFileSync(file, JSON.stringify({ ...outputs, api_url: `http://127.0.0.1:${closed}/prod` }));
      const report = await run(PETS, file);
      expect(report.unreachable).toBeUndefined();
      expect(report.results.length).toBeGreaterThan(0);
      expect(report.results.filter((r) => !r.passed).map((r) => r.name)).toEqual([]);
    },
    { props: { ...appProps(PETS), apiDomain: { ...DOMAIN, basePath: undefined } } },
  );
});

function closedPort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

describe('the custom-domain outputs as the harness reads them', () => {
  it('refuses a turned-off execute-api endpoint without a custom-domain URL, naming the field', () => {
    expect(() => customDomainOutputs({ execute_api_endpoint_disabled: true }, 'outputs.json', '')).toThrow(
      HarnessInputError,
    );
    expect(() => customDomainOutputs({ execute_api_endpoint_disabled: true }, 'outputs.json', '')).toThrow(
      /outputs\.json#\/execute_api_endpoint_disabled/,
    );
  });

  it('takes outputs without the fields (an older stack) as an API without a custom domain', () => {
    expect(customDomainOutputs({}, 'outputs.json', '')).toEqual({
      api_custom_domain_url: '',
      execute_api_endpoint_disabled: false,
    });
    expect(
      customDomainOutputs(
        { api_custom_domain_url: 'https://api.example.com/v1/', execute_api_endpoint_disabled: 'true' },
        'outputs.json',
        '',
      ),
    ).toEqual({ api_custom_domain_url: 'https://api.example.com/v1', execute_api_endpoint_disabled: true });
  });
});
