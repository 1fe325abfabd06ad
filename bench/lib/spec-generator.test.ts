import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { lintSpec } from '../../openapi';
import { READ_SCOPE, WRITE_SCOPE, writeGeneratedSpec } from './spec-generator';

describe('generated bench documents', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'gatehouse-bench-gen-test-'));
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  it.each([10, 101])('load as a REST API with exactly %i operations and no errors', async (operations) => {
    const { model, problems } = await lintSpec(writeGeneratedSpec(dir, operations));
    expect(problems.filter((p) => p.severity === 'error')).toEqual([]);
    expect(model?.kind).toBe('rest');
    expect(model?.operations).toHaveLength(operations);
  });

  it('mix methods, path parameters, scopes, public routes and mock integrations behind {{userPoolArn}}', async () => {
    const { model } = await lintSpec(writeGeneratedSpec(dir, 70));
    const ops = model!.operations;
    expect(new Set(ops.map((o) => o.method))).toEqual(new Set(['GET', 'POST', 'PUT', 'PATCH', 'DELETE']));
    expect(ops.some((o) => o.parameters.filter((p) => p.in === 'path').length === 2)).toBe(true);
    expect(ops.filter((o) => o.auth.kind === 'public')).toHaveLength(10);
    expect(model!.scopes).toEqual([READ_SCOPE, WRITE_SCOPE]);
    expect(ops.every((o) => o.integration.type === 'mock')).toBe(true);
    expect(new Set(ops.map((o) => o.successStatus))).toEqual(new Set([200, 201, 204]));
    expect(model!.placeholders.map((p) => p.placeholder)).toEqual([{ kind: 'userPoolArn' }]);
  });
});
