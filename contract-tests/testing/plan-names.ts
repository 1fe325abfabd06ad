// Test support, run synchronously by contract.test.ts while jest collects tests (jest cannot define tests
// asynchronously): prints, per document and outputs file, the names of the checks the harness plans.
//   tsx contract-tests/testing/plan-names.ts <spec> <outputs file> [<spec> <outputs file>...]
import { loadApiModel } from '../../openapi/model/load';
import { bindAuthorizers } from '../binding';
import { loadOutputs } from '../outputs-file';
import { buildPlan } from '../plan';

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  if (args.length === 0 || args.length % 2 !== 0)
    throw new Error('usage: plan-names.ts <spec> <outputs file> [<spec> <outputs file>...]');
  const plans = [];
  for (let i = 0; i < args.length; i += 2) {
    const model = await loadApiModel(args[i]);
    const outputs = loadOutputs(args[i + 1]);
    const plan = buildPlan(model, outputs, bindAuthorizers(model, outputs));
    plans.push(plan.checks.map((c) => ({ name: c.name, operation: c.operation.id, case: c.case })));
  }
  process.stdout.write(JSON.stringify(plans));
}

main().catch((error: unknown) => {
  process.stderr.write(`plan-names: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
