// The harness reads the outputs file as `cdktf output --outputs-file` writes it, written here by cdktf's own
// code: cdktf-cli's handler for that flag runs @cdktf/cli-core's getConstructIdsForOutputs (the stack's
// cdk.tf.json "//".outputs map filled from `terraform output -json`) and saveOutputs (which drops sensitive
// values unless --outputs-file-include-sensitive-outputs), and so does this test. Only `terraform output -json`
// is stood in for, by the values a deploy would report, since no test may run Terraform. The map comes from
// the stack main.ts synthesizes.
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { loadOutputs } from './outputs-file';
import { OUTPUT_NAMES } from '../stack/outputs';

/** One entry of `terraform output -json`. */
interface TerraformOutput {
  sensitive: boolean;
  type: unknown;
  value: unknown;
}
interface CdktfOutputFunctions {
  getConstructIdsForOutputs(stackContent: object, outputs: Record<string, TerraformOutput>): object;
  saveOutputs(filePath: string, outputs: object, includeSensitiveOutputs: boolean): Promise<void>;
}

/**
 * @cdktf/cli-core's output module. Loading it loads @cdktf/commons, which at once starts `terraform version`
 * (the binary TERRAFORM_BINARY_NAME names) and would report to HashiCorp's checkpoint service unless
 * CHECKPOINT_DISABLE is set: both are pointed away first, so no Terraform runs and nothing leaves 127.0.0.1.
 */
function loadCdktfOutputFunctions(): CdktfOutputFunctions {
  const saved = { binary: process.env.TERRAFORM_BINARY_NAME, checkpoint: process.env.CHECKPOINT_DISABLE };
  process.env.TERRAFORM_BINARY_NAME = 'gatehouse-test-no-terraform';
  process.env.CHECKPOINT_DISABLE = '1';
  try {
    // A deep path: the package's index also loads the deploy machinery; this module is the one the CLI calls.
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- after the variables are set; an import would run first
    return require('@cdktf/cli-core/src/lib/output') as CdktfOutputFunctions;
  } finally {
    if (saved.binary === undefined) delete process.env.TERRAFORM_BINARY_NAME;
    else process.env.TERRAFORM_BINARY_NAME = saved.binary;
    if (saved.checkpoint === undefined) delete process.env.CHECKPOINT_DISABLE;
    else process.env.CHECKPOINT_DISABLE = saved.checkpoint;
  }
}

const ROOT = path.join(__dirname, '..');
let tmp: string;
let stackContent: { '//': { outputs: object }; output: Record<string, { sensitive?: boolean }> };
let cdktf: CdktfOutputFunctions;

beforeAll(() => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'gatehouse-cdktf-outputs-'));
  execFileSync(process.execPath, [require.resolve('tsx/cli'), 'main.ts'], {
    cwd: ROOT,
    env: { ...process.env, API_SPEC: 'openapi/pets.yaml', CDKTF_OUTDIR: path.join(tmp, 'out') },
    stdio: 'pipe',
  });
  stackContent = JSON.parse(fs.readFileSync(path.join(tmp, 'out', 'stacks', 'gatehouse-pets', 'cdk.tf.json'), 'utf8'));
  cdktf = loadCdktfOutputFunctions();
});
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

const poolId = 'eu-west-1_AbC123xyz';
const deployedValues: Record<string, unknown> = {
  api_url: 'https://a1b2c3.execute-api.eu-west-1.amazonaws.com/prod',
  api_kind: 'rest',
  stage: 'prod',
  region: 'eu-west-1',
  user_pool_id: poolId,
  user_pool_arn: `arn:aws:cognito-idp:eu-west-1:123456789012:userpool/${poolId}`,
  issuer: `https://cognito-idp.eu-west-1.amazonaws.com/${poolId}`,
  jwks_url: `https://cognito-idp.eu-west-1.amazonaws.com/${poolId}/.well-known/jwks.json`,
  cognito_endpoint: 'https://cognito-idp.eu-west-1.amazonaws.com',
  token_endpoint: 'https://gatehouse-pets-prod.auth.eu-west-1.amazoncognito.com/oauth2/token',
  hosted_ui_domain: 'gatehouse-pets-prod.auth.eu-west-1.amazoncognito.com',
  hosted_ui_sign_in_url: 'https://gatehouse-pets-prod.auth.eu-west-1.amazoncognito.com/login',
  clients: {
    web: {
      id: 'webclient0000000000000000a',
      has_secret: false,
      auth_flows: ['USER_PASSWORD_AUTH'],
      oauth_flows: [],
      oauth_scopes: [],
    },
    machine: {
      id: 'machineclient000000000000a',
      has_secret: true,
      auth_flows: [],
      oauth_flows: ['client_credentials'],
      oauth_scopes: ['pets/purchase'],
    },
  },
  client_secrets: { machine: 'machine-secret-value' },
};

/** Types as `terraform output -json` reports them. */
function terraformType(value: unknown): unknown {
  if (typeof value === 'string') return 'string';
  if (typeof value === 'boolean') return 'bool';
  if (typeof value === 'number') return 'number';
  if (value === null) return 'dynamic';
  return ['object', Object.fromEntries(Object.entries(value as object).map(([k, v]) => [k, terraformType(v)]))];
}

async function writeAsCdktf(includeSensitive: boolean): Promise<string> {
  // What `terraform output -json` reports, keyed by the outputs' logical ids in cdk.tf.json.
  const terraformOutputs: Record<string, TerraformOutput> = Object.fromEntries(
    Object.entries(stackContent.output).map(([id, declared]) => [
      id,
      {
        sensitive: declared.sensitive === true,
        type: terraformType(deployedValues[id] ?? null),
        value: deployedValues[id] ?? null,
      },
    ]),
  );
  const file = path.join(tmp, `outputs-${includeSensitive}.json`);
  await cdktf.saveOutputs(file, cdktf.getConstructIdsForOutputs(stackContent, terraformOutputs), includeSensitive);
  return file;
}

test("every output the module declares reaches the harness through cdktf's nested outputs file", async () => {
  expect(Object.keys(stackContent.output).sort()).toEqual([...OUTPUT_NAMES].sort());
  const file = await writeAsCdktf(true);
  const nested = JSON.parse(fs.readFileSync(file, 'utf8'));
  expect(nested['gatehouse-pets'].api.outputs.api_url).toBe(deployedValues.api_url);
  const outputs = loadOutputs(file);
  expect(outputs).toMatchObject({
    api_url: deployedValues.api_url,
    api_kind: 'rest',
    user_pool_id: poolId,
    issuer: deployedValues.issuer,
    token_endpoint: deployedValues.token_endpoint,
    client_secrets: { machine: 'machine-secret-value' },
  });
  expect(outputs.clients.machine.id).toBe('machineclient000000000000a');
});

test('without --outputs-file-include-sensitive-outputs the secrets are missing, and the harness still reads the rest', async () => {
  const file = await writeAsCdktf(false);
  expect(JSON.parse(fs.readFileSync(file, 'utf8'))['gatehouse-pets'].api.outputs).not.toHaveProperty('client_secrets');
  const outputs = loadOutputs(file);
  expect(outputs.api_url).toBe(deployedValues.api_url);
  expect(outputs.client_secrets).toEqual({});
});
