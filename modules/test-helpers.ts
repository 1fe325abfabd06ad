// Shared by the module's tests: documents written to temp files, a synthesized SecuredApi stack as JSON,
// and what Terraform's template parser makes of a string (through HashiCorp's own HCL parser).
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { stringify } from 'yaml';
import { TerraformStack, Testing } from 'cdktf';
import { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import { getExpressionAst, type TFExpressionSyntaxTree } from '@cdktf/hcl2json';
import { loadApiModel } from '../openapi/model/load';
import type { ApiModel } from '../openapi/model/types';
import type { SecuredApiProps } from '../stack/props';
import { SecuredApi } from './secured-api';

/** A resource or data block of cdk.tf.json, as attributes by Terraform name. */
export type Block = Record<string, unknown>;
export interface SynthesizedStack {
  resource: Record<string, Record<string, Block>>;
  data?: Record<string, Record<string, Block>>;
  output: Record<string, { value: unknown; sensitive?: boolean; description?: string }>;
}

export const REPO_ROOT = path.resolve(__dirname, '..');
export const PETS = path.join(REPO_ROOT, 'openapi/pets.yaml');
export const HELLO_HTTP = path.join(REPO_ROOT, 'openapi/hello-http.yaml');
export const HELLO_FUNCTION = { hello: { sourceDir: path.join(REPO_ROOT, 'lambda/hello') } };
export const PETSTORE = { petstore: 'https://petstore.example.com/v1' };

const tempDirs: string[] = [];

export function tempDir(prefix: string): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), `gatehouse-${prefix}-`));
  tempDirs.push(dir);
  return dir;
}

/** Removes every directory tempDir made in this test file (call from afterAll). */
export function removeTempDirs(): void {
  for (const dir of tempDirs.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
}

/** Writes a document (an object) as YAML to a fresh temp file and returns its path. */
export function writeSpec(document: object, name = 'api.yaml'): string {
  const file = path.join(tempDir('spec'), name);
  fs.writeFileSync(file, stringify(document));
  return file;
}

/** A small REST document: one secured mock operation with a custom scope, one public one. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- tests edit the plain document at any depth
export function restDocument(): Record<string, any> /* a plain document the tests edit freely */ {
  return {
    openapi: '3.0.3',
    info: { title: 'Items', version: '1.0.0' },
    paths: {
      '/items': {
        get: {
          operationId: 'listItems',
          security: [{ CognitoAuth: ['items/read'] }],
          responses: { '200': { description: 'The items' } },
          'x-amazon-apigateway-integration': {
            type: 'mock',
            requestTemplates: { 'application/json': '{"statusCode": 200}' },
            responses: { default: { statusCode: '200', responseTemplates: { 'application/json': '[]' } } },
            passthroughBehavior: 'when_no_match',
          },
        },
      },
      '/health': {
        get: {
          operationId: 'health',
          security: [],
          responses: { '200': { description: 'Healthy' } },
          'x-amazon-apigateway-integration': {
            type: 'mock',
            requestTemplates: { 'application/json': '{"statusCode": 200}' },
            responses: { default: { statusCode: '200', responseTemplates: { 'application/json': '{"ok": true}' } } },
            passthroughBehavior: 'when_no_match',
          },
        },
      },
    },
    components: {
      securitySchemes: {
        CognitoAuth: {
          type: 'apiKey',
          name: 'Authorization',
          in: 'header',
          'x-amazon-apigateway-authtype': 'cognito_user_pools',
          'x-amazon-apigateway-authorizer': { type: 'cognito_user_pools', providerARNs: ['{{userPoolArn}}'] },
        },
      },
    },
  };
}

export async function loadDocument(document: object): Promise<ApiModel> {
  return loadApiModel(writeSpec(document));
}

export interface Synthesized {
  json: SynthesizedStack;
  api: SecuredApi;
}

/** Synthesizes one stack holding a SecuredApi, as main.ts builds it. */
export function synthesize(props: SecuredApiProps & { spec: ApiModel }, stackName = 'gatehouse-test'): Synthesized {
  const app = Testing.app({ outdir: tempDir('cdktf') });
  const stack = new TerraformStack(app, stackName);
  new AwsProvider(stack, 'aws', { region: 'eu-west-1' });
  const api = new SecuredApi(stack, 'api', props);
  return { json: JSON.parse(Testing.synth(stack)) as SynthesizedStack, api };
}

/** The blocks of one resource type, by logical id (empty when there are none). */
export function resourcesOf(json: SynthesizedStack, type: string): Record<string, Block> {
  return json.resource[type] ?? {};
}

/** The only resource of a type, with its logical id; fails when there is not exactly one. */
export function onlyResource(json: SynthesizedStack, type: string): { id: string; block: Block } {
  const entries = Object.entries(resourcesOf(json, type));
  if (entries.length !== 1) throw new Error(`expected one ${type}, found ${entries.length}`);
  return { id: entries[0][0], block: entries[0][1] };
}

/** The Terraform reference `${<type>.<id>.<attribute>}` to the only resource of a type. */
export function referenceTo(json: SynthesizedStack, type: string, attribute: string): string {
  return `\${${type}.${onlyResource(json, type).id}.${attribute}}`;
}

/**
 * What Terraform makes of a string in cdk.tf.json: literal text unescaped, each interpolation shown as
 * `«expression»`. Terraform parses JSON strings with hclsyntax.ParseTemplate, where backslashes are not
 * escapes; a heredoc is parsed the same way, so the string is handed to HCL's parser as a heredoc.
 * Literal `$${` and `%%{` stand for `${` and `%{`
 * (https://developer.hashicorp.com/terraform/language/expressions/strings#escape-sequences-1).
 */
export async function terraformTemplateValue(template: string): Promise<string> {
  const marker = 'GATEHOUSE_TEMPLATE_END';
  if (template.includes('\n') || template.includes(marker))
    throw new Error('a one-line template without the heredoc marker is expected');
  const ast = await getExpressionAst('body.tf', `<<${marker}\n${template}\n${marker}\n`);
  if (!ast || ast.type !== 'template') throw new Error(`not a template: ${JSON.stringify(ast?.type)}`);
  const parts = ast.children.map(partValue);
  return parts.join('').replace(/\n$/, '');
}

function partValue(node: TFExpressionSyntaxTree.ExpressionType): string {
  switch (node.type) {
    case 'literalValue':
      return String(node.meta.value).replace(/([$%])\1\{/g, '$1{');
    case 'scopeTraversal':
    case 'function':
      return `«${node.meta.value}»`;
    case 'conditional':
      // Only the empty separator directive (terraform-body.ts) may appear; it renders nothing.
      if (
        node.meta.conditionExpression === 'true' &&
        node.meta.trueExpression === '' &&
        node.meta.falseExpression === ''
      )
        return '';
      throw new Error(`unexpected directive ${node.meta.value}`);
    default:
      throw new Error(`unexpected ${node.type} in template: ${node.meta.value}`);
  }
}
