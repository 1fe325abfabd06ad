// Where a $ref may point. A document names files on the machine that lints and deploys it, and whatever a
// $ref reaches is inlined into the body API Gateway imports (cdk.tf.json deploys it). So a $ref never goes
// over the network and never leaves the document's folder (its ref root), and a $ref that names what contains
// it (`#`, or the path item it is written in) is refused instead of silently yielding nothing. Checked on
// each file as it is parsed, with the pointer and the fix; the resolver options below are the guard behind it.
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Json, JsonObject } from './types';
import { pointerOf, type Problem } from './problems';
import { decodeLeniently } from './ref-pointers';

/** A $ref that names a URL: a scheme (`https:`, `file:`) or a network path (`//host/x`). */
const URL_REF = /^([a-z][a-z0-9+.-]+:|\/\/)/i;

function isObject(v: Json | undefined): v is JsonObject {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Whether `target` is `root` or inside it. */
export function isWithin(root: string, target: string): boolean {
  const rel = path.relative(root, target);
  return rel === '' || (!rel.startsWith('..') && !path.isAbsolute(rel));
}

/**
 * Problems of the $refs written in one file.
 * @param entry whether `file` is the document itself (where `#` is the OpenAPI document, never a value)
 */
export function refProblems(file: string, content: Json, root: string, entry: boolean): Problem[] {
  const problems: Problem[] = [];
  const error = (rule: string, at: (string | number)[], message: string, fix: string) =>
    problems.push({ severity: 'error', rule, file, pointer: pointerOf(...at), message, fix });
  // One path, pushed and popped (a copy for each $ref found), rather than a copy per value: a tenth of a
  // second less, and its garbage, on a 10,000-operation document.
  const at: (string | number)[] = [];
  const visit = (value: Json) => {
    if (Array.isArray(value)) {
      for (let i = 0; i < value.length; i++) {
        if (typeof value[i] !== 'object' || value[i] === null) continue;
        at.push(i);
        visit(value[i]);
        at.pop();
      }
      return;
    }
    if (!isObject(value)) return;
    const ref = value.$ref;
    if (typeof ref === 'string') checkRef(ref, at.slice());
    for (const key of Object.keys(value)) {
      const v = value[key];
      if (typeof v !== 'object' || v === null) continue;
      at.push(key);
      visit(v);
      at.pop();
    }
  };
  const checkRef = (ref: string, at: (string | number)[]) => {
    const refAt = [...at, '$ref'];
    if (URL_REF.test(ref)) {
      error(
        'ref-remote',
        refAt,
        `$ref "${ref}" names a URL: gatehouse never fetches a $ref over the network (what it reaches would be deployed in the API's body).`,
        `Save the file in the document's folder and $ref it by its relative path, e.g. ./${path.posix.basename(ref.split('#')[0]) || 'schemas.yaml'}${ref.includes('#') ? ref.slice(ref.indexOf('#')) : ''}.`,
      );
      return;
    }
    const hash = ref.indexOf('#');
    const filePart = hash === -1 ? ref : ref.slice(0, hash);
    const fragment = hash === -1 ? '' : ref.slice(hash + 1);
    if (filePart !== '') {
      const target = path.resolve(path.dirname(file), decodeLeniently(filePart));
      if (!isWithin(root, target)) {
        error(
          'ref-outside-folder',
          refAt,
          `$ref "${ref}" names ${target}, outside ${root}: a $ref may only name files in the document's folder or below it, since what it reaches is deployed in the API's body.`,
          `Copy the file into ${root} (or a folder below it) and $ref it from there.`,
        );
        return;
      }
      if (target !== file) return;
    }
    checkInternal(fragment, at, refAt);
  };
  const checkInternal = (fragment: string, at: (string | number)[], refAt: (string | number)[]) => {
    const own = pointerOf(...at);
    if (fragment === '' && entry) {
      error(
        'ref-whole-document',
        refAt,
        `$ref "#" names the whole OpenAPI document, which holds this $ref: the value would contain itself, and API Gateway has no such value to import.`,
        'Point the $ref at the value meant, e.g. #/components/schemas/Pet.',
      );
      return;
    }
    // A $ref object that names itself, or a chain of $ref objects back to it, is no value at all.
    const seen = new Set<string>([own]);
    let pointer = decodeLeniently(fragment);
    for (;;) {
      if (seen.has(pointer)) {
        error(
          'ref-self',
          refAt,
          `$ref "#${fragment}" at ${own} names ${pointer === own ? 'the object it is written in' : `${pointer}, whose $ref leads back here`}: it resolves to nothing (a path item written so has no operations).`,
          'Point the $ref at another value, e.g. a path item in components/pathItems or another file, or write the value here.',
        );
        return;
      }
      seen.add(pointer);
      const next = valueAt(content, pointer);
      if (!isObject(next) || typeof next.$ref !== 'string' || !next.$ref.startsWith('#')) return;
      pointer = decodeLeniently(next.$ref.slice(1));
    }
  };
  visit(content);
  return problems;
}

function valueAt(root: Json, pointer: string): Json | undefined {
  if (pointer === '') return root;
  if (!pointer.startsWith('/')) return undefined;
  let value: Json | undefined = root;
  for (const raw of pointer.slice(1).split('/')) {
    const key = raw.replace(/~1/g, '/').replace(/~0/g, '~');
    if (Array.isArray(value)) value = value[Number(key)];
    else if (isObject(value)) value = Object.prototype.hasOwnProperty.call(value, key) ? value[key] : undefined;
    else return undefined;
  }
  return value;
}

/**
 * json-schema-ref-parser's resolvers as gatehouse allows them: no http, and files only under `root` (after
 * symbolic links), so a $ref the checks above missed still cannot reach the network or another folder.
 */
export function guardedResolve(root: string, found: Problem[]): Record<string, unknown> {
  const realRoot = fs.existsSync(root) ? fs.realpathSync(root) : root;
  return {
    external: true,
    http: false,
    file: {
      order: 100,
      canRead: (file: { url: string }) => !URL_REF.test(file.url) || /^file:/i.test(file.url),
      async read(file: { url: string }): Promise<Buffer> {
        const target = /^file:/i.test(file.url) ? new URL(file.url).pathname : decodeLeniently(file.url);
        const real = fs.existsSync(target) ? fs.realpathSync(target) : target;
        if (!isWithin(realRoot, real)) {
          // A target outside by its path was reported where its $ref is written; this is a link leading out.
          if (isWithin(root, target) || isWithin(realRoot, target))
            found.push({
              severity: 'error',
              rule: 'ref-outside-folder',
              file: target,
              pointer: '',
              message: `A $ref names ${target}, which leads to ${real}, outside ${root}: a $ref may only name files in the document's folder or below it, since what it reaches is deployed in the API's body.`,
              fix: `Copy the file into ${root} (or a folder below it) in place of the symbolic link.`,
            });
          throw new Error(`$ref target ${target} is outside ${root}, the folder a $ref may name files in`);
        }
        return fs.promises.readFile(real);
      },
    },
  };
}
