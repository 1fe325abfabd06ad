// gatehouse lint <spec>... [--json]: every problem of each document (warnings too), then one summary line.
// Exit 2 when any document has an error, 0 otherwise. Writes no files.
import * as path from 'node:path';
import { lintSpec } from '../openapi/model/load';
import { formatProblems, type SpecProblem } from '../openapi/model/problems';
import type { ApiModel } from '../openapi/model/types';
import { chooseProject } from '../stack/project';
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
