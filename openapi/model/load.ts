// Loads a document once: read (bundle: external $refs inlined) for the body API Gateway imports, validate +
// dereference for reading, build the model, run the product rules. All problems are reported together.
import * as fs from 'node:fs';
import * as path from 'node:path';
import SwaggerParser from '@apidevtools/swagger-parser';
import type { ApiModel, JsonObject } from './types';
import { buildModel } from './build-model';
import { lintRules } from './rules';
import { readDocument, type SourceFiles } from './read';
import { locate } from './locate';
import { pointerOf, ProblemList, SpecError, type SpecProblem } from './problems';

export interface LintResult {
  /** Set only when the document has no errors (warnings allowed). */
  model?: ApiModel;
  problems: SpecProblem[];
}

interface AjvDetail {
  instancePath?: string;
  keyword?: string;
  message?: string;
  params?: Record<string, unknown>;
}

/** Loads, validates and models the document; never throws for a bad document. */
export async function lintSpec(file: string): Promise<LintResult> {
  const absolute = path.resolve(file);
  const problems = new ProblemList(absolute);
  if (!fs.existsSync(absolute) || !fs.statSync(absolute).isFile()) {
    problems.error(
      'file-not-found',
      '',
      `No file at ${absolute}.`,
      'Pass the path of an OpenAPI document (YAML or JSON).',
    );
    return { problems: problems.items };
  }
  const read = await readDocument(absolute, problems);
  if (!read) return { problems: problems.items };
  let deref: JsonObject;
  try {
    deref = (await new SwaggerParser().validate(structuredClone(read.body) as never)) as unknown as JsonObject;
  } catch (error) {
    for (const p of schemaProblems(error))
      problems.error('openapi-schema', p.pointer, p.message, 'Make the document valid OpenAPI at this place.');
    return { problems: withSources(problems.items, absolute, read.sources) };
  }
  const built = buildModel(absolute, deref, read.body);
  const all = withSources(
    [...problems.items, ...built.problems.items, ...lintRules(built.model)],
    absolute,
    read.sources,
  );
  return { model: all.some((p) => p.severity === 'error') ? undefined : built.model, problems: all };
}

/** Loads the model or throws a SpecError that lists every problem. */
export async function loadApiModel(file: string): Promise<ApiModel> {
  const result = await lintSpec(file);
  if (!result.model) throw new SpecError(result.problems);
  return result.model;
}

/** Says where a problem is written when that is not where its logical pointer suggests (another file, or behind a $ref). */
function withSources(problems: SpecProblem[], rootFile: string, sources: SourceFiles): SpecProblem[] {
  return problems.map((p) => {
    if (p.file !== rootFile) return p;
    const at = locate(rootFile, p.pointer, sources);
    if (at.file === rootFile && at.pointer === p.pointer) return p;
    const where =
      at.file === rootFile ? `#${at.pointer}` : `${path.relative(path.dirname(rootFile), at.file)}#${at.pointer}`;
    return { ...p, message: `${p.message} (written in ${where})` };
  });
}

function schemaProblems(error: unknown): { pointer: string; message: string }[] {
  const details = (error as { details?: AjvDetail[] }).details;
  if (Array.isArray(details) && details.length > 0) return ajvProblems(details);
  const message = error instanceof Error ? error.message.split('\n')[0] : String(error);
  return [{ pointer: specMessagePointer(message), message: message.replace(/^Validation failed\.\s*/, '') }];
}

/**
 * One problem per mistake. A failed oneOf/anyOf makes ajv report every branch; when a deeper error exists
 * (e.g. a bad `in` value) that one is the mistake, else the branches are merged into one message.
 */
function ajvProblems(details: AjvDetail[]): { pointer: string; message: string }[] {
  const at = (d: AjvDetail) => d.instancePath ?? '';
  const alternatives = new Set(details.filter((d) => d.keyword === 'oneOf' || d.keyword === 'anyOf').map(at));
  const hasDeeper = (p: string) => details.some((d) => at(d).startsWith(p + '/'));
  const out = new Map<string, { pointer: string; message: string }>();
  const allowedValues = new Map<string, string[]>();
  for (const d of details) {
    const pointer = at(d);
    if (alternatives.has(pointer) && hasDeeper(pointer)) continue;
    const extra = d.params && 'additionalProperty' in d.params ? String(d.params.additionalProperty) : undefined;
    if (alternatives.has(pointer)) {
      if (d.keyword === 'oneOf' || d.keyword === 'anyOf') continue;
      const branch = d.message ?? 'is invalid';
      const merged = out.get(pointer);
      const branches = merged
        ? `${merged.message.replace(/^matches none of the allowed forms: |\.$/g, '')} or ${branch}`
        : branch;
      out.set(pointer, { pointer, message: `matches none of the allowed forms: ${branches}.` });
      continue;
    }
    // Point at the unexpected property itself, where the editor should go.
    const target = pointer + (extra === undefined ? '' : pointerOf(extra));
    if (d.keyword === 'enum' && Array.isArray(d.params?.allowedValues)) {
      // Each oneOf branch lists its own values; one message with all of them.
      const key = `${target} enum`;
      const values = [...(allowedValues.get(key) ?? []), ...(d.params.allowedValues as unknown[]).map(String)];
      allowedValues.set(key, values);
      out.set(key, { pointer: target, message: `must be one of: ${[...new Set(values)].join(', ')}.` });
      continue;
    }
    const message = `${d.message ?? 'is invalid'}${extra === undefined ? '' : ` "${extra}"`}.`;
    out.set(target + message, { pointer: target, message });
  }
  return [...out.values()];
}

/** swagger-parser's Swagger 2.0 checks name the operation as `/paths<path>/<method>`, unescaped. */
function specMessagePointer(message: string): string {
  const m = /\/paths(\/\S*?)\/(get|put|post|delete|options|head|patch)\b/.exec(message);
  return m ? pointerOf('paths', m[1], m[2]) : '';
}
