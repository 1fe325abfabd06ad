// cognito-local's own hosted-UI routes (GET/POST /oauth2/authorize, and the authorization_code and
// refresh_token grants of /oauth2/token), served by its Express app behind our front. Loaded on first
// use only: Express and pino-http add a fifth to start-up and most runs never call them.
import type { RequestListener } from 'node:http';
import type { Logger } from 'pino';
import type { Router as CognitoLocalRouter } from 'cognito-local/lib/server/Router';
import { loadCognitoLocalDependency, loadCognitoLocalServer, type Services } from './cognito-local-core';
import type { OperationRouter } from './target-guards';

export function cognitoLocalOAuthApp(router: OperationRouter, services: Services): Promise<RequestListener> {
  const { createServer } = loadCognitoLocalServer();
  const pino = loadCognitoLocalDependency<(options: { level: string }) => Logger>('pino');
  // Its Route type takes `any` requests; ours takes JSON objects, which is what its server passes.
  const server = createServer(router.route as CognitoLocalRouter, pino({ level: 'silent' }), {}, services);
  return Promise.resolve(server.application as RequestListener);
}
