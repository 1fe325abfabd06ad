// A Terraform template of a JSON document writes numbers and booleans as bare `${name}` (`"maxAge": ${max_age}`):
// JSON only once rendered. Such a template reads as its rendered document would, with the project file's values.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { lintSpec } from '../index';
import type { Json } from './types';

let dir: string;
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'gatehouse-json-template-'));
});
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

const TEMPLATE = `{
  "openapi": "3.0.1",
  "info": { "title": "\${title}", "version": "1" },
  "x-amazon-apigateway-minimum-compression-size": \${min_size},
  "x-amazon-apigateway-request-validators": { "all": { "validateRequestBody": \${validate}, "validateRequestParameters": true } },
  "paths": {
    "/notes": {
      "get": {
        "operationId": "listNotes",
        "security": [],
        "responses": { "200": { "description": "\\"\${not_a_reference}\\" is text here" } },
        "x-amazon-apigateway-integration": {
          "type": "http_proxy", "httpMethod": "GET", "uri": "https://notes.example.com", "payloadFormatVersion": "1.0",
          "timeoutInMillis": \${timeout}
        }
      }
    }
  }
}
`;

async function lint(name: string, variables: Record<string, string>) {
  fs.writeFileSync(path.join(dir, name), TEMPLATE);
  return lintSpec(path.join(dir, name), { variables });
}

test('a .json.tftpl with bare references reads as rendered: numbers and booleans where the field is one', async () => {
  const { model, problems } = await lint('notes.json.tftpl', {
    title: 'notes',
    min_size: '1024',
    validate: 'false',
    timeout: '9000',
  });
  expect(problems).toEqual([]);
  const body = model!.body as Record<string, Record<string, Json>>;
  expect(body['x-amazon-apigateway-minimum-compression-size']).toBe(1024);
  expect(body['x-amazon-apigateway-request-validators']).toEqual({
    all: { validateRequestBody: false, validateRequestParameters: true },
  });
  expect(model!.title).toBe('notes');
  expect(JSON.stringify(body.paths)).toContain('"timeoutInMillis":9000');
  // A reference inside a string stays text where text may hold one (a description).
  expect(JSON.stringify(body.paths)).toContain('\\"${not_a_reference}\\" is text here');
});

test('a bare reference the project file does not bind is named as unbound, not as a JSON syntax error', async () => {
  const { model, problems } = await lint('notes.json.tftpl', { title: 'notes', validate: 'false', timeout: '1' });
  expect(model).toBeUndefined();
  expect(problems.map((p) => [p.rule, p.pointer])).toEqual([
    ['template-variable-unbound', '/x-amazon-apigateway-minimum-compression-size'],
  ]);
});

test('a plain .json file is still JSON only: a bare ${name} there is a syntax error', async () => {
  const { problems } = await lint('notes.json', { title: 'notes', min_size: '1', validate: 'false', timeout: '1' });
  expect(problems.map((p) => [p.rule, p.message.slice(0, 27)])).toEqual([
    ['document-syntax', 'The file is not valid JSON:'],
  ]);
});
