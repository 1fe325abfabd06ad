// Test support: a changed copy of an example document in a temp dir, to stand a stack up from a document
// that differs from the one the harness is given (a deployment that drifted from the spec). Edited with the
// yaml library's document API so comments and layout of the rest stay as they were.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { parseDocument, type Document } from 'yaml';

export interface DocumentVariant {
  file: string;
  remove(): void;
}

export function writeDocumentVariant(spec: string, edit: (doc: Document) => void): DocumentVariant {
  const doc = parseDocument(fs.readFileSync(spec, 'utf8'));
  edit(doc);
  if (doc.errors.length > 0) throw new Error(`${spec}: ${doc.errors[0].message}`);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'gatehouse-variant-'));
  const file = path.join(dir, path.basename(spec));
  fs.writeFileSync(file, doc.toString());
  return { file, remove: () => fs.rmSync(dir, { recursive: true, force: true }) };
}

export const PARTNER_POOL_ARN = 'arn:aws:cognito-idp:us-east-1:123456789012:userpool/us-east-1_Partners';

/**
 * For pets.yaml: a second REST authorizer naming a pool by hard-coded ARN (as most real documents do) and
 * GET /partner-pets (listPartnerPets) behind it. The local stack provisions that pool too.
 */
export function addPartnerPoolOperation(doc: Document): void {
  doc.setIn(
    ['components', 'securitySchemes', 'PartnerPool'],
    doc.createNode({
      type: 'apiKey',
      name: 'Authorization',
      in: 'header',
      'x-amazon-apigateway-authtype': 'cognito_user_pools',
      'x-amazon-apigateway-authorizer': { type: 'cognito_user_pools', providerARNs: [PARTNER_POOL_ARN] },
    }),
  );
  doc.setIn(
    ['paths', '/partner-pets'],
    doc.createNode({
      get: {
        operationId: 'listPartnerPets',
        summary: 'Pets of the partner pool (ID token of that pool)',
        security: [{ PartnerPool: [] }],
        responses: { '200': { description: 'The pets' } },
        'x-amazon-apigateway-integration': {
          type: 'mock',
          requestTemplates: { 'application/json': '{"statusCode": 200}' },
          responses: { default: { statusCode: '200' } },
        },
      },
    }),
  );
}
