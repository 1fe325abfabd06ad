// Every broken document yields exactly the problems openapi/broken/expected.json lists for it, at the right
// pointer; and the real CLI reports them the way a pipeline sees them (exit code, stderr, no stack trace).
import { execFile } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { promisify } from 'node:util';
import { lintSpec } from '../index';

const REPO = path.resolve(__dirname, '..', '..');
const BROKEN = path.join(REPO, 'openapi', 'broken');

interface Expected {
  rule: string;
  pointer: string;
  severity?: 'error' | 'warning';
  /** Text the message must hold, e.g. the second pointer or the file the problem is written in. */
  messageIncludes?: string;
}

const expected = JSON.parse(fs.readFileSync(path.join(BROKEN, 'expected.json'), 'utf8')) as Record<string, Expected[]>;

/** Every document file under openapi/broken (multi-file parts other than the entry are not listed). */
function brokenDocuments(dir = BROKEN): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const full = path.join(dir, e.name);
    if (e.isDirectory())
      return fs.existsSync(path.join(full, 'api.yaml')) ? [path.relative(BROKEN, path.join(full, 'api.yaml'))] : [];
    return /\.(ya?ml|json)$/.test(e.name) && e.name !== 'expected.json' ? [e.name] : [];
  });
}

describe('openapi/broken', () => {
  it('lists every broken document in expected.json, and covers at least 22 rules', () => {
    expect(Object.keys(expected).sort()).toEqual(brokenDocuments().sort());
    const errorRules = new Set(
      Object.values(expected).flatMap((list) =>
        list.filter((e) => (e.severity ?? 'error') === 'error').map((e) => e.rule),
      ),
    );
    expect(errorRules.size).toBeGreaterThanOrEqual(22);
    // Each document exists to show one error.
    for (const [name, list] of Object.entries(expected))
      expect([name, list.filter((e) => (e.severity ?? 'error') === 'error')]).toEqual([name, [expect.anything()]]);
  });

  it.each(Object.entries(expected))('%s yields exactly its expected problems', async (name, problems) => {
    const file = path.join(BROKEN, name);
    const result = await lintSpec(file);
    expect(result.model).toBeUndefined();
    const got = result.problems.map((p) => ({ severity: p.severity, rule: p.rule, pointer: p.pointer }));
    const want = problems.map((e) => ({ severity: e.severity ?? 'error', rule: e.rule, pointer: e.pointer }));
    expect(got).toEqual(want);
    for (const [i, e] of problems.entries()) {
      const p = result.problems[i];
      expect(p.message.length).toBeGreaterThan(10);
      expect(p.fix.length).toBeGreaterThan(5);
      if (e.messageIncludes) expect(p.message).toContain(e.messageIncludes);
    }
  });

  it('points at the line of a syntax error', async () => {
    const { problems } = await lintSpec(path.join(BROKEN, 'yaml-syntax.yaml'));
    expect(problems[0]).toMatchObject({ file: path.join(BROKEN, 'yaml-syntax.yaml') });
    expect(problems[0].fix).toMatch(/line 4, column 1/);
  });

  it('names the file that failed to parse when it is not the entry document', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'gatehouse-lint-'));
    fs.writeFileSync(
      path.join(dir, 'api.yaml'),
      'openapi: 3.0.3\ninfo: { title: x, version: "1" }\npaths:\n  /a:\n    $ref: "./a.yaml"\n',
    );
    fs.writeFileSync(path.join(dir, 'a.yaml'), 'get: {\n  responses: [\n');
    const { problems } = await lintSpec(path.join(dir, 'api.yaml'));
    expect(problems).toEqual([expect.objectContaining({ rule: 'document-syntax', file: path.join(dir, 'a.yaml') })]);
  });

  it('names the file holding a broken $ref and the pointer of the $ref', async () => {
    const { problems } = await lintSpec(path.join(BROKEN, 'broken-ref.yaml'));
    expect(problems).toEqual([
      expect.objectContaining({
        rule: 'ref-unresolved',
        file: path.join(BROKEN, 'broken-ref.yaml'),
        pointer: '/components/schemas/Pet',
      }),
    ]);
    expect(problems[0].message).toContain('does-not-exist.yaml');
  });

  it('reports every problem of a document at once', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'gatehouse-lint-'));
    const file = path.join(dir, 'many.yaml');
    // Three independent mistakes in one document: all three come back from one run.
    fs.writeFileSync(
      file,
      fs
        .readFileSync(path.join(REPO, 'openapi', 'pets.yaml'), 'utf8')
        .replace('type: http_proxy', 'type: lambda')
        .replace('- CognitoAuth: [pets/purchase]', '- CognitoAuht: [pets/purchase]')
        .replace('  UNAUTHORIZED:\n', '  UNAUTHORISED:\n'),
    );
    const { problems } = await lintSpec(file);
    expect(
      problems
        .filter((p) => p.severity === 'error')
        .map((p) => p.rule)
        .sort(),
    ).toEqual(['gateway-response-type', 'integration-unsupported-type', 'security-unknown-scheme']);
  });
});

