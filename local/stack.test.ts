// `gatehouse local`'s stack refuses the props the module refuses, with exactly the same problems, before
// it starts anything or writes its outputs file; and the placeholders that decide authorization.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { loadApiModel } from '../openapi/model/load';
import { PropsError, SpecError } from '../openapi/model/problems';
import type { ApiModel } from '../openapi/model/types';
import { ALL_AT_ONCE, PETS_STACK, REFUSED_CASES, expectedIn, summarize } from '../stack/refused-props';
import { resolveProps } from '../stack/resolve';
import { PROPS_INPUT } from '../stack/validate-props';
import { startLocalStack } from './stack';

let pets: ApiModel;
let tmp: string;
beforeAll(async () => {
  pets = await loadApiModel(path.join(__dirname, '..', 'openapi', 'pets.yaml'));
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'gatehouse-local-props-'));
});
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

test.each([...REFUSED_CASES, ALL_AT_ONCE])('startLocalStack refuses $name as resolveProps does', async (refusal) => {
  const props = { ...refusal.props, spec: pets };
  const stackName = refusal.stackName ?? PETS_STACK;
  const outputsFile = path.join(tmp, `${REFUSED_CASES.indexOf(refusal)}.json`);
  const local = await startLocalStack({ spec: pets, props, stackName, outputsFile }).then(
    async (stack) => {
      await stack.stop();
      return undefined;
    },
    (error: unknown) => error,
  );
  expect(local).toBeInstanceOf(PropsError);
  expect(summarize((local as PropsError).problems)).toEqual(expectedIn(PROPS_INPUT, refusal.problems));
  let module: unknown;
  try {
    resolveProps(props, pets, stackName);
  } catch (error) {
    module = error;
  }
  expect((local as PropsError).problems).toEqual((module as PropsError).problems);
  expect(fs.existsSync(outputsFile)).toBe(false);
});

test('a client the props lack is refused as the module refuses it; a function they lack is a stand-in, not a refusal', async () => {
  const file = path.join(tmp, 'unbound.yaml');
  fs.writeFileSync(
    file,
    [
      'openapi: 3.0.1',
      'info: { title: Unbound, version: 1.0.0 }',
      'x-amazon-apigateway-importexport-version: "1.0"',
      'paths:',
      '  /orders:',
      '    get:',
      '      security: [{ Jwt: [] }]',
      '      responses: { "200": { description: ok } }',
      '      x-amazon-apigateway-integration:',
      '        { type: aws_proxy, httpMethod: POST, uri: "{{lambda:nobody}}", payloadFormatVersion: "2.0" }',
      'components:',
      '  securitySchemes:',
      '    Jwt:',
      '      type: oauth2',
      '      flows: {}',
      '      x-amazon-apigateway-authorizer:',
      '        type: jwt',
      '        identitySource: $request.header.Authorization',
      '        jwtConfiguration: { issuer: "{{issuer}}", audience: ["{{clientId:kiosk}}"] }',
    ].join('\n'),
  );
  const refused = await startLocalStack({ spec: file }).then(
    async (stack) => {
      await stack.stop();
      return undefined;
    },
    (error: unknown) => error,
  );
  expect(refused).toBeInstanceOf(SpecError);
  expect((refused as SpecError).problems.map((p) => [p.rule, p.message])).toEqual([
    ['placeholder-unbound', expect.stringMatching(/^\{\{clientId:kiosk\}\} names no clients entry "kiosk"/)],
  ]);
  fs.writeFileSync(file, fs.readFileSync(file, 'utf8').replace('{{clientId:kiosk}}', '{{clientId:web}}'));
  const stack = await startLocalStack({ spec: file });
  try {
    expect(stack.standIns).toEqual([
      { operation: 'GET /orders', method: 'GET', path: '/orders', reason: 'no function `nobody` in the project file' },
    ]);
  } finally {
    await stack.stop();
  }
});
