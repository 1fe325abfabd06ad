// The HTML report as a person sees it in a real Chromium: reports from real runs of the harness against the local
// stack (pets.yaml, and a stack drifted from it so some checks really fail), rendered by toHtml, opened from disk.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Browser, Page } from 'playwright-core';
import { launchChromium } from './browser';
import { toHtml } from './html-report';
import type { ContractReport } from './report';
import { runContract } from './run';
import { writeDocumentVariant } from './testing/document-variant';
import { LOCAL_CREDENTIALS, withTestStack } from './testing/local-stack';

const PETS = path.join(__dirname, '..', 'openapi', 'pets.yaml');
const credentials = async () => LOCAL_CREDENTIALS;
const MARK = { pass: '✓', fail: '✗', 'not-run': '○', none: '·' } as const;

let browser: Browser;
let dir: string;
/** Every check passes; some are not run (pets.yaml's outputs name no second pool). */
let clean: ContractReport;
/** Judged by pets.yaml, run against a stack where GET /pets was made public: listPets' rejections fail. */
let drifted: ContractReport;
let operations: { id: string; method: string; path: string }[];
let clientSecrets: string[];

beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'gatehouse-html-report-'));
  browser = await launchChromium();
  await withTestStack(PETS, async (stack) => {
    operations = stack.model.operations.map((op) => ({ id: op.id, method: op.method, path: op.path }));
    clientSecrets = Object.values(stack.outputs.client_secrets);
    clean = await runContract({ spec: PETS, outputsFile: stack.outputsFile, credentials });
  });
  const variant = writeDocumentVariant(PETS, (doc) =>
    doc.setIn(['paths', '/pets', 'get', 'security'], doc.createNode([])),
  );
  try {
    await withTestStack(variant.file, async (stack) => {
      drifted = await runContract({ spec: PETS, outputsFile: stack.outputsFile, credentials });
    });
  } finally {
    variant.remove();
  }
}, 120_000);

afterAll(async () => {
  await browser?.close();
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
});

let pages = 0;

/** Writes the page to a file and opens it as a person would, recording every request the page makes. */
async function open(html: string): Promise<{ page: Page; url: string; requests: string[] }> {
  const file = path.join(dir, `report-${pages++}.html`);
  fs.writeFileSync(file, html);
  const url = pathToFileURL(file).href;
  const page = await browser.newPage();
  const requests: string[] = [];
  page.on('request', (request) => requests.push(request.url()));
  await page.goto(url, { waitUntil: 'load' });
  return { page, url, requests };
}

async function withPage<T>(report: ContractReport, body: (page: Page) => Promise<T>): Promise<T> {
  const { page } = await open(toHtml(report));
  try {
    return await body(page);
  } finally {
    await page.close();
  }
}

/** The state the report gives each operation × case, as the page should draw it. */
function expectedGrid(report: ContractReport, cases: string[]): Record<string, string[]> {
  const state = new Map<string, keyof typeof MARK>();
  for (const r of report.results) state.set(`${r.operation} ${r.case}`, r.passed ? 'pass' : 'fail');
  for (const o of report.omitted) state.set(`${o.operation} ${o.case}`, 'not-run');
  return Object.fromEntries(operations.map((op) => [op.id, cases.map((c) => state.get(`${op.id} ${c}`) ?? 'none')]));
}

async function drawnGrid(page: Page): Promise<Record<string, string[]>> {
  const grid: Record<string, string[]> = {};
  for (const row of await page.locator('.matrix tbody tr').all()) {
    const id = (await row.locator('th .op').textContent()) ?? '';
    grid[id] = await row
      .locator('td.cell')
      .evaluateAll((cells) => cells.map((c) => c.getAttribute('data-status') ?? ''));
  }
  return grid;
}

function cell(page: Page, operation: string, columns: string[], c: string) {
  return page.locator(`.matrix tbody tr[data-operation="${operation}"] td.cell`).nth(columns.indexOf(c));
}

