// The harness reads the outputs file as `cdktf output --outputs-file` writes it: cdktf nests each stack's
// outputs by construct path, following the "//".outputs map of cdk.tf.json, and drops sensitive ones unless
// asked (@cdktf/cli-core, lib/output.js: getConstructIdsForOutputs and saveOutputs). Those two functions are
// mirrored here rather than imported because loading @cdktf/cli-core spawns `terraform version`, and no test
// may run Terraform. The map comes from the stack main.ts synthesizes; the values stand in for a deploy's.
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { loadOutputs } from './outputs-file';
import { OUTPUT_NAMES } from '../stack/outputs';

interface TerraformOutput {
  sensitive: boolean;
  value: unknown;
}
type ConstructMap = { [key: string]: string | ConstructMap };

/** cdktf's getConstructIdsForOutputs + saveOutputs: the "//".outputs tree with each leaf replaced by its value. */
function nestAsCdktf(
  map: ConstructMap,
  outputs: Record<string, TerraformOutput>,
  includeSensitive: boolean,
): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, leaf] of Object.entries(map)) {
    if (typeof leaf === 'string') {
      const output = outputs[leaf];
      if (output) out[key] = !output.sensitive || includeSensitive ? output.value : undefined;
    } else {
      const nested = nestAsCdktf(leaf, outputs, includeSensitive);
      if (Object.keys(nested).length > 0) out[key] = nested;
    }
  }
  return out;
}

const ROOT = path.join(__dirname, '..');
let tmp: string;
let stackContent: { '//': { outputs: ConstructMap }; output: Record<string, { sensitive?: boolean }> };

beforeAll(() => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'gatehouse-cdktf-outputs-'));
  execFileSync(process.execPath, [require.resolve('tsx/cli'), 'main.ts'], {
    cwd: ROOT,
    env: { ...process.env, API_SPEC: 'openapi/pets.yaml', CDKTF_OUTDIR: path.join(tmp, 'out') },
    stdio: 'pipe',
  });
  stackContent = JSON.parse(fs.readFileSync(path.join(tmp, 'out', 'stacks', 'gatehouse-pets', 'cdk.tf.json'), 'utf8'));
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

function writeAsCdktf(includeSensitive: boolean): string {
  // What `terraform output -json` reports, keyed by the outputs' logical ids in cdk.tf.json.
  const terraformOutputs: Record<string, TerraformOutput> = Object.fromEntries(
    Object.entries(stackContent.output).map(([id, declared]) => [
      id,
      { sensitive: declared.sensitive === true, value: deployedValues[id] },
    ]),
  );
  const file = path.join(tmp, `outputs-${includeSensitive}.json`);
  fs.writeFileSync(
    file,
    JSON.stringify(nestAsCdktf(stackContent['//'].outputs, terraformOutputs, includeSensitive), null, 2),
  );
  return file;
}

test("every output the module declares reaches the harness through cdktf's nested outputs file", () => {
  expect(Object.keys(stackContent.output).sort()).toEqual([...OUTPUT_NAMES].sort());
  const file = writeAsCdktf(true);
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

test('without --outputs-file-include-sensitive-outputs the secrets are missing, and the harness still reads the rest', () => {
  const outputs = loadOutputs(writeAsCdktf(false));
  expect(outputs.api_url).toBe(deployedValues.api_url);
  expect(outputs.client_secrets).toEqual({});
});
