// The CDK for Terraform app: one stack deploying the document in API_SPEC (default openapi/pets.yaml)
// to STAGE (default prod) in AWS_REGION (default us-east-1). `cdktf synth` runs it (see cdktf.json).
import { lintSpec } from './openapi/model/load';
import { formatProblems, ProblemError, SpecError, type Problem } from './openapi/model/problems';
import type { ApiModel } from './openapi/model/types';
import type { ProjectFile } from './stack/project-file';
import { propsFor, type ProjectProps } from './stack/project';
import { bindingProblems, propsWarnings, resolveProps } from './stack/resolve';

export const DEFAULT_SPEC = 'openapi/pets.yaml';
export const DEFAULT_REGION = 'us-east-1';
/** Warnings shown in full; a large document can repeat one warning per operation. */
const WARNINGS_SHOWN = 10;

/**
 * Checks the document and the props before the app exists: cdktf's App creates its output directory
 * when constructed, and a refused document must leave nothing behind. Given a loaded model (one that
 * loadApiModel or lintSpec gave, its warnings already shown), the document is not read again.
 */
export async function loadChecked(
  env: NodeJS.ProcessEnv,
  document: string | ApiModel = env.API_SPEC || DEFAULT_SPEC,
  project?: ProjectFile,
): Promise<ProjectProps & { model: ApiModel }> {
  const model = typeof document === 'string' ? await lintChecked(document, project?.variables) : document;
  const chosen = propsFor(model, project, env);
  const resolved = resolveProps(chosen.props, model, chosen.stackName, chosen.propsFile);
  const unbound = bindingProblems(model, chosen.props, resolved);
  if (unbound.length > 0) throw new SpecError(unbound);
  showWarnings(propsWarnings(model, resolved));
  return { ...chosen, model };
}

/** Warnings on stderr, at most WARNINGS_SHOWN of them, then where to see the rest. */
function showWarnings(warnings: Problem[], listsAll?: string): void {
  if (warnings.length > 0) console.error(formatProblems(warnings.slice(0, WARNINGS_SHOWN)));
  if (warnings.length > WARNINGS_SHOWN)
    console.error(
      `... and ${warnings.length - WARNINGS_SHOWN} more warnings${listsAll ? `: ${listsAll} lists them all` : ''}.`,
    );
}

/** Loads the document, with its warnings shown, or throws a SpecError. */
export async function lintChecked(spec: string, variables: Record<string, string> = {}): Promise<ApiModel> {
  const result = await lintSpec(spec, { variables });
  if (!result.model) throw new SpecError(result.problems);
  showWarnings(
    result.problems.filter((p) => p.severity === 'warning'),
    `gatehouse lint ${spec}`,
  );
  return result.model;
}

/**
 * Synthesizes the stack of `document` (default: API_SPEC): a path, or a model already loaded, with the project
 * file's props when one is given (the example props otherwise). Writes to CDKTF_OUTDIR (default cdktf.out).
 */
export async function synth(
  env: NodeJS.ProcessEnv = process.env,
  document?: string | ApiModel,
  project?: ProjectFile,
): Promise<{ stackName: string; outdir: string }> {
  const { props, stackName } = await loadChecked(env, document, project);
  // The CDK for Terraform (CDK Terrain or cdktf) and the provider load only once the document is known to be good.
  const { defaultFramework } = await import('./modules/cdk');
  const { SecuredApi } = await import('./modules/secured-api');
  const { core, aws } = defaultFramework(env);
  const app = new core.App(env.CDKTF_OUTDIR ? { outdir: env.CDKTF_OUTDIR } : {});
  const stack = new core.TerraformStack(app, stackName);
  new aws.AwsProvider(stack, 'aws', { region: project?.region || env.AWS_REGION || DEFAULT_REGION });
  new SecuredApi(stack, 'api', props);
  app.synth();
  return { stackName, outdir: app.outdir };
}

if (require.main === module) {
  // `npm run synth` runs `main.ts --check` before `cdktf synth`: cdktf reports any failure of its app as exit 1,
  // so the check is what exits 2 for a bad document or bad props, as gatehouse lint does.
  const run = process.argv.includes('--check') ? loadChecked(process.env).then(() => undefined) : synth();
  run.catch((error: unknown) => {
    // Anything the user can fix (the document, the props): every problem, exit 2, as the CLI does.
    if (error instanceof ProblemError) {
      console.error(formatProblems(error.problems));
      process.exitCode = 2;
    } else {
      console.error(error instanceof Error ? `main.ts: ${error.message}` : String(error));
      process.exitCode = 1;
    }
  });
}
