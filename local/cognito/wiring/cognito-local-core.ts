// cognito-local's building blocks, assembled without its default server: data in a directory we choose,
// no Lambda triggers (its trigger and KMS services load aws-sdk v2, which costs start-up time and which a
// local stack without Lambda triggers never needs), no console output, each operation's code loaded on its
// first call, and files written atomically with owner-only modes. The only file that knows cognito-local's internal module paths.
import type { Services } from 'cognito-local/lib/services';
import type { Context } from 'cognito-local/lib/services/context';
import type { LogService } from 'cognito-local/lib/services/LogService';
import type { Triggers } from 'cognito-local/lib/services/triggers';
import type { TokenGenerator } from 'cognito-local/lib/services/tokenGenerator';
import type { Messages } from 'cognito-local/lib/services/messages';
import type { DeliveryDetails } from 'cognito-local/lib/services/messageDelivery/messageDelivery';
import type { Config } from 'cognito-local/lib/server/config';
import type { CognitoService } from 'cognito-local/lib/services/cognitoService';
import type { DataStoreFactory } from 'cognito-local/lib/services/dataStore/factory';
import { CognitoServiceFactoryImpl } from 'cognito-local/lib/services/cognitoService';
import { UserPoolServiceFactoryImpl } from 'cognito-local/lib/services/userPoolService';
import { DateClock, type Clock } from 'cognito-local/lib/services/clock';
import { randomInt } from 'node:crypto';
import { UnsupportedError } from 'cognito-local/lib/errors';
import { AtomicDataStoreFactory } from './atomic-data-store';

export type { Services, Context, CognitoService, TokenGenerator, Messages, DeliveryDetails };
export type { AppClient } from 'cognito-local/lib/services/appClient';
export type { User, UserPool, UserPoolService } from 'cognito-local/lib/services/userPoolService';
export { CognitoError, UnsupportedError } from 'cognito-local/lib/errors';
export { selectAppropriateDeliveryMethod } from 'cognito-local/lib/services/messageDelivery/deliveryMethod';
export { userToResponseObject } from 'cognito-local/lib/targets/responses';

/** One API operation: the request body as parsed JSON in, the response body out. */
export type Route = (ctx: Context, req: Record<string, unknown>) => Promise<object>;
export type Router = (operation: string) => Route;

/** cognito-local's operations (lib/targets/targets.js of 5.3.0), each in lib/targets/<camelCase>.js. */
const OPERATIONS: ReadonlySet<string> = new Set([
  'AddCustomAttributes',
  'AssociateSoftwareToken',
  'AdminAddUserToGroup',
  'AdminConfirmSignUp',
  'AdminCreateUser',
  'AdminDeleteUser',
  'AdminDeleteUserAttributes',
  'AdminDisableUser',
  'AdminEnableUser',
  'AdminGetUser',
  'AdminInitiateAuth',
  'AdminListGroupsForUser',
  'AdminRemoveUserFromGroup',
  'AdminSetUserPassword',
  'AdminUpdateUserAttributes',
  'ChangePassword',
  'ConfirmForgotPassword',
  'ConfirmSignUp',
  'CreateGroup',
  'CreateUserPool',
  'CreateUserPoolClient',
  'DeleteGroup',
  'DeleteUser',
  'DeleteUserAttributes',
  'DeleteUserPool',
  'DeleteUserPoolClient',
  'DescribeUserPool',
  'DescribeUserPoolClient',
  'ForgotPassword',
  'GetGroup',
  'GetUser',
  'GetUserAttributeVerificationCode',
  'GetUserPoolMfaConfig',
  'InitiateAuth',
  'ListGroups',
  'ListUserPoolClients',
  'ListUserPools',
  'ListUsers',
  'ListUsersInGroup',
  'RespondToAuthChallenge',
  'RevokeToken',
  'SetUserMFAPreference',
  'SetUserPoolMfaConfig',
  'SignUp',
  'UpdateGroup',
  'UpdateUserAttributes',
  'UpdateUserPool',
  'UpdateUserPoolClient',
  'VerifySoftwareToken',
  'VerifyUserAttribute',
]);

export function isCognitoLocalOperation(operation: string): boolean {
  return OPERATIONS.has(operation);
}

type TargetFactory = (services: Services) => Route;

/**
 * The operation's code, required on its first call: loading all of them up front costs a seventh of a
 * second, and the TOTP ones pull in ESM-only packages (otplib -> @scure/base) that Jest's CommonJS
 * runtime cannot load, so only a run that uses them needs them.
 */
function lazyTarget(services: Services, operation: string): Route {
  let route: Route | undefined;
  return (ctx, req) => {
    if (!route) {
      const file = `cognito-local/lib/targets/${operation.charAt(0).toLowerCase()}${operation.slice(1)}`;
      try {
        // eslint-disable-next-line @typescript-eslint/no-require-imports -- loaded on first use, see above
        const factory = (require(file) as Record<string, TargetFactory>)[operation];
        route = factory(services);
      } catch (error) {
        throw new UnsupportedError(
          `${operation} could not be loaded (${error instanceof Error ? error.message.split('\n')[0] : String(error)})`,
        );
      }
    }
    return route(ctx, req);
  };
}

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

const refuseTrigger = (): Promise<never> =>
  Promise.reject(new Error('Lambda triggers are not available in the local Cognito'));

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

/**
 * Six-digit codes from a CSPRNG: cognito-local's otp() uses Math.random and honours a CODE environment
 * variable that would make every code guessable.
 */
const sixDigitCode = (): string => String(randomInt(0, 1_000_000)).padStart(6, '0');

export interface CoreOptions {
  /** Where cognito-local keeps its JSON files; the caller owns (and removes) it. */
  dataDirectory: string;
  tokenGenerator: TokenGenerator;
  /** Where codes and invitations go instead of e-mail and SMS. */
  messages: Messages;
  /** Wraps the user pool service, e.g. to shape pool ids. */
  decorateCognito?: (cognito: CognitoService) => CognitoService;
  /** cognito-local's clock (UserCreateDate and the like). Default Date.now. */
  now?: () => number;
}

export interface Core {
  services: Services;
  /** cognito-local's own operations. */
  router: Router;
}

/** Where the pools' files are kept; cognito-local's own StormDB store writes in place, which a crash can tear. */
export function dataStoreFactoryFor(directory: string): DataStoreFactory {
  return new AtomicDataStoreFactory(directory);
}

export async function createCore(options: CoreOptions): Promise<Core> {
  const now = options.now;
  const clock: Clock = now ? { get: () => new Date(now()) } : new DateClock();
  const dataStoreFactory = dataStoreFactoryFor(options.dataDirectory);
  const factory = new CognitoServiceFactoryImpl(
    options.dataDirectory,
    dataStoreFactory,
    new UserPoolServiceFactoryImpl(clock, dataStoreFactory),
  );
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
    messages: options.messages,
    otp: sixDigitCode,
    tokenGenerator: options.tokenGenerator,
    triggers: noTriggers,
  };
  return { services, router: (operation) => lazyTarget(services, operation) };
}
