// main.ts as cdktf runs it: a child process writing to CDKTF_OUTDIR, or refusing and writing nothing.
import { execFile } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { formatProblems, PropsError } from '../openapi/model/problems';
import { loadChecked } from '../main';
import { expectedIn, summarize } from '../stack/refused-props';
import { PROPS_INPUT } from '../stack/validate-props';
import { REPO_ROOT, removeTempDirs, restDocument, tempDir, writeSpec, type SynthesizedStack } from './test-helpers';

// Each test runs one child process, main.ts or the cdktf CLI, that synthesizes with cdktf: 11-52 s per test
// measured with the machine shared at load 18 (December 2026), so these tests get more than the suite's
// default. The child is killed first, so a hang is reported with the child's output, not a bare jest timeout.
const CHILD_TIMEOUT_MS = 90_000;
jest.setTimeout(CHILD_TIMEOUT_MS + 15_000);

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

function run(command: string, args: string[], env: Record<string, string>): Promise<Run> {
  return new Promise((resolve, reject) => {
    execFile(
      command,
      args,
      { cwd: REPO_ROOT, env: { ...process.env, ...env }, timeout: CHILD_TIMEOUT_MS },
      (error, stdout, stderr) => {
        if (error?.killed)
          return reject(
            new Error(`${command} ${args.join(' ')} still running after ${CHILD_TIMEOUT_MS} ms:\n${stdout}${stderr}`),
          );
        const code = error ? (typeof error.code === 'number' ? error.code : 1) : 0;
        resolve({ code, stdout, stderr });
      },
    );
  });
}

const TSX = path.join(REPO_ROOT, 'node_modules/.bin/tsx');
const runMain = (env: Record<string, string>) => run(TSX, ['main.ts'], env);

function readStack(outdir: string, stack: string): SynthesizedStack {
  return JSON.parse(fs.readFileSync(path.join(outdir, 'stacks', stack, 'cdk.tf.json'), 'utf8')) as SynthesizedStack;
}

afterAll(removeTempDirs);

