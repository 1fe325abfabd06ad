// Loads a document once: read (bundle: external $refs inlined) for the body API Gateway imports, bind its
// template variables, check it against the OpenAPI schema, dereference it for reading, build the model, run the product rules. Every
// problem of the document comes back from one run, schema problems included.
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { ApiModel, JsonObject } from './types';
import { buildModel, formatOf } from './build-model';
import { dereferenceDocument, type Dereferenced } from './dereference';
import { lintRules } from './rules';
import { limitProblem, readDocument, type SourceFiles } from './read';
import { DocumentLimitError, withinStageLimit } from './document-limits';
import { locate } from './locate';
import { ProblemList, SpecError, type SpecProblem } from './problems';
import { schemaProblems, type SchemaProblem } from './schema-check';
import { bindTemplateVariables, type TemplateVariables } from './template-variables';

export interface LintResult {
  /** Set only when the document has no errors (warnings allowed). */
  model?: ApiModel;
  problems: SpecProblem[];
}

export interface LoadOptions {
  /**
   * The document's template variables (Terraform templatefile names, CloudFormation logical ids or
   * `Resource.Attribute`, Fn::Sub variables) -> a placeholder such as `{{lambda:orders}}`, or a literal; the
   * project file's `variables`. See template-variables.ts.
   */
  variables?: TemplateVariables;
  /**
   * The folder $refs may name files in (and below); default the document's folder. A $ref to a URL or outside
   * it is refused (ref-guard.ts).
   */
  refRoot?: string;
}

/** Loads, validates and models the document; never throws for a bad document. */
export async function lintSpec(file: string, options: LoadOptions = {}): Promise<LintResult> {
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
  const read = await readDocument(absolute, problems, options.refRoot);
  if (!read) return { problems: problems.items };
  // Template variables are bound first: everything after reads an ordinary document.
  const bound = bindTemplateVariables(read.body, options.variables ?? {}, problems);
  const body = bound.doc;
  // A field holding an unbound name is reported as that; what else is wrong with its value follows from it.
  const consequence = (p: SpecProblem) => !p.rule.startsWith('template-') && bound.unboundAt.has(p.pointer);
  const format = formatOf(body);
  // Schema problems do not stop the run: the model is built all the same, so one run reports everything.
  let schema: SchemaProblem[];
  let dereferenced: Dereferenced | undefined;
  try {
    // Dereferenced first: the schema check reads the same graph when it can (schema-check.ts).
    dereferenced = await withinStageLimit('dereferencing it', dereference(body, problems));
    schema = await withinStageLimit(
      'checking it against the OpenAPI schema',
      schemaProblems(body, format, dereferenced),
    );
  } catch (error) {
    if (!(error instanceof DocumentLimitError)) throw error;
    problems.items.push(limitProblem(absolute, error));
    return { problems: problems.items };
  }
  const deref = dereferenced?.value;
  if (!deref)
    return { problems: withSources([...problems.items, ...schemaItems(schema, [], absolute)], absolute, read.sources) };
  const built = buildModel(absolute, deref, body);
  const all = withSources(
    [
      ...problems.items,
      ...schemaItems(schema, built.problems.items, absolute),
      ...built.problems.items,
      ...lintRules(built.model),
    ].filter((p) => !consequence(p)),
    absolute,
    read.sources,
  );
  return { model: all.some((p) => p.severity === 'error') ? undefined : built.model, problems: all };
}

/** Loads the model or throws a SpecError that lists every problem. */
export async function loadApiModel(file: string, options: LoadOptions = {}): Promise<ApiModel> {
  const result = await lintSpec(file, options);
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

/** The document with every $ref resolved, for reading; a failure (which read.ts has not caught) is a problem. */
async function dereference(body: JsonObject, problems: ProblemList): Promise<Dereferenced | undefined> {
  try {
    return await dereferenceDocument(body);
  } catch (error) {
    problems.error(
      'document-unreadable',
      '',
      error instanceof Error ? error.message.split('\n')[0] : String(error),
      'Make the file a readable OpenAPI document (YAML or JSON).',
    );
    return undefined;
  }
}

/**
 * Schema problems as the document's problems. Where the model already says what is wrong with a security
 * scheme in API Gateway's terms (no authorizer, not a header), the schema's complaint about the same scheme's
 * fields is the same mistake and is left out.
 */
function schemaItems(schema: SchemaProblem[], model: SpecProblem[], file: string): SpecProblem[] {
  const schemesWithModelErrors = new Set(model.filter((p) => p.severity === 'error').map((p) => p.pointer));
  return schema
    .filter((p) => !(p.rule === 'security-scheme-fields' && schemesWithModelErrors.has(p.pointer.replace(/\/in$/, ''))))
    .map((p) => ({ severity: 'error' as const, file, ...p }));
}
