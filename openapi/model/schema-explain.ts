// Turns the OpenAPI schema's verdict (ajv errors, one per failed branch of every oneOf) into one problem per
// mistake, saying what is wrong in the document's own terms and what to write instead. The mistakes people
// make (a Swagger 2.0 field in an OpenAPI 3 document, a path parameter without required: true, a security
// scheme missing the fields of its type ...) are recognised from the document itself; the rest get a message
// that names the place and echoes the value.
import type { Json, JsonObject, SpecFormat } from './types';
import { pointerOf } from './problems';
import { parsePointer } from './locate';

export interface SchemaProblem {
  rule: string;
  pointer: string;
  message: string;
  fix: string;
}

export interface AjvDetail {
  instancePath?: string;
  keyword?: string;
  message?: string;
  params?: Record<string, unknown>;
}

function isObject(v: Json | undefined): v is JsonObject {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

const METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'];
const ANY_METHOD = 'x-amazon-apigateway-any-method';
/** Keywords with which a failed oneOf/anyOf branch reports itself at the object that failed. */
const BRANCH_KEYWORDS = ['oneOf', 'anyOf', 'required', 'enum', 'const', 'not', 'type', 'additionalProperties'];

type OwnerKind = 'document' | 'path item' | 'operation' | 'parameter' | 'response' | 'security scheme';
interface Owner {
  kind: OwnerKind;
  segments: string[];
}
interface Context {
  doc: JsonObject;
  format: SpecFormat;
}
/** An owner's problems and the errors they explain. */
interface Explained {
  problems: SchemaProblem[];
  explains: (d: AjvDetail, at: string[]) => boolean;
}

export function explainSchemaErrors(
  error: { details?: AjvDetail[]; message?: string },
  doc: JsonObject,
  format: SpecFormat,
): SchemaProblem[] {
  const ctx: Context = { doc, format };
  if (!Array.isArray(error.details) || error.details.length === 0) {
    const message = (error.message ?? String(error)).split('\n')[0].replace(/^Validation failed\.\s*/, '');
    return [{ rule: 'openapi-schema', pointer: '', message, fix: 'Correct the document where the message says.' }];
  }
  // A $ref is always one of the allowed forms; "must have required property '$ref'" only says this was not one.
  let remaining = error.details.filter((d) => !(d.keyword === 'required' && d.params?.missingProperty === '$ref'));
  const problems: SchemaProblem[] = [];
  const seen = new Set<string>();
  for (const d of remaining) {
    const owner = ownerOf(segmentsOf(d));
    const key = pointerOf(...owner.segments);
    if (seen.has(key)) continue;
    seen.add(key);
    const explained = explainOwner(owner, ctx);
    if (!explained) continue;
    problems.push(...explained.problems);
    remaining = remaining.filter((e) => {
      const at = segmentsOf(e);
      return !(startsWith(at, owner.segments) && explained.explains(e, at.slice(owner.segments.length)));
    });
  }
  return [...problems, ...genericProblems(remaining, ctx)];
}

function segmentsOf(d: AjvDetail): string[] {
  return parsePointer(d.instancePath ?? '');
}

function startsWith(segments: string[], prefix: string[]): boolean {
  return prefix.every((s, i) => segments[i] === s);
}

/** The innermost object of a kind this module knows that holds the pointer. */
function ownerOf(segments: string[]): Owner {
  let owner: Owner = { kind: 'document', segments: [] };
  const set = (kind: OwnerKind, length: number) => (owner = { kind, segments: segments.slice(0, length) });
  const [first, second] = segments;
  if (first === 'paths' && segments.length >= 2) {
    set('path item', 2);
    const third = segments[2];
    if (third === 'parameters' && segments.length >= 4) set('parameter', 4);
    else if (third !== undefined && (METHODS.includes(third) || third === ANY_METHOD)) {
      set('operation', 3);
      if (segments[3] === 'parameters' && segments.length >= 5) set('parameter', 5);
      if (segments[3] === 'responses' && segments.length >= 5) set('response', 5);
    }
  } else if (first === 'components' && segments.length >= 3) {
    if (second === 'securitySchemes') set('security scheme', 3);
    if (second === 'parameters') set('parameter', 3);
    if (second === 'responses') set('response', 3);
  } else if (first === 'securityDefinitions' && segments.length >= 2) set('security scheme', 2);
  else if (first === 'parameters' && segments.length >= 2) set('parameter', 2);
  else if (first === 'responses' && segments.length >= 2) set('response', 2);
  return owner;
}

function valueAt(doc: Json, segments: string[]): Json | undefined {
  let node: Json | undefined = doc;
  for (const s of segments) {
    if (Array.isArray(node)) node = node[Number(s)];
    else if (isObject(node)) node = Object.prototype.hasOwnProperty.call(node, s) ? node[s] : undefined;
    else return undefined;
  }
  return node;
}

function explainOwner(owner: Owner, ctx: Context): Explained | undefined {
  const value = valueAt(ctx.doc, owner.segments);
  if (!isObject(value) || typeof value.$ref === 'string') return undefined;
  switch (owner.kind) {
    case 'document':
      return explainDocument(value, ctx);
    case 'path item':
      return explainPathItem(owner, value);
    case 'operation':
      return explainOperation(owner, value, ctx);
    case 'parameter':
      return explainParameter(owner, value, ctx);
    case 'response':
      return explainResponse(owner, value, ctx);
    case 'security scheme':
      return explainSecurityScheme(owner, value, ctx);
  }
}

/** Root fields of the other version, and where their content goes in this one. */
const SWAGGER2_ROOT: Record<string, string> = {
  securityDefinitions: 'components.securitySchemes',
  definitions: 'components.schemas',
  parameters: 'components.parameters',
  responses: 'components.responses',
  basePath: 'servers (e.g. servers: [{ url: /v1 }])',
  host: 'servers (e.g. servers: [{ url: https://api.example.com }])',
  schemes: 'servers',
  consumes: "each requestBody's content",
  produces: "each response's content",
};
const OPENAPI3_ROOT: Record<string, string> = {
  components: 'securityDefinitions (security schemes), definitions (schemas), parameters and responses',
  servers: 'host, basePath and schemes',
};
const SWAGGER2_OPERATION: Record<string, string> = {
  consumes: "the requestBody's content",
  produces: "each response's content",
  schemes: 'servers',
};
const OPENAPI3_OPERATION: Record<string, string> = {
  requestBody: 'a parameter in: body (with a schema)',
  servers: 'the root host, basePath and schemes',
  callbacks: 'nothing: Swagger 2.0 has no callbacks',
};

function additional(d: AjvDetail, at: string[]): string | undefined {
  return at.length === 0 && d.keyword === 'additionalProperties' && typeof d.params?.additionalProperty === 'string'
    ? d.params.additionalProperty
    : undefined;
}

function explainOtherVersionFields(
  value: JsonObject,
  segments: string[],
  ctx: Context,
  fields: { swagger2: Record<string, string>; openapi3: Record<string, string> },
  what: string,
): Explained | undefined {
  const openapi3 = ctx.format !== 'swagger-2.0';
  const foreign = openapi3 ? fields.swagger2 : fields.openapi3;
  const found = Object.keys(value).filter((k) => foreign[k] !== undefined);
  if (found.length === 0) return undefined;
  const version = versionName(ctx.format);
  const other = openapi3 ? 'Swagger 2.0' : 'OpenAPI 3';
  const problems = found.map((field): SchemaProblem => {
    const consequence =
      field === 'securityDefinitions'
        ? ', so API Gateway reads none of these schemes and every operation that names one is left without its authorizer'
        : '';
    return {
      rule: openapi3 ? 'swagger2-field-in-openapi3' : 'openapi3-field-in-swagger2',
      pointer: pointerOf(...segments, field),
      message: `${field} is a field of ${other}, not of ${version} ${what}${consequence}.`,
      fix:
        field === 'securityDefinitions'
          ? `Move each scheme to components.securitySchemes, unchanged (components: { securitySchemes: { <name>: { type: apiKey, ... } } }), and remove securityDefinitions.`
          : `Write it as ${version} does: ${foreign[field]}.`,
    };
  });
  return { problems, explains: (d, at) => found.includes(additional(d, at) ?? '') };
}

function explainDocument(value: JsonObject, ctx: Context): Explained | undefined {
  return explainOtherVersionFields(value, [], ctx, { swagger2: SWAGGER2_ROOT, openapi3: OPENAPI3_ROOT }, 'documents');
}

/** Method keys are lower-case; API Gateway's catch-all is an extension. */
function explainPathItem(owner: Owner, value: JsonObject): Explained | undefined {
  const path = owner.segments[1];
  const keys = Object.keys(value).filter((k) => METHODS.includes(k.toLowerCase()) && !METHODS.includes(k));
  const any = Object.keys(value).filter((k) => k.toLowerCase() === 'any');
  if (keys.length === 0 && any.length === 0) return undefined;
  const problems: SchemaProblem[] = [
    ...keys.map((k) => ({
      rule: 'method-key',
      pointer: pointerOf('paths', path, k),
      message: `"${k}" under ${path} is not a method key: OpenAPI method keys are lower-case, so this operation is not read.`,
      fix: `Write ${k.toLowerCase()}.`,
    })),
    ...any.map((k) => ({
      rule: 'method-key',
      pointer: pointerOf('paths', path, k),
      message: `"${k}" under ${path} is not a method key: OpenAPI has no ANY method.`,
      fix: `Write ${ANY_METHOD}, API Gateway's catch-all method.`,
    })),
  ];
  const named = new Set([...keys, ...any]);
  return { problems, explains: (d, at) => named.has(additional(d, at) ?? '') };
}

function explainOperation(owner: Owner, value: JsonObject, ctx: Context): Explained | undefined {
  return explainOtherVersionFields(
    value,
    owner.segments,
    ctx,
    { swagger2: SWAGGER2_OPERATION, openapi3: OPENAPI3_OPERATION },
    'operations',
  );
}

function explainParameter(owner: Owner, value: JsonObject, ctx: Context): Explained | undefined {
  const at = pointerOf(...owner.segments);
  const where = capitalise(describe(owner.segments, ctx.doc));
  const explains = (d: AjvDetail, rest: string[]) =>
    (rest.length === 0 && BRANCH_KEYWORDS.includes(d.keyword ?? '')) ||
    (rest.length === 1 && ['in', 'required'].includes(rest[0]));
  const locations =
    ctx.format === 'swagger-2.0'
      ? ['path', 'query', 'header', 'formData', 'body']
      : ['path', 'query', 'header', 'cookie'];
  if (value.in === 'path' && value.required !== true)
    return {
      problems: [
        {
          rule: 'parameter-path-required',
          pointer: at,
          message: `${where} is in: path and has ${value.required === undefined ? 'no required' : `required: ${JSON.stringify(value.required)}`}: a path variable is always part of the URL, so OpenAPI requires required: true on it.`,
          fix: 'Add required: true to the parameter.',
        },
      ],
      explains,
    };
  if (typeof value.in !== 'string' || !locations.includes(value.in)) {
    const swagger2Body = ctx.format !== 'swagger-2.0' && (value.in === 'body' || value.in === 'formData');
    return {
      problems: [
        {
          rule: 'parameter-in',
          pointer: `${at}/in`,
          message: swagger2Body
            ? `${where} is in: ${String(value.in)}, which is Swagger 2.0's: ${versionName(ctx.format)} has no body parameters (its parameters are in ${locations.join(', ')}).`
            : `${where} is in: ${JSON.stringify(value.in ?? null)}, which is not a place a parameter can be (${versionName(ctx.format)} has ${locations.join(', ')}).`,
          fix: swagger2Body
            ? "Describe the body in the operation's requestBody (requestBody: { content: { application/json: { schema: ... } } }) and remove this parameter."
            : `Write in: one of ${locations.join(', ')} (a query string parameter is in: query).`,
        },
      ],
      explains,
    };
  }
  return undefined;
}

function explainResponse(owner: Owner, value: JsonObject, ctx: Context): Explained | undefined {
  const found = explainOtherVersionFields(
    value,
    owner.segments,
    ctx,
    { swagger2: { schema: 'content: { <media type>: { schema: ... } }' }, openapi3: { content: 'schema' } },
    'responses',
  );
  if (found) return found;
  if (value.description !== undefined) return undefined;
  return {
    problems: [
      {
        rule: 'response-description',
        pointer: pointerOf(...owner.segments),
        message: `${capitalise(describe(owner.segments, ctx.doc))} has no description, which OpenAPI requires of every response.`,
        fix: 'Add a description, e.g. description: OK.',
      },
    ],
    explains: (d, at) => at.length === 0 && d.keyword === 'required' && d.params?.missingProperty === 'description',
  };
}

/** The fields each security scheme type needs, per version. */
const SCHEME_FIELDS: Record<'swagger2' | 'openapi3', Record<string, string[]>> = {
  swagger2: { basic: [], apiKey: ['name', 'in'], oauth2: ['flow'] },
  openapi3: { apiKey: ['name', 'in'], http: ['scheme'], oauth2: ['flows'], openIdConnect: ['openIdConnectUrl'] },
};
const SCHEME_FIELD_FIX: Record<string, string> = {
  name: 'name: Authorization (the header API Gateway reads the token from)',
  in: 'in: header',
  scheme: 'scheme: bearer',
  flows:
    'flows (e.g. flows: { clientCredentials: { tokenUrl: https://<domain>/oauth2/token, scopes: {} } }), or an x-amazon-apigateway-authorizer of type jwt, with which API Gateway imports it without flows',
  flow: 'flow (and the URLs it needs)',
  openIdConnectUrl:
    'openIdConnectUrl: https://cognito-idp.<region>.amazonaws.com/<pool id>/.well-known/openid-configuration',
};

function explainSecurityScheme(owner: Owner, value: JsonObject, ctx: Context): Explained | undefined {
  const name = owner.segments[owner.segments.length - 1];
  const at = pointerOf(...owner.segments);
  const fields = SCHEME_FIELDS[ctx.format === 'swagger-2.0' ? 'swagger2' : 'openapi3'];
  const types = Object.keys(fields);
  const explains = (d: AjvDetail, rest: string[]) =>
    (rest.length === 0 && BRANCH_KEYWORDS.includes(d.keyword ?? '')) ||
    (rest.length === 1 && (rest[0] === 'type' || rest[0] === 'in'));
  const type = value.type;
  if (typeof type !== 'string' || !types.includes(type))
    return {
      problems: [
        {
          rule: 'security-scheme-type',
          pointer: `${at}/type`,
          message: `Security scheme "${name}" has type ${JSON.stringify(type ?? null)}, which ${versionName(ctx.format)} does not have (it has ${types.join(', ')}).`,
          fix:
            type === 'bearer' || type === 'jwt'
              ? 'Write type: apiKey, name: Authorization, in: header for a Cognito user pool authorizer (REST API), or type: oauth2 with an x-amazon-apigateway-authorizer of type jwt (HTTP API).'
              : `Write one of ${types.join(', ')}: API Gateway reads its authorizers from apiKey schemes (name: Authorization, in: header) with an x-amazon-apigateway-authorizer.`,
        },
      ],
      explains,
    };
  const missing = fields[type].filter((f) => value[f] === undefined);
  const badIn =
    type === 'apiKey' &&
    value.in !== undefined &&
    !(ctx.format === 'swagger-2.0' ? ['header', 'query'] : ['header', 'query', 'cookie']).includes(String(value.in));
  if (missing.length === 0 && !badIn) return undefined;
  const problems: SchemaProblem[] = [];
  if (missing.length > 0)
    problems.push({
      rule: 'security-scheme-fields',
      pointer: at,
      message: `Security scheme "${name}" is type ${type}, which needs ${fields[type].join(' and ')}; it has no ${missing.join(' and no ')}.`,
      fix: `Add ${missing.map((f) => SCHEME_FIELD_FIX[f]).join(' and ')}.`,
    });
  if (badIn)
    problems.push({
      rule: 'security-scheme-fields',
      pointer: `${at}/in`,
      message: `Security scheme "${name}" is in: ${JSON.stringify(value.in)}; an apiKey scheme is read from a header, the query string${ctx.format === 'swagger-2.0' ? '' : ' or a cookie'}.`,
      fix: 'Write in: header (API Gateway reads tokens and API keys from headers).',
    });
  return { problems, explains: (d, rest) => explains(d, rest) || (rest.length === 1 && missing.includes(rest[0])) };
}

/**
 * What no explainer took: one problem per mistake. A failed oneOf/anyOf makes ajv report every branch; when a
 * deeper error exists (e.g. a bad value inside) that one is the mistake, else the branches are merged.
 */
function genericProblems(details: AjvDetail[], ctx: Context): SchemaProblem[] {
  const at = (d: AjvDetail) => d.instancePath ?? '';
  const alternatives = new Set(details.filter((d) => d.keyword === 'oneOf' || d.keyword === 'anyOf').map(at));
  const hasDeeper = (p: string) => details.some((d) => at(d).startsWith(p + '/'));
  const out = new Map<string, SchemaProblem>();
  const allowedValues = new Map<string, string[]>();
  const problem = (pointer: string, message: string, fix: string): SchemaProblem => ({
    rule: 'openapi-schema',
    pointer,
    message,
    fix,
  });
  for (const d of details) {
    const pointer = at(d);
    const segments = parsePointer(pointer);
    const what = describe(segments, ctx.doc);
    const value = valueAt(ctx.doc, segments);
    const extra = typeof d.params?.additionalProperty === 'string' ? d.params.additionalProperty : undefined;
    if (alternatives.has(pointer) && hasDeeper(pointer) && extra === undefined) continue;
    // A field no form has is the mistake whichever form was meant.
    if (alternatives.has(pointer) && extra === undefined) {
      if (d.keyword === 'oneOf' || d.keyword === 'anyOf') continue;
      const branch = branchText(d);
      const merged = out.get(pointer);
      const branches = merged
        ? `${merged.message.replace(/^.*? matches none of the forms OpenAPI allows here: |\.$/g, '')}; or ${branch}`
        : branch;
      out.set(
        pointer,
        problem(
          pointer,
          `${capitalise(what)} matches none of the forms OpenAPI allows here: ${branches}.`,
          'Rewrite it in one of those forms.',
        ),
      );
      continue;
    }
    if (extra !== undefined) {
      const target = pointer + pointerOf(extra);
      out.set(
        target,
        problem(
          target,
          `"${extra}" is not a field of ${what} in ${versionName(ctx.format)}.`,
          `Remove it or correct its spelling; a field of your own must start with x- (x-${extra}).`,
        ),
      );
      continue;
    }
    if (d.keyword === 'enum' && Array.isArray(d.params?.allowedValues)) {
      // Each oneOf branch lists its own values; one message with all of them.
      const values = [...(allowedValues.get(pointer) ?? []), ...(d.params.allowedValues as unknown[]).map(String)];
      allowedValues.set(pointer, values);
      const list = [...new Set(values)].join(', ');
      out.set(
        `${pointer} enum`,
        problem(
          pointer,
          `${capitalise(what)} is ${JSON.stringify(value)}, but must be one of: ${list}.`,
          `Write one of ${list}.`,
        ),
      );
      continue;
    }
    const [message, fix] = genericText(d, what, value);
    out.set(pointer + message, problem(pointer, message, fix));
  }
  return [...out.values()];
}

function branchText(d: AjvDetail): string {
  if (d.keyword === 'required') return `a form with ${String(d.params?.missingProperty)}`;
  return d.message ?? 'another form';
}

function genericText(d: AjvDetail, what: string, value: Json | undefined): [string, string] {
  const shown = value === undefined ? 'missing' : JSON.stringify(value);
  switch (d.keyword) {
    case 'required': {
      const missing = String(d.params?.missingProperty);
      return [`${capitalise(what)} has no ${missing}, which OpenAPI requires here.`, `Add ${missing}.`];
    }
    case 'type': {
      const type = String(d.params?.type);
      const quote = type === 'string' && (typeof value === 'number' || typeof value === 'boolean');
      const wanted = TYPE_NAMES[type] ?? `${article(type)} ${type}`;
      return [
        `${capitalise(what)} is ${shown} (${Array.isArray(value) ? 'a list' : value === null ? 'null' : `a ${typeof value}`}), but must be ${wanted}.`,
        quote ? `Quote it: "${String(value)}".` : `Write ${wanted} here.`,
      ];
    }
    case 'minProperties':
    case 'minItems':
      return [
        `${capitalise(what)} is empty; OpenAPI requires at least ${String(d.params?.limit)} entry here.`,
        'Add one, or remove the empty field.',
      ];
    case 'pattern':
      return [
        `${capitalise(what)} is ${shown}, which does not match ${String(d.params?.pattern)}.`,
        'Write a value of that form.',
      ];
    default:
      return [`${capitalise(what)} ${d.message ?? 'is not valid here'} (it is ${shown}).`, `Correct ${what}.`];
  }
}

const TYPE_NAMES: Record<string, string> = { array: 'a list', object: 'a mapping (an object)' };

function article(word: string): string {
  return /^[aeiou]/.test(word) ? 'an' : 'a';
}

function capitalise(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

export function versionName(format: SpecFormat): string {
  return format === 'swagger-2.0' ? 'Swagger 2.0' : format === 'openapi-3.1' ? 'OpenAPI 3.1' : 'OpenAPI 3.0';
}

/** A place in the document in its own terms: `GET /pets`, `parameter "id" of GET /pets/{id}`, `info.version`. */
export function describe(segments: string[], doc: JsonObject): string {
  if (segments.length === 0) return 'the document';
  const [first, second, third, fourth, fifth] = segments;
  const rest = (n: number) => (segments.length > n ? ` (at ${segments.slice(n).join('.')})` : '');
  if (first === 'paths' && second !== undefined) {
    if (third === undefined) return `path ${second}`;
    const method = third === ANY_METHOD ? 'ANY' : third.toUpperCase();
    const op = `${method} ${second}`;
    if (!METHODS.includes(third) && third !== ANY_METHOD) {
      if (third === 'parameters' && fourth !== undefined)
        return `${paramName(segments.slice(0, 4), doc)} of path ${second}${rest(4)}`;
      return `path ${second}${rest(2)}`;
    }
    if (fourth === undefined) return op;
    if (fourth === 'parameters' && fifth !== undefined)
      return `${paramName(segments.slice(0, 5), doc)} of ${op}${rest(5)}`;
    if (fourth === 'responses' && fifth !== undefined) return `response ${fifth} of ${op}${rest(5)}`;
    return `${op}${rest(3)}`;
  }
  if (first === 'components' && second === 'securitySchemes' && third !== undefined)
    return `security scheme "${third}"${rest(3)}`;
  if (first === 'securityDefinitions' && second !== undefined) return `security scheme "${second}"${rest(2)}`;
  if (first === 'components' && second === 'schemas' && third !== undefined) return `schema ${third}${rest(3)}`;
  if (first === 'definitions' && second !== undefined) return `schema ${second}${rest(2)}`;
  return segments.join('.');
}

function paramName(segments: string[], doc: JsonObject): string {
  const value = valueAt(doc, segments);
  return isObject(value) && typeof value.name === 'string'
    ? `parameter "${value.name}"`
    : `parameter ${segments[segments.length - 1]}`;
}
