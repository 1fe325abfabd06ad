// Dredd hooks for the no-token / valid-token pair: the documented 401 of every secured operation is run
// without a token (Dredd skips non-2xx responses unless a hook unskips them), and every documented 2xx
// with the token the operation takes, from a test user (ID token) or the client_credentials grant
// (access token), got from the same outputs the harness uses. Loaded by Dredd with `--require tsx/cjs`.
import * as fs from 'node:fs';
// eslint-disable-next-line @typescript-eslint/no-require-imports -- Dredd's hooks module exists only inside Dredd's process, CommonJS
import hooks = require('hooks');
import type { StackOutputs } from '../../stack/outputs';
import {
  clientCredentialsToken,
  clientNames,
  createUser,
  deleteUser,
  localCognitoClient,
  signIn,
  type BenchUser,
} from '../lib/cognito-tokens';
import { dreddKey, type DreddPlan } from './plan';

const planFile = process.env.GATEHOUSE_BENCH_DREDD_PLAN;
if (!planFile) throw new Error('GATEHOUSE_BENCH_DREDD_PLAN is not set: run Dredd through bench/contract-matrix.ts');
const plan = JSON.parse(fs.readFileSync(planFile, 'utf8')) as DreddPlan;
const outputs = JSON.parse(fs.readFileSync(plan.outputsFile, 'utf8')) as StackOutputs;
const cognito = localCognitoClient(outputs);

let tokens: { id: string; access: string } | undefined;
let user: BenchUser | undefined;
let setupError: string | undefined;

hooks.beforeAll((_transactions, done) => {
  const { user: userClient, machine } = clientNames(outputs);
  createUser(cognito, outputs)
    .then(async (created) => {
      user = created;
      const [signedIn, access] = await Promise.all([
        signIn(cognito, outputs, userClient, created),
        clientCredentialsToken(outputs, machine, plan.scopes),
      ]);
      tokens = { id: signedIn.idToken, access };
    })
    .catch((error: unknown) => {
      setupError = `no tokens for the run: ${error instanceof Error ? error.message : String(error)}`;
    })
    .finally(done);
});

hooks.beforeEach((transaction) => {
  if (setupError || !tokens) {
    transaction.fail = setupError ?? 'no tokens for the run';
    return;
  }
  const token = plan.operations[dreddKey(transaction.request.method, transaction.origin.resourceName)];
  if (token === undefined) {
    transaction.fail = `no operation ${dreddKey(transaction.request.method, transaction.origin.resourceName)} in the plan`;
    return;
  }
  const status = Number(transaction.expected.statusCode);
  if (status === 401) {
    transaction.skip = false;
    delete transaction.request.headers.Authorization;
  } else if (status >= 200 && status < 300 && token !== 'none') {
    transaction.request.headers.Authorization = tokens[token];
  }
});

hooks.afterAll((_transactions, done) => {
  (user ? deleteUser(cognito, outputs, user) : Promise.resolve()).catch(() => undefined).finally(done);
});
