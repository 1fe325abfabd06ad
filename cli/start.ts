// gatehouse start (`npm start`): the main job, per document: lint, synth, local stack up, every
// contract check, the report, stack down. Exit 0 when every check of every document passes.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { lintSpec } from '../openapi/model/load';
import { formatProblems, SpecError } from '../openapi/model/problems';
import { PROJECT_FILE_NAMES } from '../stack/project-file';
import { chooseProject, localStackInputs, type ProjectChoice, type ProjectRequest } from '../stack/project';
import { startLocalStack } from '../local/stack';
import { standInLines } from '../local/gateway/listing';
import { runContract } from '../contract-tests/run';
import { formatTable, progressLine, toJUnit, toJson } from '../contract-tests/report';
import { toHtml } from '../contract-tests/html-report';
import { concurrencyOf } from './errors';
import type { StartOptions } from './program';

const DEFAULT_SPECS = ['openapi/pets.yaml', 'openapi/hello-http.yaml'];

interface DocumentOutcome {
  spec: string;
  passed: number;
  failed: number;
  coldStartMs: number;
}

export async function execute(options: StartOptions): Promise<number> {
  const concurrency = concurrencyOf(options.concurrency, 8);
  const requests: ProjectRequest[] =
    options.spec && options.spec.length > 0
      ? options.spec.map((spec) => ({ spec, config: options.config }))
      : options.config || PROJECT_FILE_NAMES.some((name) => fs.existsSync(name))
        ? [{ config: options.config }]
        : DEFAULT_SPECS.map((spec) => ({ spec }));
  const outcomes: DocumentOutcome[] = [];
  for (const request of requests)
    outcomes.push(await runDocument(chooseProject(request), options.reports, concurrency));

  console.log('\nsummary');
  for (const o of outcomes)
    console.log(
      `  ${o.failed === 0 ? 'PASS' : 'FAIL'} ${o.spec}: ${o.passed} passed, ${o.failed} failed; local stack cold start ${o.coldStartMs.toFixed(0)} ms`,
    );
  const failed = outcomes.reduce((n, o) => n + o.failed, 0);
  const passed = outcomes.reduce((n, o) => n + o.passed, 0);
  console.log(`${passed} passed, ${failed} failed`);
  return failed === 0 ? 0 : 1;
}

async function runDocument(choice: ProjectChoice, reports: string, concurrency: number): Promise<DocumentOutcome> {
  const { spec, project } = choice;
  const step = (n: number, text: string) => console.log(`[${n}/5] ${text}`);
  console.log(
    `\n== ${path.relative(process.cwd(), spec) || spec}${project ? ` (${path.relative(process.cwd(), project.file)})` : ''}`,
  );

  const lint = await lintSpec(spec, { variables: project?.variables });
  if (!lint.model) throw new SpecError(lint.problems);
  const model = lint.model;
  const warnings = lint.problems.filter((p) => p.severity === 'warning');
  step(
    1,
    `lint: ${model.kind === 'rest' ? 'REST' : 'HTTP'} API, ${model.operations.length} operations, ${warnings.length} warning(s)`,
  );
  if (warnings.length > 0) console.log(indent(formatProblems(warnings)));

  const synthStarted = performance.now();
  const { synth } = await import('../main');
  // The model goes to synth, the local stack and the harness: each document is read and checked once.
  const local = localStackInputs(model, project);
  const { stackName } = local;
  await synth(process.env, model, project);
  const tfJson = path.join(process.env.CDKTF_OUTDIR ?? 'cdktf.out', 'stacks', stackName, 'cdk.tf.json');
  const resources = countResources(tfJson);
  step(2, `synth: ${tfJson} (${resources} resources) in ${(performance.now() - synthStarted).toFixed(0)} ms`);

  const outputsFile = path.join(reports, `${stackName}.local-outputs.json`);
  const stack = await startLocalStack({ spec: model, ...local, outputsFile });
  step(3, `local stack up: cold start ${stack.coldStartMs.toFixed(0)} ms, API ${stack.outputs.api_url}`);
  for (const line of standInLines(stack.standIns, stack.forwarded, stack.refused)) console.log(line);
  try {
    step(4, 'contract checks');
    const report = await runContract({
      spec: model,
      outputsFile,
      projectFile: project,
      concurrency,
      handleSignals: true,
      onResult: (r) => console.error(`  ${progressLine(r)}`),
    });
    console.log(formatTable(report));
    fs.mkdirSync(reports, { recursive: true });
    fs.writeFileSync(path.join(reports, `${stackName}.junit.xml`), toJUnit(report));
    fs.writeFileSync(path.join(reports, `${stackName}.json`), toJson(report));
    fs.writeFileSync(path.join(reports, `${stackName}.html`), toHtml(report));
    return { spec, passed: report.passed, failed: report.failed, coldStartMs: stack.coldStartMs };
  } finally {
    await stack.stop();
    step(5, 'local stack down');
  }
}

function countResources(tfJsonFile: string): number {
  const tf = JSON.parse(fs.readFileSync(tfJsonFile, 'utf8')) as { resource?: Record<string, Record<string, unknown>> };
  return Object.values(tf.resource ?? {}).reduce((n, byName) => n + Object.keys(byName).length, 0);
}

function indent(text: string): string {
  return text.replace(/^/gm, '    ');
}
