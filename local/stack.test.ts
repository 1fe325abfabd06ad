// `gatehouse local`'s stack refuses the props the module refuses, with exactly the same problems, before
// it starts anything or writes its outputs file.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { loadApiModel } from '../openapi/model/load';
import { PropsError } from '../openapi/model/problems';
import type { ApiModel } from '../openapi/model/types';
import { ALL_AT_ONCE, PETS_STACK, REFUSED_CASES, expectedIn, summarize } from '../stack/refused-props';
import { resolveProps } from '../stack/resolve';
import { PROPS_INPUT } from '../stack/validate-props';
import { startLocalStack } from './stack';

let pets: ApiModel;
let tmp: string;
beforeAll(async () => {
  pets = await loadApiModel(path.join(__dirname, '..', 'openapi', 'pets.yaml'));
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'gatehouse-local-props-'));
});
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

test.each([...REFUSED_CASES, ALL_AT_ONCE])('startLocalStack refuses $name as resolveProps does', async (refusal) => {
  const props = { ...refusal.props, spec: pets };
  const stackName = refusal.stackName ?? PETS_STACK;
  const outputsFile = path.join(tmp, `${REFUSED_CASES.indexOf(refusal)}.json`);
  const local = await startLocalStack({ spec: pets, props, stackName, outputsFile }).then(
    async (stack) => {
      await stack.stop();
      return undefined;
    },
    (error: unknown) => error,
  );
  expect(local).toBeInstanceOf(PropsError);
  expect(summarize((local as PropsError).problems)).toEqual(expectedIn(PROPS_INPUT, refusal.problems));
  let module: unknown;
  try {
    resolveProps(props, pets, stackName);
  } catch (error) {
    module = error;
  }
  expect((local as PropsError).problems).toEqual((module as PropsError).problems);
  expect(fs.existsSync(outputsFile)).toBe(false);
});
