// Test support: the real cognito-local, in process, on 127.0.0.1 with an OS-chosen port and its data in a
// temp dir. Built from cognito-local's own parts (as its createDefaultServer does) because that function
// reads ./.cognito and a fixed port; here the issuer is set once the port is known.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import pino from 'pino';
import { DateClock, LambdaService, MessagesService, TriggersService } from 'cognito-local/lib/services';
import { CognitoServiceFactoryImpl } from 'cognito-local/lib/services/cognitoService';
import { CryptoService } from 'cognito-local/lib/services/crypto';
import { StormDBDataStoreFactory } from 'cognito-local/lib/services/dataStore/stormDb';
import { MessageDeliveryService } from 'cognito-local/lib/services/messageDelivery/messageDelivery';
import { ConsoleMessageSender } from 'cognito-local/lib/services/messageDelivery/consoleMessageSender';
import { otp } from 'cognito-local/lib/services/otp';
import { JwtTokenGenerator } from 'cognito-local/lib/services/tokenGenerator';
import { UserPoolServiceFactoryImpl } from 'cognito-local/lib/services/userPoolService';
import { DefaultConfig, type Config } from 'cognito-local/lib/server/config';
import { Router } from 'cognito-local/lib/server/Router';
import { createServer } from 'cognito-local/lib/server/server';
import privateKey from 'cognito-local/lib/keys/cognitoLocal.private.json';

export interface CognitoLocal {
  /** Cognito JSON API endpoint, e.g. http://127.0.0.1:41234 */
  endpoint: string;
  /** Issuer of a pool's tokens. */
  issuerOf(userPoolId: string): string;
  /** The PEM cognito-local signs with (kid CognitoLocal), for test token servers that stand in for Cognito's OAuth endpoints. */
  signingKeyPem: string;
  signingKid: string;
  stop(): Promise<void>;
}

export async function startCognitoLocal(): Promise<CognitoLocal> {
  const dataDirectory = fs.mkdtempSync(path.join(os.tmpdir(), 'gatehouse-cognito-'));
  const logger = pino({ level: 'silent' });
  const ctx = { logger };
  const config: Config = structuredClone(DefaultConfig);
  config.ServerConfig = { port: 0, hostname: '127.0.0.1', development: false, https: false };
  const clock = new DateClock();
  const dataStoreFactory = new StormDBDataStoreFactory(dataDirectory);
  const cognito = await new CognitoServiceFactoryImpl(dataDirectory, dataStoreFactory, new UserPoolServiceFactoryImpl(clock, dataStoreFactory)).create(ctx, config.UserPoolDefaults);
  // Triggers need a Lambda client only when a trigger is configured; none is.
  const triggers = new TriggersService(clock, cognito, new LambdaService(config.TriggerFunctions, undefined as never), new CryptoService(config.KMSConfig));
  const services = {
    clock,
    cognito,
    config,
    messages: new MessagesService(triggers, new MessageDeliveryService(new ConsoleMessageSender())),
    otp,
    tokenGenerator: new JwtTokenGenerator(clock, triggers, config.TokenConfig),
    triggers,
  };
  const server = (await createServer(Router(services), logger, config.ServerConfig, services).start()) as http.Server;
  const { port } = server.address() as AddressInfo;
  const endpoint = `http://127.0.0.1:${port}`;
  // The token generator reads this object when it signs, so the issuer follows the real port.
  config.TokenConfig.IssuerDomain = endpoint;
  return {
    endpoint,
    issuerOf: (userPoolId) => `${endpoint}/${userPoolId}`,
    signingKeyPem: privateKey.pem,
    signingKid: 'CognitoLocal',
    stop: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => {
          fs.rmSync(dataDirectory, { recursive: true, force: true });
          resolve();
        });
      }),
  };
}
