// Binds the variables of the template a document was written for, without editing the document: Terraform
// templatefile `${name}`, CloudFormation Fn::Sub (long form and !Sub, with or without a variable map),
// Fn::GetAtt, Ref and Fn::Join. `variables` maps the document's own names (the Terraform variable, the
// CloudFormation logical id or `Resource.Attribute`, the Sub variable) to a string: a gatehouse placeholder
// ({{lambda:orders}}, {{userPoolArn}} ...) or a literal. The document is rewritten on read (each intrinsic
// replaced by its string, a number or boolean where the field is one), so everything after sees an ordinary
// document. API Gateway's own variables are kept as written, for it to resolve (aws-variables.ts): the AWS
// import variables ${AWS::Region}, ${AWS::AccountId}, ${AWS::Partition} (Fn::Sub's pseudo parameters of the
// same name included) and ${stageVariables.x}. A name nothing binds is an error naming every place it is used
// and the line to add to the project file.
import type { Json, JsonObject } from './types';
import { pointerOf, type ProblemList } from './problems';
import { AWS_IMPORT_VARIABLES, STAGE_VARIABLE } from './aws-variables';

export type TemplateVariables = Record<string, string>;

/** Fields whose value is a number: a whole-string variable there is bound as a number. */
const NUMERIC_FIELDS = new Set([
  'timeoutInMillis',
  'authorizerResultTtlInSeconds',
  'maxAge',
  'x-amazon-apigateway-minimum-compression-size',
  'minimum',
  'maximum',
  'exclusiveMinimum',
  'exclusiveMaximum',
  'multipleOf',
  'minLength',
  'maxLength',
  'minItems',
  'maxItems',
  'minProperties',
  'maxProperties',
]);
/** Fields whose value is true or false. */
const BOOLEAN_FIELDS = new Set([
  'allowCredentials',
  'enableSimpleResponses',
  'validateRequestBody',
  'validateRequestParameters',
  'disableExecuteApiEndpoint',
  'isDefaultRoute',
  'required',
  'deprecated',
  'nullable',
  'readOnly',
  'writeOnly',
  'uniqueItems',
]);
/** Mapping templates are Velocity, where `${x}` is Velocity's own reference syntax: only bound names are replaced. */
const VTL_CONTAINERS = new Set(['requestTemplates', 'responseTemplates']);
/** Prose and examples, where `${x}` may just be text: only bound names are replaced there too. */
const TEXT_FIELDS = new Set(['description', 'summary', 'example', 'x-example']);
/** CloudFormation's functions this binds; the others cannot be evaluated without a stack. */
const EVALUATED = ['Ref', 'Fn::Sub', 'Fn::GetAtt', 'Fn::Join'];
const INTRINSIC_KEY = /^(Ref|Condition|Fn::[A-Za-z]+)$/;
/** A `${...}` reference; `$${...}` (Terraform) and `${!...}` (Fn::Sub) are its escapes. */
const REFERENCE = /(\$?)\$\{([^{}]*)\}/g;
const NAME = /^[A-Za-z_][A-Za-z0-9_.:-]*$/;

interface Use {
  pointer: string;
  /** The segments, to suggest a binding from where the first use is. */
  segments: string[];
}

interface Context {
  variables: TemplateVariables;
  used: Set<string>;
  unbound: Map<string, Use[]>;
  problems: ProblemList;
}

export interface BoundDocument {
  doc: JsonObject;
  /** Where an unbound name stands, as pointers of the fields it is in (its own problem says so). */
  unboundAt: Set<string>;
}

/** The document with its template variables bound; problems (unbound names ...) go to `problems`. */
export function bindTemplateVariables(
  doc: JsonObject,
  variables: TemplateVariables,
  problems: ProblemList,
): BoundDocument {
  const ctx: Context = { variables, used: new Set(), unbound: new Map(), problems };
  const bound = walk(doc, [], ctx) as JsonObject;
  const unboundAt = new Set(
    [...ctx.unbound.values()].flatMap((uses) =>
      uses.map((u) => {
        const inside = u.segments.findIndex((s) => INTRINSIC_KEY.test(s));
        return pointerOf(...(inside === -1 ? u.segments : u.segments.slice(0, inside)));
      }),
    ),
  );
  for (const [name, uses] of ctx.unbound) reportUnbound(name, uses, problems);
  for (const name of Object.keys(variables))
    if (!ctx.used.has(name))
      problems.warning(
        'template-variable-unused',
        '',
        `variables binds "${name}", which the document never uses.`,
        'Remove it from variables, or correct its name to the one the document uses (the Terraform variable, the logical id or Resource.Attribute).',
      );
  return { doc: bound, unboundAt };
}

