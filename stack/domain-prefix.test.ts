// A default hosted-UI prefix never fails synth: one Cognito would refuse is derived into one it accepts, with a
// warning naming what was used and the prop to set; a prefix the user set is still refused as it was written.
import * as path from 'node:path';
import { loadApiModel } from '../openapi/model/load';
import { PropsError } from '../openapi/model/problems';
import type { ApiModel } from '../openapi/model/types';
import { stackNameOf } from './app-props';
import { resolveProps } from './resolve';
import { derivedDomainPrefix, isValidDomainPrefix, PROPS_INPUT } from './validate-props';

let pets: ApiModel;
beforeAll(async () => {
  pets = await loadApiModel(path.join(__dirname, '..', 'openapi', 'pets.yaml'));
});
const titled = (title: string): ApiModel => ({ ...pets, title });

test('a title holding "Cognito" gives a prefix without it, and one warning naming stack, title, prefix and prop', () => {
  const model = titled('Cognito Pets on AWS');
  const stackName = stackNameOf(model.title);
  const resolved = resolveProps({ spec: model }, model, stackName);
  expect(resolved.domain).toEqual({ prefix: 'gatehouse-pets-on-prod' });
  expect(resolved.warnings).toEqual([
    {
      severity: 'warning',
      rule: 'domain-prefix-derived',
      file: PROPS_INPUT,
      pointer: '/domain',
      message:
        'The default domain prefix "gatehouse-cognito-pets-on-aws-prod" (stack "gatehouse-cognito-pets-on-aws", stage "prod"; document title "Cognito Pets on AWS") is one Cognito refuses (it allows lower-case letters, digits and hyphens, at most 63, without "aws", "amazon" or "cognito"), so the hosted UI uses the prefix "gatehouse-pets-on-prod".',
      fix: "Set the prop domain: { prefix: '<prefix>' } to choose the prefix yourself (e.g. 'gatehouse-pets-on-prod').",
    },
  ]);
});

test('a valid default prefix is used as it is, without a warning', () => {
  const resolved = resolveProps({ spec: pets }, pets, 'gatehouse-pets');
  expect(resolved.domain).toEqual({ prefix: 'gatehouse-pets-prod' });
  expect(resolved.warnings).toEqual([]);
});

test.each([
  ['a stack name too long', `gatehouse-${'reports-'.repeat(10)}x`, 'prod'],
  ['a stage with an underscore and upper case', 'gatehouse-pets', 'Blue_Green'],
  ['a reserved word that only appears once another is dropped', 'gatehouse-awcognitos', 'prod'],
  ['nothing left but reserved words', 'amazon', 'cognito'],
])('%s: the derived prefix is one Cognito accepts', (_, stackName, stage) => {
  const prefix = derivedDomainPrefix(stackName, stage);
  expect(isValidDomainPrefix(prefix)).toBe(true);
  expect(prefix).not.toMatch(/aws|amazon|cognito/);
  expect(() => resolveProps({ spec: pets, stageName: stage }, pets, stackName)).not.toThrow();
});

test('nothing left: a short hash of the default, different for different stacks', () => {
  expect(derivedDomainPrefix('amazon', 'cognito')).toMatch(/^auth-[0-9a-f]{12}$/);
  expect(derivedDomainPrefix('amazon', 'cognito')).not.toBe(derivedDomainPrefix('aws', 'cognito'));
  expect(derivedDomainPrefix('gatehouse-awcognitos', 'prod')).toBe('gatehouse-prod');
  expect(derivedDomainPrefix(`gatehouse-${'reports-'.repeat(10)}x`, 'prod')).toHaveLength(63);
});

test('a prefix the user set is refused as written, never derived', () => {
  const model = titled('Cognito Pets');
  let error: unknown;
  try {
    resolveProps({ spec: model, domain: { prefix: 'cognito-pets' } }, model, stackNameOf(model.title));
  } catch (e) {
    error = e;
  }
  expect(error).toBeInstanceOf(PropsError);
  expect((error as PropsError).problems).toMatchObject([
    { severity: 'error', rule: 'props-domain-prefix', pointer: '/domain/prefix' },
  ]);
});
