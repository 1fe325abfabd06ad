// The project file sets the API's custom domain and the functions' VPC as the props do: read into the same
// props, an unknown key refused with its path, and a bad value refused by resolveProps at the same path.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { loadApiModel } from '../openapi/model/load';
import { InputError, PropsError } from '../openapi/model/problems';
import { loadProjectFile } from './project-file';
import { PETS_STACK, summarize } from './refused-props';
import { resolveProps } from './resolve';

let dir: string;
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'gatehouse-project-deployment-'));
});
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

function write(lines: string[]): string {
  const file = path.join(dir, 'gatehouse.config.yaml');
  fs.writeFileSync(file, lines.join('\n') + '\n');
  return file;
}

const DOMAIN_LINES = [
  'apiDomain:',
  '  domainName: api.example.com',
  '  certificateArn: arn:aws:acm:us-east-1:123456789012:certificate/abc',
  '  endpointType: EDGE',
  '  basePath: v1',
  '  route53ZoneId: Z0123456789ABCDEFGHIJ',
  '  disableExecuteApiEndpoint: true',
];

test('apiDomain and functions.<name>.vpc reach the props as written', () => {
  const file = write([
    ...DOMAIN_LINES,
    'functions:',
    '  orders:',
    '    sourceDir: lambda/orders',
    '    vpc: { subnetIds: [subnet-0123456789abcdef0], securityGroupIds: [sg-0123456789abcdef0] }',
  ]);
  const { props } = loadProjectFile(file);
  expect(props.apiDomain).toEqual({
    domainName: 'api.example.com',
    certificateArn: 'arn:aws:acm:us-east-1:123456789012:certificate/abc',
    endpointType: 'EDGE',
    basePath: 'v1',
    route53ZoneId: 'Z0123456789ABCDEFGHIJ',
    disableExecuteApiEndpoint: true,
  });
  expect(props.functions?.orders.vpc).toEqual({
    subnetIds: ['subnet-0123456789abcdef0'],
    securityGroupIds: ['sg-0123456789abcdef0'],
  });
});

test('an endpoint type API Gateway lacks and an unknown vpc key are refused with their paths in the file', () => {
  const file = write([
    'apiDomain: { domainName: api.example.com, certificateArn: x, endpointType: PRIVATE }',
    'functions:',
    '  orders: { sourceDir: lambda/orders, vpc: { subnetIds: [], securityGroupIds: [], vpcId: vpc-1 } }',
  ]);
  let refused: unknown;
  try {
    loadProjectFile(file);
  } catch (error) {
    refused = error;
  }
  expect(refused).toBeInstanceOf(InputError);
  expect((refused as InputError).problems.map((p) => p.pointer).sort()).toEqual([
    '/apiDomain/endpointType',
    '/functions/orders/vpc/vpcId',
  ]);
});

test("a value AWS would refuse is refused by resolveProps at the file's path, naming the file", async () => {
  const file = write([
    'apiDomain:',
    '  domainName: api.example.com',
    '  certificateArn: arn:aws:acm:eu-west-1:123456789012:certificate/abc',
    '  endpointType: EDGE',
    'backends: { petstore: "https://petstore.example.com/v1" }',
  ]);
  const pets = await loadApiModel(path.join(__dirname, '..', 'openapi', 'pets.yaml'));
  const { props } = loadProjectFile(file);
  let refused: unknown;
  try {
    resolveProps({ ...props, spec: pets }, pets, PETS_STACK, file);
  } catch (error) {
    refused = error;
  }
  expect(refused).toBeInstanceOf(PropsError);
  expect(summarize((refused as PropsError).problems)).toEqual([
    {
      severity: 'error',
      rule: 'props-api-domain',
      file,
      pointer: '/apiDomain/certificateArn',
      received: '"arn:aws:acm:eu-west-1:123456789012:certificate/abc"',
    },
  ]);
});
