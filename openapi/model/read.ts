// Reads a document and every file it $refs. Gives the bundled body (external $refs inlined, as API Gateway
// imports it) and the files as written, so a problem's logical pointer can be traced to the file it is in.
// Read failures (syntax, broken $ref, not OpenAPI) become problems that name the file and the pointer.
import * as path from 'node:path';
import SwaggerParser from '@apidevtools/swagger-parser';
import type { Json, JsonObject } from './types';
import { pointerOf, type ProblemList } from './problems';

/** Absolute file path -> the file's content as parsed, $refs untouched. */
export type SourceFiles = Record<string, Json>;

export interface ReadDocument {
  body: JsonObject;
  sources: SourceFiles;
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

export async function readDocument(file: string, problems: ProblemList): Promise<ReadDocument | undefined> {
  try {
    const resolver = new SwaggerParser();
    await resolver.resolve(file);
    const sources = structuredClone(resolver.$refs.values()) as SourceFiles;
    const body = (await new SwaggerParser().bundle(file)) as unknown as JsonObject;
    return { body, sources };
  } catch (error) {
    await reportReadError(file, error as RefParserError, problems);
    return undefined;
  }
}

async function reportReadError(file: string, error: RefParserError, problems: ProblemList): Promise<void> {
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
    for (const broken of await brokenRefs(file)) {
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

async function brokenRefs(file: string): Promise<RefParserError[]> {
  try {
    await new SwaggerParser().bundle(file, { continueOnError: true });
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
    message: `The file is not valid ${/\.json$/i.test(failed) ? 'JSON' : 'YAML'}: ${reason}${lineCol ? '' : '.'}`,
    fix: lineCol
      ? `Fix the syntax at line ${lineCol[1]}, column ${lineCol[2]} (or just before it).`
      : 'Fix the syntax named in the message.',
  });
}

function firstLine(text: string): string {
  return text.split('\n')[0].trim();
}
