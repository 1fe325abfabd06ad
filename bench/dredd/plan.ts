// What the Dredd hooks need to know per operation, written by contract-matrix.ts from the model (the
// hooks never read the document): which token an operation takes, keyed as Dredd names it.
import type { ApiModel } from '../../openapi/model/types';

export type DreddToken = 'none' | 'id' | 'access';

export interface DreddPlan {
  outputsFile: string;
  /** Custom scopes the machine token must hold (every scope some operation requires). */
  scopes: string[];
  /** `METHOD /path/{template}` -> the token the operation's success needs. */
  operations: Record<string, DreddToken>;
}

export const dreddKey = (method: string, pathTemplate: string): string => `${method.toUpperCase()} ${pathTemplate}`;

export function dreddPlan(model: ApiModel, outputsFile: string): DreddPlan {
  const operations: Record<string, DreddToken> = {};
  for (const op of model.operations)
    operations[dreddKey(op.method, op.path)] =
      op.auth.kind === 'public' ? 'none' : op.auth.kind === 'authorizer' && op.auth.scopes.length > 0 ? 'access' : 'id';
  return { outputsFile, scopes: model.scopes, operations };
}
