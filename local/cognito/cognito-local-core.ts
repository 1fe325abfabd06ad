// cognito-local's building blocks, assembled without its default server: data in a directory we choose,
// no Lambda triggers (its trigger and KMS services load aws-sdk v2, which costs start-up time and which a
// local stack without Lambda triggers never needs), no console output. The only file that knows
// cognito-local's internal module paths.
import type { Services } from 'cognito-local/lib/services';
import type { Context } from 'cognito-local/lib/services/context';
import type { LogService } from 'cognito-local/lib/services/LogService';
import type { Triggers } from 'cognito-local/lib/services/triggers';
import type { TokenGenerator } from 'cognito-local/lib/services/tokenGenerator';
import type { Messages } from 'cognito-local/lib/services/messages';
import type { Config } from 'cognito-local/lib/server/config';
import type { CognitoService } from 'cognito-local/lib/services/cognitoService';
import { CognitoServiceFactoryImpl } from 'cognito-local/lib/services/cognitoService';
import { UserPoolServiceFactoryImpl } from 'cognito-local/lib/services/userPoolService';
import { StormDBDataStoreFactory } from 'cognito-local/lib/services/dataStore/stormDb';
import { DateClock } from 'cognito-local/lib/services/clock';
import { otp } from 'cognito-local/lib/services/otp';
import { Router as cognitoLocalRouter } from 'cognito-local/lib/server/Router';

export type { Services, Context, CognitoService, TokenGenerator };
export type { AppClient } from 'cognito-local/lib/services/appClient';
export type { User, UserPool, UserPoolService } from 'cognito-local/lib/services/userPoolService';
export { CognitoError, UnsupportedError } from 'cognito-local/lib/errors';
export { isSupportedTarget } from 'cognito-local/lib/targets/Target';

/** One API operation: the request body as parsed JSON in, the response body out. */
export type Route = (ctx: Context, req: Record<string, unknown>) => Promise<object>;
export type Router = (target: string) => Route;

const noop = (): void => undefined;

/** cognito-local logs through pino; it would print users' codes and temporary passwords, so nothing is logged. */
export const silentLogger: LogService = {
  child: () => silentLogger,
  debug: noop,
  error: noop,
  info: noop,
  warn: noop,
};

export const silentContext: Context = { logger: silentLogger };

const refuseTrigger = (): Promise<never> => Promise.reject(new Error('Lambda triggers are not available in the local Cognito'));

/** No Lambda triggers: `enabled` is false, so cognito-local never calls the others. */
const noTriggers: Triggers = {
  enabled: () => false,
  customMessage: refuseTrigger,
  customEmailSender: refuseTrigger,
  postAuthentication: refuseTrigger,
  postConfirmation: refuseTrigger,
  preSignUp: refuseTrigger,
  preTokenGeneration: refuseTrigger,
  userMigration: refuseTrigger,
};

/** Codes and temporary passwords go nowhere: the stack's users are created by administrators with SUPPRESS. */
const discardMessages: Messages = { deliver: () => Promise.resolve() };

export interface CoreOptions {
  /** Where cognito-local keeps its JSON files; the caller owns (and removes) it. */
  dataDirectory: string;
  tokenGenerator: TokenGenerator;
  /** Wraps the user pool service, e.g. to shape pool ids. */
  decorateCognito?: (cognito: CognitoService) => CognitoService;
}

export interface Core {
  services: Services;
  /** cognito-local's own target dispatch. */
  router: Router;
}

export async function createCore(options: CoreOptions): Promise<Core> {
  const clock = new DateClock();
  const dataStoreFactory = new StormDBDataStoreFactory(options.dataDirectory);
  const factory = new CognitoServiceFactoryImpl(options.dataDirectory, dataStoreFactory, new UserPoolServiceFactoryImpl(clock, dataStoreFactory));
  const created = await factory.create(silentContext, {});
  const cognito = options.decorateCognito ? options.decorateCognito(created) : created;
  const config: Config = {
    LambdaClient: {},
    TriggerFunctions: {},
    UserPoolDefaults: {},
    ServerConfig: {},
    TokenConfig: {},
  };
  const services: Services = {
    clock,
    cognito,
    config,
    messages: discardMessages,
    otp,
    tokenGenerator: options.tokenGenerator,
    triggers: noTriggers,
  };
  // cognito-local's Route takes `any`; ours narrows the request to a JSON object, which it always is here.
  const router = cognitoLocalRouter(services) as Router;
  return { services, router };
}