describe('main.ts', () => {
  it('refuses a bad document with every problem, exit 2, and writes nothing', async () => {
    const doc = restDocument();
    delete doc.paths['/items'].get.security;
    doc.paths['/health'].get.security = [{ Nobody: [] }];
    const spec = writeSpec(doc);
    const outdir = path.join(tempDir('out'), 'cdktf.out');
    const result = await runMain({ API_SPEC: spec, CDKTF_OUTDIR: outdir });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(`#/paths/~1items/get [security-missing]`);
    expect(result.stderr).toContain('[security-unknown-scheme]');
    expect(result.stderr).toMatch(/fix: /);
    expect(fs.existsSync(outdir)).toBe(false);
  });

  it('refuses a placeholder the deployed props cannot bind, exit 2, and writes nothing', async () => {
    const doc = restDocument();
    doc.paths['/items'].get['x-amazon-apigateway-integration'] = {
      type: 'http_proxy',
      httpMethod: 'GET',
      uri: '{{backend:inventory}}/items',
    };
    const outdir = path.join(tempDir('out'), 'cdktf.out');
    const result = await runMain({ API_SPEC: writeSpec(doc), CDKTF_OUTDIR: outdir });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('#/paths/~1items/get/x-amazon-apigateway-integration/uri [placeholder-unbound]');
    expect(fs.existsSync(outdir)).toBe(false);
  });

  it('refuses props AWS would refuse with every problem, exit 2, and writes nothing', async () => {
    // A title giving a stack name whose Lambda function name is past 64 characters (its default domain prefix,
    // with "aws" and 67 long, is derived into a valid one); the backend URL from the environment has no scheme.
    const doc = restDocument();
    doc.info.title = 'AWS Reports Of The Whole Company Portfolio Long Name';
    doc.paths['/items'].get['x-amazon-apigateway-integration'] = {
      type: 'aws_proxy',
      httpMethod: 'POST',
      uri: '{{lambda:hello}}',
    };
    const env = { API_SPEC: writeSpec(doc), PETSTORE_BACKEND_URL: 'petstore.internal' };
    // The same refusal in this process, to hold the child's output to (its lint warnings not shown here).
    const quiet = jest.spyOn(console, 'error').mockImplementation(() => undefined);
    const refusal = await loadChecked(env)
      .then(
        () => undefined,
        (error: unknown) => error,
      )
      .finally(() => quiet.mockRestore());
    expect(refusal).toBeInstanceOf(PropsError);
    expect(summarize((refusal as PropsError).problems)).toEqual(
      expectedIn(PROPS_INPUT, [
        { rule: 'props-function-name', pointer: '/functions/hello', received: '"hello"' },
        { rule: 'props-backend-url', pointer: '/backends/petstore', received: '"petstore.internal"' },
      ]),
    );
    const outdir = path.join(tempDir('out'), 'cdktf.out');
    const result = await runMain({ ...env, CDKTF_OUTDIR: outdir });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(formatProblems((refusal as PropsError).problems));
    expect(result.stderr).not.toContain('main.ts:');
    expect(fs.existsSync(outdir)).toBe(false);
  });

  it('a title with "Cognito" synthesizes with a derived domain prefix, each props warning shown once', async () => {
    const doc = restDocument();
    doc.info.title = 'Cognito Items';
    // No client of the default props may obtain phone: a scoped route nothing can call.
    doc.paths['/items'].get.security = [{ CognitoAuth: ['phone'] }];
    const outdir = path.join(tempDir('out'), 'cdktf.out');
    const result = await runMain({ API_SPEC: writeSpec(doc), CDKTF_OUTDIR: outdir });
    expect(result).toMatchObject({ code: 0 });
    const domains = Object.values(readStack(outdir, 'gatehouse-cognito-items').resource.aws_cognito_user_pool_domain);
    expect(domains.map((d) => d.domain)).toEqual(['gatehouse-items-prod']);
    expect(result.stderr.match(/\[domain-prefix-derived\]/g)).toHaveLength(1);
    expect(result.stderr).toContain('the prefix "gatehouse-items-prod"');
    expect(result.stderr.match(/\[scope-unobtainable\]/g)).toHaveLength(1);
  });

  it('synthesizes the REST example by default, to the stage and region asked for', async () => {
    const outdir = path.join(tempDir('out'), 'cdktf.out');
    const result = await runMain({ API_SPEC: '', STAGE: 'test', AWS_REGION: 'eu-central-1', CDKTF_OUTDIR: outdir });
    expect(result).toMatchObject({ code: 0 });
    const stack = readStack(outdir, 'gatehouse-pets');
    expect(Object.keys(stack.resource)).toContain('aws_api_gateway_rest_api');
    // The pets document calls no Lambda function, so none of appProps' functions is deployed.
    expect(Object.keys(stack.resource)).not.toContain('aws_lambda_function');
    expect(Object.values(stack.resource.aws_api_gateway_stage)[0].stage_name).toBe('test');
    expect((stack as unknown as { provider: { aws: { region: string }[] } }).provider.aws[0].region).toBe(
      'eu-central-1',
    );
  });

  it('synthesizes the HTTP API example through the cdktf CLI, without Terraform', async () => {
    const outdir = path.join(tempDir('out'), 'cdktf.out');
    const cdktf = path.join(REPO_ROOT, 'node_modules/.bin/cdktf');
    // A PATH with no terraform on it, whatever this machine has: synth must not need it.
    const pathWithoutTerraform = (process.env.PATH ?? '')
      .split(path.delimiter)
      .filter((dir) => dir && !fs.existsSync(path.join(dir, 'terraform')))
      .join(path.delimiter);
    const result = await run(cdktf, ['synth', '--output', outdir], {
      API_SPEC: 'openapi/hello-http.yaml',
      CHECKPOINT_DISABLE: '1',
      CI: '1',
      PATH: pathWithoutTerraform,
    });
    expect(result.stderr + result.stdout).toContain('gatehouse-hello');
    expect(result.code).toBe(0);
    const stack = readStack(outdir, 'gatehouse-hello');
    expect(Object.keys(stack.resource)).toEqual(
      expect.arrayContaining(['aws_apigatewayv2_api', 'aws_apigatewayv2_stage', 'aws_lambda_function']),
    );
  });
});