describe('gatehouse lint (the real CLI)', () => {
  const run = promisify(execFile);
  async function lint(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
    try {
      const { stdout, stderr } = await run('node', [path.join(REPO, 'bin', 'gatehouse.js'), 'lint', ...args], {
        cwd: REPO,
      });
      return { code: 0, stdout, stderr };
    } catch (error) {
      const e = error as { code: number; stdout: string; stderr: string };
      return { code: e.code, stdout: e.stdout, stderr: e.stderr };
    }
  }

  it.each([
    ['security-missing.yaml', '/paths/~1pets/get'],
    ['scopes-with-validation-expression.yaml', '/paths/~1pets/get/security/0/CognitoAuth'],
    [
      'jwt-audience-missing.json',
      '/components/securitySchemes/CognitoJwt/x-amazon-apigateway-authorizer/jwtConfiguration',
    ],
    ['yaml-syntax.yaml', ''],
    ['broken-ref.yaml', '/components/schemas/Pet'],
  ])('exits 2 on %s, naming the file and pointer on stderr, without a stack trace', async (name, pointer) => {
    const { code, stdout, stderr } = await lint(`openapi/broken/${name}`);
    expect(code).toBe(2);
    expect(stderr).toContain(`openapi/broken/${name}#${pointer}`);
    expect(stderr).toMatch(/fix: /);
    expect(`${stdout}\n${stderr}`).not.toMatch(/^ {4}at /m);
    expect(stdout).toMatch(new RegExp(`^openapi/broken/${name.replace('.', '\\.')}: 1 error`, 'm'));
  });

  it.each(['openapi/pets.yaml', 'openapi/hello-http.yaml'])('exits 0 on %s and prints a summary', async (spec) => {
    const { code, stdout } = await lint(spec);
    expect(code).toBe(0);
    expect(stdout).toMatch(
      new RegExp(`^${spec.replace('.', '\\.')}: 0 errors, \\d+ warnings? \\((REST|HTTP) API`, 'm'),
    );
  });

  it('prints warnings without failing', async () => {
    const { code, stderr } = await lint('openapi/pets.yaml');
    expect(code).toBe(0);
    expect(stderr).toContain(
      'warning openapi/pets.yaml#/paths/~1purchase/post/security/0/CognitoAuth [rest-scopes-need-access-token]',
    );
  });

  it('--json prints the problems as data', async () => {
    const { code, stdout } = await lint('--json', 'openapi/broken/unknown-scheme.yaml');
    expect(code).toBe(2);
    const report = JSON.parse(stdout) as {
      file: string;
      errors: number;
      warnings: number;
      problems: { rule: string; pointer: string }[];
    };
    expect(report).toMatchObject({ file: path.join(BROKEN, 'unknown-scheme.yaml'), errors: 1, warnings: 0 });
    expect(report.problems.map((p) => [p.rule, p.pointer])).toEqual([
      ['security-unknown-scheme', '/paths/~1pets/get/security/0/CognitoAuht'],
    ]);
  });

  it('exits 2 with usage when no document is named, and for a file that does not exist', async () => {
    const none = await lint();
    expect(none.code).toBe(2);
    expect(none.stderr).toContain('usage: gatehouse lint');
    const missing = await lint('openapi/nope.yaml');
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('[file-not-found]');
  });

  it('writes no files', async () => {
    const before = fs.readdirSync(BROKEN).sort();
    await lint('openapi/broken/security-missing.yaml');
    expect(fs.readdirSync(BROKEN).sort()).toEqual(before);
  });
});