function isObject(v: Json | undefined): v is JsonObject {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** `{ "Ref": "X" }`, `{ "Fn::Sub": ... }`: a one-key object whose key is an intrinsic function's. */
function intrinsicOf(value: JsonObject): string | undefined {
  const keys = Object.keys(value);
  if (keys.length !== 1 || !INTRINSIC_KEY.test(keys[0])) return undefined;
  // `properties: { Ref: { type: string } }` is a schema property named Ref, not the function.
  if (keys[0] === 'Ref' && typeof value.Ref !== 'string') return undefined;
  return keys[0];
}

function walk(value: Json, segments: string[], ctx: Context): Json {
  if (typeof value === 'string') return bindPlain(value, segments, ctx);
  if (Array.isArray(value)) return value.map((v, i) => walk(v, [...segments, String(i)], ctx));
  if (!isObject(value)) return value;
  const fn = intrinsicOf(value);
  if (fn !== undefined) return finish(evaluate(fn, value[fn], segments, ctx), segments, ctx, true);
  const out: JsonObject = {};
  for (const [key, child] of Object.entries(value)) {
    const boundKey = key.includes('${') ? String(bindPlain(key, [...segments, key], ctx, true)) : key;
    out[boundKey] = walk(child, [...segments, key], ctx);
  }
  return out;
}

/** A plain string: Terraform templatefile's `${name}`, `$${...}` written for a literal `${...}`. */
function bindPlain(value: string, segments: string[], ctx: Context, asKey = false): Json {
  const vtl =
    !asKey &&
    (segments.slice(0, -1).some((s) => VTL_CONTAINERS.has(s) || s === 'examples') ||
      TEXT_FIELDS.has(segments[segments.length - 1] ?? ''));
  if (!vtl && /(^|[^%])%\{/.test(value))
    ctx.problems.error(
      'template-directive',
      pointerOf(...segments),
      `"${value}" holds a Terraform template directive (%{ ... }), which gatehouse cannot evaluate.`,
      'Render the template with Terraform and lint the result, or replace the directive with a variable bound in the project file.',
    );
  if (!value.includes('${')) return value;
  let whole = false;
  let changed = false;
  const text = value.replace(REFERENCE, (match, escape: string, inner: string, offset: number) => {
    if (escape) {
      changed = true;
      return match.slice(1);
    }
    const name = inner.trim();
    if (Object.prototype.hasOwnProperty.call(ctx.variables, name)) {
      ctx.used.add(name);
      changed = true;
      whole = offset === 0 && match.length === value.length;
      return ctx.variables[name];
    }
    // API Gateway's own variables, IAM policy variables (${aws:username}) and, in a mapping template or
    // prose, Velocity's references or plain text stay as written.
    if (keptForAws(name) || /^[a-z0-9-]+:[^:]/i.test(name) || vtl || !NAME.test(name)) return match;
    unbound(name, segments, ctx);
    return match;
  });
  if (!changed || asKey) return text;
  return finish(text, segments, ctx, whole);
}

/**
 * `arn:aws:apigateway:<region>:lambda:path/2015-03-31/functions/{{lambda:x}}/invocations`, where a function ARN
 * was bound to {{lambda:x}}: {{lambda:x}} already stands for the function's invoke URI, so it is that alone.
 */
const INVOKE_URI_AROUND_LAMBDA =
  /^arn:(?:aws[a-z-]*|\$\{AWS::Partition\}):apigateway:(?:[a-z0-9-]+|\$\{AWS::Region\}):lambda:path\/2015-03-31\/functions\/(\{\{\s*lambda:[A-Za-z0-9_-]+\s*\}\})\/invocations$/;

/** A bound string as the field takes it: the invoke URI around {{lambda:x}} collapsed, numbers and booleans typed. */
function finish(text: string, segments: string[], ctx: Context, whole: boolean): Json {
  const field = segments[segments.length - 1];
  if (field === 'uri' || field === 'authorizerUri') {
    const lambda = INVOKE_URI_AROUND_LAMBDA.exec(text);
    if (lambda) return lambda[1];
  }
  return typed(text, segments, ctx, whole);
}

function keptForAws(name: string): boolean {
  return AWS_IMPORT_VARIABLES.includes(name) || STAGE_VARIABLE.test(name);
}

function unbound(name: string, segments: string[], ctx: Context): void {
  const uses = ctx.unbound.get(name) ?? [];
  const pointer = pointerOf(...segments);
  if (!uses.some((u) => u.pointer === pointer)) uses.push({ pointer, segments });
  ctx.unbound.set(name, uses);
}

/**
 * An intrinsic's string. What cannot be evaluated is reported and stands as `${name}` (an unbound name) or
 * `<Fn::X>`, a string, so that the rest of the document reads as it otherwise would.
 */
function evaluate(fn: string, arg: Json, segments: string[], ctx: Context): string {
  const at = pointerOf(...segments);
  const bad = (shape: string) => {
    ctx.problems.error(
      'template-intrinsic-shape',
      at,
      `${fn} is ${JSON.stringify(arg)}; ${fn} takes ${shape}.`,
      `Write ${fn}: ${shape}.`,
    );
    return `<${fn}>`;
  };
  switch (fn) {
    case 'Ref':
      return typeof arg === 'string' ? lookup(arg, segments, ctx) : bad('a logical id or parameter name');
    case 'Fn::GetAtt': {
      const name = typeof arg === 'string' ? arg : Array.isArray(arg) && arg.length === 2 ? arg.join('.') : undefined;
      return name === undefined
        ? bad('[<logical id>, <attribute>] or <logical id>.<attribute>')
        : lookup(name, segments, ctx);
    }
    case 'Fn::Join': {
      if (!Array.isArray(arg) || arg.length !== 2 || typeof arg[0] !== 'string' || !Array.isArray(arg[1]))
        return bad('[<delimiter>, [<values>]]');
      return arg[1]
        .map((part, i) => (part === null ? '' : stringOf(part, [...segments, 'Fn::Join', '1', String(i)], ctx)))
        .join(arg[0]);
    }
    case 'Fn::Sub': {
      const [template, map] = typeof arg === 'string' ? [arg, {}] : Array.isArray(arg) ? [arg[0], arg[1] ?? {}] : [];
      if (typeof template !== 'string' || !isObject(map)) return bad('<string> or [<string>, { <name>: <value> }]');
      const local: Record<string, string> = {};
      for (const [name, v] of Object.entries(map)) local[name] = stringOf(v, [...segments, 'Fn::Sub', '1', name], ctx);
      return sub(template, local, segments, ctx);
    }
    default:
      ctx.problems.error(
        'template-intrinsic-unsupported',
        at,
        `${fn} cannot be evaluated outside a CloudFormation stack; gatehouse binds Ref, Fn::Sub, Fn::GetAtt and Fn::Join (${EVALUATED.length} functions) only.`,
        `Replace it with the value it stands for, or with !Ref <Name> (or \${Name}) bound in the project file's variables.`,
      );
      return `<${fn}>`;
  }
}

/** A value inside an intrinsic (a string, a number, or another intrinsic) as a string. */
function stringOf(value: Json, segments: string[], ctx: Context): string {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (isObject(value)) {
    const fn = intrinsicOf(value);
    if (fn !== undefined) return evaluate(fn, value[fn], segments, ctx);
  }
  ctx.problems.error(
    'template-intrinsic-shape',
    pointerOf(...segments),
    `${JSON.stringify(value)} is not a value an intrinsic function can use here.`,
    'Write a string, or Ref / Fn::Sub / Fn::GetAtt / Fn::Join.',
  );
  return '';
}

/** Fn::Sub: `${Name}` and `${Resource.Attribute}` from its map, else the variables; `${!x}` is a literal `${x}`. */
function sub(template: string, local: Record<string, string>, segments: string[], ctx: Context): string {
  return template.replace(/\$\{([^{}]*)\}/g, (_match, inner: string) => {
    if (inner.startsWith('!')) return `\${${inner.slice(1)}}`;
    const name = inner.trim();
    return Object.prototype.hasOwnProperty.call(local, name) ? local[name] : lookup(name, segments, ctx);
  });
}

/** A name's binding; the AWS import variables are kept for API Gateway unless bound; an unbound name stays `${name}`. */
function lookup(name: string, segments: string[], ctx: Context): string {
  if (Object.prototype.hasOwnProperty.call(ctx.variables, name)) {
    ctx.used.add(name);
    return ctx.variables[name];
  }
  if (!AWS_IMPORT_VARIABLES.includes(name)) unbound(name, segments, ctx);
  return `\${${name}}`;
}

/** The bound text where the field is a number or boolean, as that type. */
function typed(text: string, segments: string[], ctx: Context, whole: boolean): Json {
  const field = segments[segments.length - 1];
  if (!whole || field === undefined) return text;
  if (NUMERIC_FIELDS.has(field)) {
    const n = Number(text);
    if (text.trim() !== '' && Number.isFinite(n)) return n;
    if (text.includes('${') || text.includes('{{')) return text;
    ctx.problems.error(
      'template-variable-type',
      pointerOf(...segments),
      `${field} is bound to "${text}", which is not a number.`,
      `Bind it to a number, e.g. "29000" for timeoutInMillis.`,
    );
    return text;
  }
  if (BOOLEAN_FIELDS.has(field) && (text === 'true' || text === 'false')) return text === 'true';
  return text;
}

function reportUnbound(name: string, uses: Use[], problems: ProblemList): void {
  const where = uses.map((u) => u.pointer || '(the document)').join(', ');
  const suggestion = suggest(name, uses[0].segments);
  const line = `variables:\n  ${/^[A-Za-z_][A-Za-z0-9_-]*$/.test(name) ? name : JSON.stringify(name)}: ${JSON.stringify(suggestion)}`;
  problems.error(
    'template-variable-unbound',
    uses[0].pointer,
    `The document uses the template variable "${name}" (at ${where}), and no value is bound to it: API Gateway would receive it as written.`,
    STAGE_VARIABLE.test(name)
      ? // Fn::Sub takes ${stageVariables.x} for one of its own; API Gateway's stage variable is written ${!...} there.
        `To leave the stage variable to API Gateway, write \${!${name}} in the Fn::Sub string; or bind it in the project file:\n${line}`
      : `Bind it in the project file (gatehouse.config.yaml):\n${line}`,
  );
}

/** The binding a variable probably wants, from the field it is first used in (not the intrinsic's own parts). */
function suggest(name: string, written: string[]): string {
  const inside = written.findIndex((s) => INTRINSIC_KEY.test(s));
  const segments = inside === -1 ? written : written.slice(0, inside);
  const field = segments[segments.length - 1] ?? '';
  const parent = segments[segments.length - 2] ?? '';
  const short = shortName(name);
  if (field === 'authorizerUri') return `{{lambda:${short}}}`;
  if (field === 'uri')
    return /http|url|host|backend|endpoint/i.test(name) ? `{{backend:${short}}}` : `{{lambda:${short}}}`;
  if (parent === 'providerARNs') return '{{userPoolArn}}';
  if (field === 'issuer') return '{{issuer}}';
  if (parent === 'audience' || field === 'identityValidationExpression') return `{{clientId:${short}}}`;
  if (/region/i.test(name)) return '{{region}}';
  if (NUMERIC_FIELDS.has(field)) return field === 'timeoutInMillis' ? '29000' : '0';
  return '<value>';
}

/** `OrdersFunction.Arn`, `OrdersFunctionArn`, `orders_lambda_arn` -> `orders`. */
function shortName(name: string): string {
  let base = name.split('.')[0];
  for (let before = ''; before !== base;) {
    before = base;
    base = base.replace(/[_-]?(function|lambda|arn|invoke|uri|url|endpoint|host|backend|name)$/i, '');
  }
  const short = base.replace(/[^A-Za-z0-9_-]+/g, '-');
  return short ? short.charAt(0).toLowerCase() + short.slice(1) : 'name';
}
