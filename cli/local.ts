// gatehouse local [--spec <file>] [--config <file>] --outputs <file>: the local Cognito and API Gateway for the
// document and the project file's props, until SIGINT/SIGTERM.
import { startLocalStack } from '../local/stack';
import { standInLines } from '../local/gateway/listing';
import type { CapturedCode } from '../local/cognito';
import { lintChecked } from '../main';
import { chooseProject, localStackInputs } from '../stack/project';
import { isLoopbackHost } from '../local/gateway/outbound';
import { usageError } from './errors';
import type { LocalOptions } from './program';

export async function execute(options: LocalOptions): Promise<number> {
  if (!isLoopbackHost(options.host ?? '127.0.0.1'))
    throw usageError(
      '--host',
      `Not a loopback address (received: ${options.host}).`,
      'Leave --host out (127.0.0.1), or pass another loopback address: the local stack is not for other machines.',
    );
  const { spec, project } = chooseProject(options);
  const model = await lintChecked(spec, project?.variables);
  const outputsFile = options.outputs;
  const stack = await startLocalStack({
    spec: model,
    ...localStackInputs(model, project),
    outputsFile,
    host: options.host,
    issuerStyle: options.issuer,
    onCode: printCode,
  });
  const o = stack.outputs;
  console.log(
    `local stack up in ${stack.coldStartMs.toFixed(0)} ms (${o.api_kind === 'rest' ? 'REST API' : 'HTTP API'}: ${stack.model.title})`,
  );
  console.log(`  API              ${o.api_url}`);
  if (o.api_custom_domain_url)
    console.log(
      `  API (domain)     ${o.api_custom_domain_url}${o.execute_api_endpoint_disabled ? ' (the API URL above refuses every request: disableExecuteApiEndpoint)' : ''}`,
    );
  console.log(`  Cognito endpoint ${o.cognito_endpoint}`);
  console.log(`  issuer           ${o.issuer}`);
  if (options.issuer === 'aws') console.log(`  keys (local)     ${o.jwks_url}`);
  console.log(`  token endpoint   ${o.token_endpoint}`);
  for (const [name, client] of Object.entries(o.clients))
    console.log(`  client ${name.padEnd(10)}${client.id}${client.has_secret ? ' (with secret)' : ''}`);
  console.log(`  outputs          ${outputsFile}`);
  for (const line of standInLines(stack.standIns, stack.forwarded, stack.refused)) console.log(line);
  console.log('Ctrl-C to stop.');
  await new Promise<void>((resolve) => {
    process.once('SIGINT', resolve);
    process.once('SIGTERM', resolve);
  });
  await stack.stop();
  console.log('local stack stopped');
  return 0;
}

/** Codes are never mailed locally: they are printed here (and readable at <cognito>/_local/codes). */
function printCode(code: CapturedCode): void {
  const to = code.destination ?? code.username;
  // An invitation's "code" is a temporary password: named, not shown.
  if (code.purpose === 'AdminCreateUser')
    console.log(`  [cognito] invitation for ${to}: temporary password at /_local/codes`);
  else console.log(`  [cognito] ${code.purpose} code for ${to}: ${code.code}`);
}
