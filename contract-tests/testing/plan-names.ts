// Test support, run synchronously by contract.test.ts while jest collects tests (jest cannot define tests
// asynchronously): prints the names of the checks the harness plans for a document and outputs file.
//   tsx contract-tests/testing/plan-names.ts <spec> <outputs file>
import { loadApiModel } from '../../openapi/model/load';
import { bindAuthorizers } from '../binding';
import { loadOutputs } from '../outputs-file';
import { buildPlan } from '../plan';

async function main(): Promise<void> {
  const [spec, outputsFile] = process.argv.slice(2);
  const model = await loadApiModel(spec);
  const outputs = loadOutputs(outputsFile);
  const plan = buildPlan(model, outputs, bindAuthorizers(model, outputs));
  process.stdout.write(JSON.stringify(plan.checks.map((c) => ({ name: c.name, operation: c.operation.id, case: c.case }))));
}

main().catch((error: unknown) => {
  process.stderr.write(`plan-names: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
