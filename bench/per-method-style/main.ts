// The per-method style's app, run like main.ts: API_SPEC names the document, CDKTF_OUTDIR the output.
// Run: API_SPEC=<file> CDKTF_OUTDIR=<dir> npx tsx bench/per-method-style/main.ts
import { App, TerraformStack } from 'cdktf';
import { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import { loadApiModel } from '../../openapi/model/load';
import { InputError, ProblemError, formatProblems, problemAt } from '../../openapi/model/problems';
import { stackNameOf } from '../../stack/app-props';
import { PerMethodApi } from './per-method-api';

export async function synthPerMethod(env: NodeJS.ProcessEnv = process.env): Promise<void> {
  if (!env.API_SPEC)
    throw new InputError([
      problemAt(
        'env-missing',
        'API_SPEC',
        '',
        'Not set: it names the OpenAPI document to synthesize.',
        'Run API_SPEC=<openapi file> npx tsx bench/per-method-style/main.ts.',
      ),
    ]);
  const model = await loadApiModel(env.API_SPEC);
  const app = new App();
  const stack = new TerraformStack(app, stackNameOf(model.title));
  new AwsProvider(stack, 'aws', { region: env.AWS_REGION || 'us-east-1' });
  new PerMethodApi(stack, 'api', { model, stageName: env.STAGE || 'prod' });
  app.synth();
}

if (require.main === module) {
  synthPerMethod().catch((error: unknown) => {
    if (error instanceof ProblemError) {
      console.error(formatProblems(error.problems));
      process.exitCode = 2;
      return;
    }
    console.error(error instanceof Error ? `per-method-style: ${error.message}` : String(error));
    process.exitCode = 1;
  });
}
