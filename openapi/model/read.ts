// Reads a document and every file it $refs. Gives the bundled body (external $refs inlined, as API Gateway
// imports it) and the files as written, so a problem's logical pointer can be traced to the file it is in.
// Every file is parsed by parse-text.ts (JSON, or YAML with CloudFormation's short-form tags), the entry
// file here and the others through swagger-parser's parser hook, so $ref resolution works as before.
// Read failures (syntax, broken $ref, not OpenAPI) become problems that name the file and the pointer. A file over
// the document limits, or a $ref to a URL or outside the ref root (the document's folder), is refused before
// anything is resolved (document-limits.ts, ref-guard.ts).
import * as fs from 'node:fs';
import * as path from 'node:path';
import SwaggerParser from '@apidevtools/swagger-parser';
import type { Json, JsonObject } from './types';
import { pointerOf, type Problem, type ProblemList } from './problems';
import { parseText, TextSyntaxError } from './parse-text';
import { DOCUMENT_LIMITS, DocumentLimitError, fileTooLarge, withinStageLimit } from './document-limits';
import { guardedResolve, refProblems } from './ref-guard';
import { isRefObject, keptAsWritten, pointerKeys } from './ref-pointers';

/** Absolute file path -> the file's content as parsed, $refs untouched. */
export type SourceFiles = Record<string, Json>;

export interface ReadDocument {
  body: JsonObject;
  sources: SourceFiles;
}

/**
 * swagger-parser's options for one read: every file a $ref names is parsed as the entry file is, its $refs
 * checked (found problems go to `found`), and files are read only under `root`, never over http.
 */
function parseOptions(root: string, found: Problem[]): SwaggerParser.Options {
  return {
    resolve: guardedResolve(root, found),
    parse: {
      json: false,
      text: false,
      binary: false,
      yaml: {
        order: 1,
        allowEmpty: true,
        canParse: true,
        parse(file: { url: string; data: Buffer | string }): Json {
          const text = typeof file.data === 'string' ? file.data : file.data.toString('utf8');
          const name = safeFilePath(file.url);
          try {
            const content = parseText(file.url, text);
            found.push(...refProblems(name, content, root, false));
            return content;
          } catch (error) {
            if (error instanceof DocumentLimitError) found.push(limitProblem(name, error));
            throw error;
          }
        },
      },
    },
  } as unknown as SwaggerParser.Options;
}

function safeFilePath(url: string): string {
  try {
    return path.resolve(decodeURIComponent(url));
  } catch {
    return path.resolve(url);
  }
}

export function limitProblem(file: string, error: DocumentLimitError): Problem {
  return {
    severity: 'error',
    rule: `document-limit-${error.limit.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}`,
    file,
    pointer: error.pointer,
    message: error.message,
    fix: error.fix,
  };
}

/** What json-schema-ref-parser attaches to its errors. */
interface RefParserError {
  name?: string;
  code?: string;
  message?: string;
  source?: string;
  path?: (string | number)[];
  errors?: RefParserError[];
}

/**
 * @param refRoot the folder $refs may name files in (default: the document's folder)
 */
