// gatehouse lint <spec>... [--json]: every problem of each document (warnings too), then one summary line.
// Exit 2 when any document has an error, 0 otherwise. Writes no files.
import * as path from 'node:path';
import { lintSpec } from '../openapi/model/load';
import { formatProblems, ProblemError, type SpecProblem } from '../openapi/model/problems';
import type { ApiModel } from '../openapi/model/types';
import { chooseProject, propsFor } from '../stack/project';
import type { ProjectFile } from '../stack/project-file';
import { propsWarnings, resolveProps } from '../stack/resolve';
import type { LintOptions } from './program';

interface FileReport {
  file: string;
  errors: number;
  warnings: number;
  problems: SpecProblem[];
}

export async function execute(specs: string[], options: LintOptions): Promise<number> {
  const reports: FileReport[] = [];
  for (const spec of specs) {
    // The document's template variables come from its project file, as for every other command.
    const { project } = chooseProject({ spec, config: options.config });
    const result = await lintSpec(spec, { variables: project?.variables });
    if (result.model && project) result.problems.push(...scopeReach(result.model, project));
    const report = reportOf(spec, result.problems);
    reports.push(report);
    if (!options.json) {
      if (result.problems.length > 0) console.error(formatProblems(result.problems));
      console.log(summary(report, result.model));
    }
  }
  if (options.json) console.log(JSON.stringify(reports.length === 1 ? reports[0] : reports, null, 2));
  return reports.some((r) => r.errors > 0) ? 2 : 0;
}

/**
 * With a project file the props' clients are known, so a scoped route none of them can get a token for is
 * warned about here too, not only at synth (stack/scope-reach.ts). Props the project file gets wrong are
 * synth's to report; lint says nothing of them.
 */
function scopeReach(model: ApiModel, project: ProjectFile): SpecProblem[] {
  try {
    const chosen = propsFor(model, project);
    const resolved = resolveProps(chosen.props, model, chosen.stackName, chosen.propsFile);
    return propsWarnings(model, resolved).filter((p) => p.rule === 'scope-unobtainable');
  } catch (error) {
    if (error instanceof ProblemError) return [];
    throw error;
  }
}

function reportOf(spec: string, problems: SpecProblem[]): FileReport {
  return {
    file: path.resolve(spec),
    errors: problems.filter((p) => p.severity === 'error').length,
    warnings: problems.filter((p) => p.severity === 'warning').length,
    problems,
  };
}

function summary(report: FileReport, model: ApiModel | undefined): string {
  const counts = `${plural(report.errors, 'error')}, ${plural(report.warnings, 'warning')}`;
  const rel = path.relative(process.cwd(), report.file) || report.file;
  if (!model) return `${rel}: ${counts}`;
  const api = model.kind === 'rest' ? 'REST API' : 'HTTP API';
  return `${rel}: ${counts} (${api} "${model.title}", ${plural(model.operations.length, 'operation')}, ${model.format})`;
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}