test('the matrix has one row per operation of pets.yaml and every cell in the state the report gives it', async () => {
  expect(clean.failed).toBe(0);
  expect(clean.omitted.length).toBeGreaterThan(0);
  await withPage(clean, async (page) => {
    const rows = page.locator('.matrix tbody tr');
    expect(await rows.count()).toBe(operations.length);
    for (const [i, op] of operations.entries())
      expect((await rows.nth(i).locator('th').innerText()).split(/\s+/)).toEqual([op.method, op.path, op.id]);
    const columns = await page.locator('.matrix thead th.case').allInnerTexts();
    expect(new Set(columns)).toEqual(new Set([...clean.results, ...clean.omitted].map((r) => r.case)));
    const expected = expectedGrid(clean, columns);
    expect(await drawnGrid(page)).toEqual(expected);
    // And what is drawn in each cell is its status's mark.
    const listPets = page.locator('.matrix tbody tr[data-operation="listPets"] td.cell .mark');
    expect(await listPets.allInnerTexts()).toEqual(expected.listPets.map((s) => MARK[s as keyof typeof MARK]));
    const notRun = clean.omitted[0];
    expect(await cell(page, notRun.operation, columns, notRun.case).getAttribute('title')).toContain(notRun.reason);

    const summary = await page.locator('.summary').innerText();
    expect(summary).toContain(`${clean.passed} passed, 0 failed, ${clean.omitted.length} not run`);
    expect(summary).toContain('openapi/pets.yaml');
    expect(summary).toContain(new URL(clean.apiUrl).host);
    expect(summary).toContain(clean.startedAt.slice(0, 10));
    expect(await page.locator('.summary time').getAttribute('datetime')).toBe(clean.startedAt);
  });
});

test('a failing cell shows its reason on hover, on keyboard focus, to assistive technology and in its details row', async () => {
  const failure = drifted.results.find((r) => r.name === 'listPets no-token')!;
  expect(failure.passed).toBe(false);
  expect(failure.problems).toContain('status 200, expected 401');
  await withPage(drifted, async (page) => {
    const columns = await page.locator('.matrix thead th.case').allInnerTexts();
    expect(await drawnGrid(page)).toEqual(expectedGrid(drifted, columns));
    const target = cell(page, 'listPets', columns, 'no-token');
    expect(await target.getAttribute('data-status')).toBe('fail');
    expect(await target.getAttribute('title')).toContain('status 200, expected 401');
    expect(await target.locator('a').getAttribute('aria-label')).toContain('listPets no-token: failed: status 200');

    const tip = target.locator('.tip');
    await expect(tip.isVisible()).resolves.toBe(false);
    await target.hover();
    await expect(tip.isVisible()).resolves.toBe(true);
    expect(await tip.innerText()).toContain('status 200, expected 401');
    await page.mouse.move(0, 0);
    await expect(tip.isVisible()).resolves.toBe(false);
    await target.locator('a').focus();
    await expect(tip.isVisible()).resolves.toBe(true);

    await page.keyboard.press('Enter');
    const detail = page.locator(new URL(page.url()).hash);
    expect(await detail.isVisible()).toBe(true);
    const text = await detail.innerText();
    for (const words of [
      'listPets no-token',
      'failed',
      'GET /pets',
      'no token',
      'status 200, expected 401',
      failure.rule,
    ])
      expect(text).toContain(words);
  });
});

test('"Failed only" hides every row and column without a failure and every passing cell; "All" brings them back', async () => {
  const failedOps = new Set(drifted.results.filter((r) => !r.passed).map((r) => r.operation));
  const failedCases = new Set(drifted.results.filter((r) => !r.passed).map((r) => r.case));
  expect([...failedOps]).toEqual(['listPets']);
  await withPage(drifted, async (page) => {
    const columns = await page.locator('.matrix thead th.case').allInnerTexts();
    const visibleRows = async () => {
      const ids: string[] = [];
      for (const row of await page.locator('.matrix tbody tr').all())
        if (await row.isVisible()) ids.push((await row.getAttribute('data-operation')) ?? '');
      return ids;
    };
    expect(await visibleRows()).toEqual(operations.map((op) => op.id));

    await page.getByRole('button', { name: /^Failed only/ }).click();
    expect(await page.getByRole('button', { name: /^Failed only/ }).getAttribute('aria-pressed')).toBe('true');
    expect(await visibleRows()).toEqual(['listPets']);
    expect(new Set(await page.locator('.matrix thead th.case:visible').allInnerTexts())).toEqual(failedCases);
    for (const r of drifted.results.filter((x) => x.operation === 'listPets')) {
      const mark = cell(page, 'listPets', columns, r.case).locator('.mark');
      // A passing check is hidden: its column is gone, or its mark is blanked where its column holds a failure.
      expect(await mark.isVisible()).toBe(!r.passed);
    }
    expect(await page.locator('.details tbody tr:visible').count()).toBe(drifted.failed);

    await page.getByRole('button', { name: /^Passed only/ }).click();
    expect(await visibleRows()).toEqual(operations.map((op) => op.id));
    expect(await page.locator('.details tbody tr:visible').count()).toBe(drifted.passed);

    await page.getByRole('button', { name: /^All/ }).click();
    expect(await visibleRows()).toEqual(operations.map((op) => op.id));
    expect(await page.locator('.matrix thead th.case:visible').allInnerTexts()).toEqual(columns);
    expect(await page.locator('.details tbody tr:visible').count()).toBe(
      drifted.results.length + drifted.omitted.length,
    );
  });
});