export async function readDocument(
  file: string,
  problems: ProblemList,
  refRoot = path.dirname(file),
): Promise<ReadDocument | undefined> {
  let root: Json;
  try {
    // A file over the size limit is refused before it is read into memory.
    const size = fs.statSync(file).size;
    if (size > DOCUMENT_LIMITS.fileBytes) throw fileTooLarge(size);
    root = parseText(file, fs.readFileSync(file, 'utf8'));
  } catch (error) {
    if (error instanceof DocumentLimitError) {
      problems.items.push(limitProblem(file, error));
      return undefined;
    }
    if (!(error instanceof TextSyntaxError)) throw error;
    reportSyntaxError(file, `Error parsing ${file}: ${error.message}`, problems);
    return undefined;
  }
  const found = refProblems(file, root, path.resolve(refRoot), true);
  if (found.length > 0) {
    problems.items.push(...found);
    return undefined;
  }
  const PARSE_OPTIONS = parseOptions(path.resolve(refRoot), found);
  // `swagger: 2.0` unquoted is a number, which swagger-parser refuses; it stands for "2.0", and the body carries
  // "2.0", the same document to API Gateway.
  const entry = isObject(root) && typeof root.swagger === 'number' ? { ...root, swagger: '2.0' } : root;
  let result: ReadDocument;
  try {
    if (bundlesToItself(entry)) {
      // swagger-parser's checks of the version fields, which resolving runs first; the entry is not copied.
      await new SwaggerParser().parse(file, entry as never, PARSE_OPTIONS);
      result = { body: entry as JsonObject, sources: { [file]: root } };
    } else {
      const resolver = new SwaggerParser();
      await withinStageLimit('resolving $refs', resolver.resolve(file, structuredClone(entry) as never, PARSE_OPTIONS));
      const sources = structuredClone(resolver.$refs.values()) as SourceFiles;
      sources[file] = root;
      const body = (await withinStageLimit(
        'bundling $refs',
        new SwaggerParser().bundle(file, structuredClone(entry) as never, PARSE_OPTIONS),
      )) as unknown as JsonObject;
      result = { body, sources };
    }
  } catch (error) {
    if (error instanceof DocumentLimitError) {
      problems.items.push(limitProblem(file, error));
      return undefined;
    }
    // A file $ref'd over a limit, or with $refs of its own that are refused, says so rather than "cannot resolve".
    if (found.length > 0) problems.items.push(...unique(found));
    else await reportReadError(file, entry, error as RefParserError, problems, PARSE_OPTIONS);
    return undefined;
  }
  if (found.length > 0) {
    problems.items.push(...unique(found));
    return undefined;
  }
  return result;
}

/**
 * Whether swagger-parser's resolve and bundle would give the entry back as it is, so both can be skipped (with
 * the two full copies they work on, 1.7 s of CPU in a 10,000-operation synth): no $ref names another file, and
 * every `#/...` $ref names a value of the entry, reached without passing a $ref object, by a pointer written as
 * bundle writes it back. Bundle rewrites an internal $ref only to the pointer its resolution ends at, which is
 * then the pointer as written. A $ref through or to another $ref, one that does not resolve, or one with
 * characters URL parsing encodes takes the full path (the differential test in read.test.ts compares the two).
 */
export function bundlesToItself(entry: Json): boolean {
  const pending: Json[] = [entry];
  while (pending.length > 0) {
    const value = pending.pop();
    if (Array.isArray(value)) {
      for (const item of value) if (typeof item === 'object' && item !== null) pending.push(item);
      continue;
    }
    if (!isObject(value) || ArrayBuffer.isView(value)) continue;
    if (isRefObject(value)) {
      const ref = value.$ref;
      if (ref[0] !== '#') return false;
      // `#name` is no JSON pointer: json-schema-ref-parser leaves it alone.
      if ((ref.startsWith('#/') || ref === '#') && !resolvesDirectly(entry, ref)) return false;
    }
    for (const key of Object.keys(value)) {
      const child = value[key];
      if (typeof child === 'object' && child !== null) pending.push(child);
    }
  }
  return true;
}

/** Whether the pointer resolves in `root` as json-schema-ref-parser's Pointer does, meeting no $ref object. */
function resolvesDirectly(root: Json, ref: string): boolean {
  if (!keptAsWritten(ref)) return false;
  let value: Json | undefined = root;
  for (const token of pointerKeys(ref)) {
    if (typeof value !== 'object' || value === null || isRefObject(value)) return false;
    value = (value as Record<string, Json | undefined>)[token];
    // Missing (json-schema-ref-parser then tries keys holding a slash) or null (it gives a symbol): its choice.
    if (value === undefined || value === null) return false;
  }
  return !isRefObject(value);
}

