// Dredd on the same document and stack as the harness: the document with its placeholders bound to the
// stack's outputs (Dredd would send `{{userPoolArn}}` as is, and the document it checks must be the one
// deployed), the hooks' plan from the model, and one Dredd CLI run timed from spawn to exit.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { bindPlaceholders } from '../../openapi/model/placeholders';
import type { ApiModel } from '../../openapi/model/types';
import { resolveFromOutputs } from '../../stack/binding';
import type { StackOutputs } from '../../stack/outputs';
import { measureCommand, REPO_ROOT } from '../lib/child';
import { dreddPlan } from './plan';

export type DreddRun =
  | {
      available: true;
      version: string;
      wallMs: number;
      testsTookMs: number;
      passing: number;
      failing: number;
      errors: number;
      skipped: number;
      total: number;
      failures: string[];
    }
  | { available: false; reason: string };

const HOOKS = path.join(__dirname, 'hooks.ts');

/** Writes the bound document and the hooks' plan into `dir`. */
export function prepareDreddInputs(
  model: ApiModel,
  outputs: StackOutputs,
  outputsFile: string,
  dir: string,
): { documentFile: string; planFile: string } {
  // A function or backend placeholder has no value in the outputs: an InputError at its pointer.
  const bound = bindPlaceholders(model.body, resolveFromOutputs(outputs, model));
  const text = JSON.stringify(bound, null, 2);
  const left = /\{\{[^}]*\}\}/.exec(text);
  if (left) throw new Error(`${model.file}: ${left[0]} is still in the document given to Dredd`);
  fs.mkdirSync(dir, { recursive: true });
  const documentFile = path.join(dir, 'dredd-document.json');
  const planFile = path.join(dir, 'dredd-plan.json');
  fs.writeFileSync(documentFile, text);
  fs.writeFileSync(planFile, JSON.stringify(dreddPlan(model, outputsFile)));
  return { documentFile, planFile };
}

function dreddVersion(): string | undefined {
  try {
    return (JSON.parse(fs.readFileSync(require.resolve('dredd/package.json'), 'utf8')) as { version: string }).version;
  } catch {
    return undefined;
  }
}

// eslint-disable-next-line no-control-regex -- ANSI escapes start with the ESC control character
const stripAnsi = (text: string): string => text.replace(/\u001b\[[0-9;]*m/g, '');

export async function runDredd(documentFile: string, apiUrl: string, planFile: string): Promise<DreddRun> {
  const version = dreddVersion();
  if (!version)
    return {
      available: false,
      reason: 'dredd is not installed (npm install --save-exact --save-dev dredd)',
    };
  const bin = path.join(path.dirname(require.resolve('dredd/package.json')), 'bin', 'dredd');
  // node on Dredd's bin rather than npx: npx's own start-up is no part of Dredd's time.
  const run = await measureCommand(
    'node',
    [bin, documentFile, apiUrl, '--require', 'tsx/cjs', '--hookfiles', HOOKS, '--color', 'false'],
    {
      cwd: REPO_ROOT,
      env: { ...process.env, GATEHOUSE_BENCH_DREDD_PLAN: planFile },
    },
  );
  const output = stripAnsi(`${run.stdout}\n${run.stderr}`);
  const complete = /complete: (\d+) passing, (\d+) failing, (\d+) errors, (\d+) skipped, (\d+) total/.exec(output);
  const took = /complete: Tests took (\d+)ms/.exec(output);
  if (!complete || !took)
    return {
      available: false,
      reason: `dredd ${version} did not complete on Node ${process.version} (exit ${run.exitCode}): ${output.trim().split('\n').slice(-5).join(' | ').slice(0, 600)}`,
    };
  const [passing, failing, errors, skipped, total] = complete.slice(1).map(Number);
  const failures = output
    .split('\n')
    .filter((line) => /^(fail|error):/.test(line))
    .slice(0, 10);
  return {
    available: true,
    version,
    wallMs: run.wallMs,
    testsTookMs: Number(took[1]),
    passing,
    failing,
    errors,
    skipped,
    total,
    failures,
  };
}
