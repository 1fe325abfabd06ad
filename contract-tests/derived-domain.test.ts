// The local stack goes through resolveProps as the module does: a document titled with "Cognito", whose default
// hosted-UI prefix Cognito would refuse, still stands up, and its contract checks pass.
import * as path from 'node:path';
import { runContract } from './run';
import { writeDocumentVariant } from './testing/document-variant';
import { LOCAL_CREDENTIALS, withTestStack } from './testing/local-stack';

const PETS = path.join(__dirname, '..', 'openapi', 'pets.yaml');

test('a title holding "Cognito" starts the local stack (derived domain prefix) and every check passes', async () => {
  const variant = writeDocumentVariant(PETS, (doc) => doc.setIn(['info', 'title'], 'Cognito Pets'));
  try {
    await withTestStack(variant.file, async (stack) => {
      expect(stack.model.title).toBe('Cognito Pets');
      const report = await runContract({
        spec: variant.file,
        outputsFile: stack.outputsFile,
        credentials: async () => LOCAL_CREDENTIALS,
      });
      expect(report.results.filter((r) => !r.passed).map((r) => r.name)).toEqual([]);
      expect(report.passed).toBeGreaterThan(0);
    });
  } finally {
    variant.remove();
  }
});
