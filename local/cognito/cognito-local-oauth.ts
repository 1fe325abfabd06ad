// cognito-local's own hosted-UI routes (GET/POST /oauth2/authorize, and the authorization_code and
// refresh_token grants of /oauth2/token), served by its Express app behind our front. Loaded on first
// use only: Express and pino-http add a fifth to start-up and most runs never call them.
import * as path from 'node:path';
import type { RequestListener } from 'node:http';
import type { Logger } from 'pino';
import type { Router as CognitoLocalRouter } from 'cognito-local/lib/server/Router';
import type { Services } from './cognito-local-core';
import type { OperationRouter } from './target-guards';

/** pino as cognito-local itself resolves it (a dependency of cognito-local, not of gatehouse). */
function silentPino(): Logger {
  const from = path.dirname(require.resolve('cognito-local/package.json'));
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- resolved from cognito-local's own dependencies at run time
  const pino = require(require.resolve('pino', { paths: [from] })) as (options: { level: string }) => Logger;
  return pino({ level: 'silent' });
}

export async function cognitoLocalOAuthApp(router: OperationRouter, services: Services): Promise<RequestListener> {
  const { createServer } = await import('cognito-local/lib/server/server');
  // Its Route type takes `any` requests; ours takes JSON objects, which is what its server passes.
  const server = createServer(router.route as CognitoLocalRouter, silentPino(), {}, services);
  return server.application as RequestListener;
}
