// Loads a document once: bundle (external $refs inlined) for the body API Gateway imports,
// validate + dereference for reading, then build the model. All problems are reported together.
import * as fs from 'node:fs';
import * as path from 'node:path';
import SwaggerParser from '@apidevtools/swagger-parser';
import type { ApiModel, JsonObject } from './types';
import { buildModel } from './build-model';
import { ProblemList, SpecError, type SpecProblem } from './problems';

export interface LintResult {
  model?: ApiModel;
  problems: SpecProblem[];
}

interface AjvDetail {
  instancePath?: string;
  message?: string;
  params?: Record<string, unknown>;
}

/** Loads, validates and models the document; never throws for a bad document. */
export async function lintSpec(file: string): Promise<LintResult> {
  const absolute = path.resolve(file);
  const problems = new ProblemList(absolute);
  if (!fs.existsSync(absolute)) {
    problems.error('file-not-found', '', `No file at ${absolute}.`, 'Pass the path of an OpenAPI document (YAML or JSON).');
    return { problems: problems.items };
  }
  let body: JsonObject;
  try {
    body = (await new SwaggerParser().bundle(absolute)) as unknown as JsonObject;
  } catch (error) {
    problems.error('document-unreadable', '', firstLine(error), 'Fix the YAML/JSON syntax or the $ref named in the message.');
    return { problems: problems.items };
  }
  if (typeof body.swagger !== 'string' && typeof body.openapi !== 'string') {
    problems.error('document-not-openapi', '', 'The document has neither an "openapi" nor a "swagger" field.', 'Start the document with openapi: 3.0.3 (or swagger: "2.0").');
    return { problems: problems.items };
  }
  let deref: JsonObject;
  try {
    deref = (await new SwaggerParser().validate(structuredClone(body) as never)) as unknown as JsonObject;
  } catch (error) {
    for (const p of schemaProblems(error)) problems.error('openapi-schema', p.pointer, p.message, 'Make the document valid OpenAPI at this place.');
    return { problems: problems.items };
  }
  const built = buildModel(absolute, deref, body);
  return { model: built.model, problems: [...problems.items, ...built.problems.items] };
}

/** Loads the model or throws a SpecError that lists every problem. */
export async function loadApiModel(file: string): Promise<ApiModel> {
  const result = await lintSpec(file);
  if (!result.model) throw new SpecError(result.problems);
  return result.model;
}

function firstLine(error: unknown): string {
  const text = error instanceof Error ? error.message : String(error);
  return text.split('\n').slice(0, 3).join(' ').trim();
}

function schemaProblems(error: unknown): { pointer: string; message: string }[] {
  const details = (error as { details?: AjvDetail[] }).details;
  if (Array.isArray(details) && details.length > 0) {
    const seen = new Set<string>();
    return details
      .map((d) => {
        const extra = d.params && 'additionalProperty' in d.params ? ` "${String(d.params.additionalProperty)}"` : '';
        return { pointer: d.instancePath ?? '', message: `${d.message ?? 'is invalid'}${extra}.` };
      })
      .filter((p) => (seen.has(p.pointer + p.message) ? false : (seen.add(p.pointer + p.message), true)));
  }
  return [{ pointer: '', message: firstLine(error) }];
}
