// Traces a logical pointer (into the bundled document) to the file and pointer where that part is written,
// by following the $refs as written. Lets a problem in a multi-file document say which file to edit.
import * as path from 'node:path';
import type { Json } from './types';
import { pointerOf } from './problems';
import type { SourceFiles } from './read';

export interface Location {
  file: string;
  pointer: string;
}

/** Guards against $ref cycles in documents that swagger-parser accepted anyway. */
const MAX_REF_HOPS = 64;

export function parsePointer(pointer: string): string[] {
  if (pointer === '') return [];
  return pointer
    .slice(1)
    .split('/')
    .map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'));
}

export function locate(rootFile: string, pointer: string, sources: SourceFiles): Location {
  let file = rootFile;
  let at: string[] = [];
  let node: Json | undefined = sources[rootFile];
  let hops = 0;
  const follow = (): void => {
    while (isRef(node) && hops++ < MAX_REF_HOPS) {
      const [target, fragment = ''] = node.$ref.split('#');
      if (/^[a-z][a-z0-9+.-]*:\/\//i.test(target)) return; // remote URL: not traced
      const nextFile = target ? path.resolve(path.dirname(file), decodeURIComponent(target)) : file;
      const nextAt = parsePointer(decodeURIComponent(fragment));
      const nextNode = walk(sources[nextFile], nextAt);
      if (nextNode === undefined) return;
      file = nextFile;
      at = nextAt;
      node = nextNode;
    }
  };
  const segments = parsePointer(pointer);
  for (let i = 0; i < segments.length; i++) {
    follow();
    const child = childOf(node, segments[i]);
    if (child === undefined) return { file, pointer: pointerOf(...at, ...segments.slice(i)) };
    at = [...at, segments[i]];
    node = child;
  }
  follow();
  return { file, pointer: pointerOf(...at) };
}

function isRef(node: Json | undefined): node is { $ref: string } {
  return typeof node === 'object' && node !== null && !Array.isArray(node) && typeof node.$ref === 'string';
}

function childOf(node: Json | undefined, key: string): Json | undefined {
  if (Array.isArray(node)) return /^\d+$/.test(key) ? node[Number(key)] : undefined;
  if (typeof node === 'object' && node !== null)
    return Object.prototype.hasOwnProperty.call(node, key) ? node[key] : undefined;
  return undefined;
}

function walk(node: Json | undefined, segments: string[]): Json | undefined {
  return segments.reduce<Json | undefined>((n, s) => childOf(n, s), node);
}
