// What each `{{...}}` placeholder is bound to: the one switch over placeholder kinds, fed by a values object.
// The module feeds it cdktf references, the local stack and gateway plain values, the harness and the Dredd
// bench a stack's outputs; so all of them bind a document the same way.
import { placeholderText } from '../openapi/model/placeholders';
import { InputError, problemAt } from '../openapi/model/problems';
import type { ApiModel, Placeholder } from '../openapi/model/types';
import type { StackOutputs } from './outputs';

/** Every value a placeholder can stand for; generic so the module can bind Terraform references. */
export interface PlaceholderValues<T> {
  userPoolArn: T;
  issuer: T;
  region: T;
  /** By client name, as `{{clientId:<name>}}` names them. */
  clientIds: Record<string, T>;
  /** Lambda invoke ARNs (the integration uri form), by function name, as `{{lambda:<name>}}` names them. */
  lambdaInvokeArns: Record<string, T>;
  /** By backend name, as `{{backend:<name>}}` names them. */
  backends: Record<string, T>;
}

export type NamedPlaceholder = Extract<Placeholder, { name: string }>;
export type PlaceholderResolver<T> = (p: Placeholder) => T;

/**
 * The value of each placeholder. `missing` decides what a name without a value gives (or throws); by
 * default that is a bug, since the module and the local stack refuse such a document first (bindingProblems).
 */
export function placeholderResolver<T>(
  values: PlaceholderValues<T>,
  missing: (p: NamedPlaceholder) => T = unbound,
): PlaceholderResolver<T> {
  const named = (byName: Record<string, T>, p: NamedPlaceholder): T =>
    Object.hasOwn(byName, p.name) ? byName[p.name] : missing(p);
  return (p) => {
    switch (p.kind) {
      case 'userPoolArn':
        return values.userPoolArn;
      case 'issuer':
        return values.issuer;
      case 'region':
        return values.region;
      case 'clientId':
        return named(values.clientIds, p);
      case 'lambda':
        return named(values.lambdaInvokeArns, p);
      case 'backend':
        return named(values.backends, p);
    }
  };
}

function unbound(p: NamedPlaceholder): never {
  throw new Error(`${placeholderText(p)} has no value to bind: check the document with bindingProblems first.`);
}

/** Where a placeholder first stands in the document ('' when the model does not list it). */
export function pointerOfPlaceholder(model: ApiModel, p: Placeholder): string {
  const text = placeholderText(p);
  return model.placeholders.find((use) => placeholderText(use.placeholder) === text)?.pointer ?? '';
}

/** The values a deployed (or local) stack's outputs hold; they name no functions and no backends. */
export function outputsValues(outputs: StackOutputs): PlaceholderValues<string> {
  return {
    userPoolArn: outputs.user_pool_arn,
    issuer: outputs.issuer,
    region: outputs.region,
    clientIds: Object.fromEntries(Object.entries(outputs.clients).map(([name, client]) => [name, client.id])),
    lambdaInvokeArns: {},
    backends: {},
  };
}

/**
 * Binds the document to a stack's outputs, for the harness and the Dredd bench. A name the outputs do not
 * hold is an InputError at the document's pointer: the outputs are of another stack, or the document changed.
 */
export function resolveFromOutputs(outputs: StackOutputs, model: ApiModel): PlaceholderResolver<string> {
  return placeholderResolver(outputsValues(outputs), (p) => {
    const listed = p.kind === 'clientId' ? Object.keys(outputs.clients).join(', ') || 'none' : undefined;
    throw new InputError([
      problemAt(
        'outputs-placeholder-unbound',
        model.file,
        pointerOfPlaceholder(model, p),
        listed === undefined
          ? `${placeholderText(p)} has no value in the outputs: they list user pools and clients, not ${p.kind === 'lambda' ? 'functions' : 'backends'}.`
          : `${placeholderText(p)} names a client the outputs do not list (clients: ${listed}).`,
        listed === undefined
          ? 'Bind only pool and client placeholders from outputs; the deployed stack binds the rest.'
          : 'Run against the outputs of the stack deployed from this document, or name one of its clients.',
      ),
    ]);
  });
}
