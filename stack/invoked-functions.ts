// Which `functions` entries a document calls. Pure (no cdktf): main.ts uses it before loading cdktf.
import type { ApiModel } from '../openapi/model/types';

/** Names of the functions the document's aws_proxy integrations call through `{{lambda:<name>}}`. */
export function invokedFunctionNames(model: ApiModel): string[] {
  const names = new Set<string>();
  for (const operation of model.operations)
    if (operation.integration.type === 'aws_proxy' && operation.integration.functionName)
      names.add(operation.integration.functionName);
  return [...names].sort();
}
