// gatehouse local --spec <file> --outputs <file>: the local Cognito and API Gateway, until SIGINT/SIGTERM.
import { startLocalStack } from '../local/stack';
import type { CapturedCode } from '../local/cognito';
import { parseFlags } from './args';
import { UsageError } from './errors';

export async function run(argv: string[]): Promise<number> {
  const { values } = parseFlags(
    argv,
    { spec: { type: 'string' }, outputs: { type: 'string' }, host: { type: 'string' } },
    'gatehouse local',
  );
  if (!values.spec) throw new UsageError('gatehouse local: --spec <file> is required');
  const outputsFile = values.outputs ?? 'local-outputs.json';
  if (values.host && !/^127\.|^localhost$|^::1$/.test(values.host))
    throw new UsageError(
      'gatehouse local: --host must be a loopback address; the local stack is not for other machines',
    );
  const stack = await startLocalStack({ spec: values.spec, outputsFile, host: values.host, onCode: printCode });
  const o = stack.outputs;
  console.log(
    `local stack up in ${stack.coldStartMs.toFixed(0)} ms (${o.api_kind === 'rest' ? 'REST API' : 'HTTP API'}: ${stack.model.title})`,
  );
  console.log(`  API              ${o.api_url}`);
  console.log(`  Cognito endpoint ${o.cognito_endpoint}`);
  console.log(`  issuer           ${o.issuer}`);
  console.log(`  token endpoint   ${o.token_endpoint}`);
  for (const [name, client] of Object.entries(o.clients))
    console.log(`  client ${name.padEnd(10)}${client.id}${client.has_secret ? ' (with secret)' : ''}`);
  console.log(`  outputs          ${outputsFile}`);
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