/** The hook sees each file once per pass (resolve, then bundle): one problem each. */
function unique(found: Problem[]): Problem[] {
  const seen = new Set<string>();
  return found.filter((p) => {
    const key = `${p.rule} ${p.file} ${p.pointer}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

function isObject(v: Json | undefined): v is JsonObject {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

async function reportReadError(
  file: string,
  entry: Json,
  error: RefParserError,
  problems: ProblemList,
  options: SwaggerParser.Options,
): Promise<void> {
  const message = error.message ?? String(error);
  if (error.name === 'ParserError' || error.code === 'EPARSER') {
    reportSyntaxError(file, message, problems);
    return;
  }
  if (/is not a valid (Openapi API definition|JSON Schema)$/.test(message)) {
    problems.error(
      'document-not-openapi',
      '',
      'The document is not an OpenAPI document: it has neither an "openapi" nor a "swagger" field, or no "paths".',
      'Start the document with openapi: 3.0.3 (or swagger: "2.0") and give it paths.',
    );
    return;
  }
  if (/^(Unsupported OpenAPI version|Unrecognized Swagger version|.*version number must be a string)/.test(message)) {
    problems.error(
      'document-version',
      '/' + (/Swagger/.test(message) ? 'swagger' : /^API version/.test(message) ? 'info/version' : 'openapi'),
      message,
      'Write openapi: 3.0.3 (or 3.1.0), or swagger: "2.0", as a quoted string.',
    );
    return;
  }
  if (error.code === 'ERESOLVER' || error.code === 'EMISSINGPOINTER' || error.code === 'EINVALIDPOINTER') {
    // The first error has no location; reading again with continueOnError collects every broken $ref with its path.
    for (const broken of await brokenRefs(file, entry, options)) {
      problems.items.push({
        severity: 'error',
        rule: 'ref-unresolved',
        file: broken.source ? path.resolve(broken.source) : file,
        pointer: pointerOf(...(broken.path ?? []).map(String)),
        message: `$ref cannot be resolved: ${firstLine(broken.message ?? '')}`,
        fix: 'Point the $ref at a file that exists (paths are relative to the file holding the $ref) and a JSON pointer inside it, e.g. ./schemas.yaml#/Pet.',
      });
    }
    return;
  }
  problems.error(
    'document-unreadable',
    '',
    firstLine(message),
    'Make the file a readable OpenAPI document (YAML or JSON).',
  );
}

async function brokenRefs(file: string, entry: Json, options: SwaggerParser.Options): Promise<RefParserError[]> {
  try {
    await new SwaggerParser().bundle(file, structuredClone(entry) as never, {
      ...options,
      continueOnError: true,
    });
  } catch (group) {
    const errors = (group as RefParserError).errors;
    if (Array.isArray(errors) && errors.length > 0) return errors;
    return [group as RefParserError];
  }
  return [];
}

/** `Error parsing <file>: <reason> (<line>:<col>)` followed by an excerpt; the problem names the file that failed. */
function reportSyntaxError(file: string, message: string, problems: ProblemList): void {
  const m = /^Error parsing (.+?): (.*)$/m.exec(message);
  const failed = m ? path.resolve(m[1]) : file;
  const reason = m ? m[2] : firstLine(message);
  const lineCol = /\((\d+):(\d+)\)\s*$/.exec(reason);
  problems.items.push({
    severity: 'error',
    rule: 'document-syntax',
    file: failed,
    pointer: '',
    message: `The file is not valid ${/\.json(\.(tftpl|tpl|tmpl))?$/i.test(failed) ? 'JSON' : 'YAML'}: ${reason}${lineCol ? '' : '.'}`,
    fix: lineCol
      ? `Fix the syntax at line ${lineCol[1]}, column ${lineCol[2]} (or just before it).`
      : 'Fix the syntax named in the message.',
  });
}

function firstLine(text: string): string {
  return text.split('\n')[0].trim();
}