test('markup in operation paths, ids and reasons renders as text: no element is made from it and no script of it runs', async () => {
  const hostile = structuredClone(clean);
  const img = '<img src=x onerror="window.__pwned=1">';
  const script = '</code><script>window.__pwned=2</script>';
  const first = hostile.results[0];
  Object.assign(first, { passed: false, problems: [img], path: `/pets/${script}` });
  for (const r of hostile.results.filter((x) => x.operation === first.operation)) r.path = first.path;
  hostile.omitted[0].reason = `"><img src=x onerror=window.__pwned=3>`;
  hostile.spec = `<img src=x>.yaml`;
  hostile.passed--;
  hostile.failed++;
  await withPage(hostile, async (page) => {
    expect(await page.locator('img').count()).toBe(0);
    expect(await page.locator('script').count()).toBe(1);
    expect(await page.evaluate('typeof window.__pwned')).toBe('undefined');
    const columns = await page.locator('.matrix thead th.case').allInnerTexts();
    const target = cell(page, first.operation, columns, first.case);
    await target.hover();
    expect(await target.locator('.tip').innerText()).toContain(img);
    expect(await page.locator(`.matrix tbody tr[data-operation="${first.operation}"] th .path`).innerText()).toBe(
      first.path,
    );
    expect(await page.locator('.details').innerText()).toContain(hostile.omitted[0].reason);
    expect(await page.locator('h1').innerText()).toBe('Contract report: <img src=x>.yaml');
  });
});

test('no token or secret appears in the page: a token-looking string the harness missed is masked too', async () => {
  const token = [
    Buffer.from('{"alg":"RS256","kid":"k1"}').toString('base64url'),
    Buffer.from('{"sub":"user","token_use":"access"}').toString('base64url'),
    'c2lnbmF0dXJlLW9mLXRoZS10b2tlbg',
  ].join('.');
  const leaky = structuredClone(drifted);
  const failure = leaky.results.find((r) => !r.passed)!;
  failure.problems.push(`got Authorization: Bearer ${token}`);
  failure.got = { status: 200, body: `{"echo":"${token}"}` };
  failure.description = `the token ${token}`;
  const html = toHtml(leaky);
  expect(html).not.toContain(token);
  expect(html).not.toMatch(/eyJ[A-Za-z0-9_-]{6,}/);
  await withPage(leaky, async (page) => {
    const text = await page.locator('body').innerText();
    expect(text).toContain(`Bearer ${token.slice(0, 6)}…(${token.length} chars)`);
    expect(text).not.toContain(token);
  });
  // The real runs' pages: none of the stack's client secrets, no JWT-shaped string.
  for (const report of [clean, drifted]) {
    const page = toHtml(report);
    for (const secret of clientSecrets) expect(page).not.toContain(secret);
    expect(page).not.toMatch(/eyJ[A-Za-z0-9_-]{6,}/);
  }
});

test('the page makes no network request: the only request is loading the file itself, filters and hovering included', async () => {
  const hostile = structuredClone(drifted);
  hostile.results[0].problems = [
    '<img src="http://127.0.0.1:9/x.png"><link rel=stylesheet href="http://127.0.0.1:9/s.css">',
  ];
  for (const report of [clean, drifted, hostile]) {
    const { page, url, requests } = await open(toHtml(report));
    try {
      for (const name of [/^Failed only/, /^Not run only/, /^Passed only/, /^All/])
        await page.getByRole('button', { name }).click();
      await page.locator('.matrix td.cell').first().hover();
      await page.locator('.matrix td.cell a').last().click();
      expect(requests).toEqual([url]);
    } finally {
      await page.close();
    }
  }
});
