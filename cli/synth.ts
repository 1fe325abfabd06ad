// gatehouse synth: cdk.tf.json for the document and the project file's props, for teams without a cdktf app
// of their own (the same synth main.ts runs). Exit 2 on a bad document or bad props, nothing written.
import * as path from 'node:path';
import { lintChecked } from '../main';
import { chooseProject } from '../stack/project';
import type { SynthOptions } from './program';

export async function execute(options: SynthOptions): Promise<number> {
  const { spec, project } = chooseProject(options);
  const model = await lintChecked(spec, project?.variables);
  const { synth } = await import('../main');
  const { stackName, outdir } = await synth({ ...process.env, CDKTF_OUTDIR: options.out }, model, project);
  console.log(`${path.join(path.relative(process.cwd(), outdir) || '.', 'stacks', stackName, 'cdk.tf.json')}`);
  return 0;
}
