// How much a document may make the loader do. Each bound is far above what an API Gateway document needs (REST
// import takes at most 6 MB, "Quotas for configuring and running a REST API") and far below what would tie up
// the machine: a 1 KB YAML alias bomb expands to billions of values, a file of nested brackets overflows every
// recursive step after the parse. A document over a bound is refused before it is expanded, naming the bound.
import { pointerOf } from './problems';

export const DOCUMENT_LIMITS = {
  /** Bytes of one file (the document or a file it $refs). */
  fileBytes: 10 * 1024 * 1024,
  /** Values of one file once YAML aliases are expanded (each use of an alias counts what it names). */
  expandedValues: 1_000_000,
  /** Nesting of objects and arrays, aliases expanded. */
  depth: 128,
  /**
   * Seconds each asynchronous stage of a load (resolving $refs, bundling, the schema check, dereferencing) may
   * take. With the bounds above and no network they take well under a second; this is the backstop.
   */
  stageSeconds: 60,
} as const;

export type DocumentLimit = keyof typeof DOCUMENT_LIMITS;

/** A file over one of DOCUMENT_LIMITS: refused as a whole, before anything reads its content. */
export class DocumentLimitError extends Error {
  constructor(
    readonly limit: DocumentLimit,
    /** JSON pointer into the file where the bound was crossed ('' for the whole file). */
    readonly pointer: string,
    message: string,
    readonly fix: string,
  ) {
    super(message);
    this.name = 'DocumentLimitError';
  }
}

export function fileTooLarge(bytes: number): DocumentLimitError {
  return new DocumentLimitError(
    'fileBytes',
    '',
    `The file has ${bytes.toLocaleString('en-US')} bytes, over gatehouse's limit of ${DOCUMENT_LIMITS.fileBytes.toLocaleString('en-US')} bytes per file (API Gateway imports at most 6 MB).`,
    'Split the document: move schemas into files of their own and $ref them (./schemas/pet.yaml#/Pet).',
  );
}

export function tooDeep(segments: (string | number)[]): DocumentLimitError {
  return new DocumentLimitError(
    'depth',
    pointerOf(...segments),
    `The document nests objects and arrays more than ${DOCUMENT_LIMITS.depth} deep here (YAML aliases expanded).`,
    `Flatten the value at this pointer (name nested schemas in components and $ref them), or remove an alias that contains itself.`,
  );
}

export function tooManyValues(segments: (string | number)[]): DocumentLimitError {
  return new DocumentLimitError(
    'expandedValues',
    pointerOf(...segments),
    `With its YAML aliases expanded, the value here holds more than ${DOCUMENT_LIMITS.expandedValues.toLocaleString('en-US')} values, over gatehouse's limit of ${DOCUMENT_LIMITS.expandedValues.toLocaleString('en-US')} values per file: aliases that name aliases multiply (an alias bomb).`,
    'Write the repeated part once in components and $ref it, or use fewer nested aliases; an alias is copied in full wherever it is used.',
  );
}

/** The stage that ran past DOCUMENT_LIMITS.stageSeconds. */
export function stageTooSlow(stage: string): DocumentLimitError {
  return new DocumentLimitError(
    'stageSeconds',
    '',
    `Loading the document took more than ${DOCUMENT_LIMITS.stageSeconds} s while ${stage}, and was stopped.`,
    'Split the document into smaller files, or remove what makes it large (long YAML alias chains, huge schemas).',
  );
}

/** The promise, or a stageTooSlow rejection once the stage has run DOCUMENT_LIMITS.stageSeconds. */
export async function withinStageLimit<T>(stage: string, work: Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(() => reject(stageTooSlow(stage)), DOCUMENT_LIMITS.stageSeconds * 1000);
    timer.unref();
  });
  try {
    return await Promise.race([work, deadline]);
  } finally {
    clearTimeout(timer);
  }
}
