// The document reaches API Gateway as written: Terraform interpolates the bound references and nothing else.
import { placeholderResolver } from '../stack/binding';
import { bindTemplateString, escapeTemplateText, terraformBody, type BoundValue } from './terraform-body';
import { terraformTemplateValue } from './test-helpers';
import type { Json, JsonObject } from '../openapi/model/types';

// Stand-ins for what cdktf renders a token as: a Terraform reference.
const bind = placeholderResolver<BoundValue>({
  userPoolArn: { reference: '${aws_cognito_user_pool.pool.arn}' },
  issuer: { reference: 'https://${aws_cognito_user_pool.pool.endpoint}' },
  region: { reference: '${region}' },
  clientIds: { web: { reference: '${aws_cognito_user_pool_client.web.id}' } },
  lambdaInvokeArns: {},
  backends: { shop: { text: 'https://shop.example.com/${stage}' } },
});

const terraformSees = (value: string) => terraformTemplateValue(bindTemplateString(value, bind));

describe('template escaping of the document', () => {
  it.each([
    ['a VTL formal reference', '#set($name = "${input.params().path.name}")'],
    ['a template directive', '%{ if x }yes%{ endif }'],
    ['an already doubled sigil', 'cost: $${price} and 100%%{x}'],
    ['runs of sigils', '$$$${a} %%%{b} $ % { }'],
    ['a lone trailing sigil', 'price in $'],
  ])('keeps %s literal: Terraform yields the text unchanged', async (_case, text) => {
    expect(await terraformSees(text)).toBe(text);
  });

  it('turns placeholders into interpolations and leaves the text around them literal', async () => {
    expect(await terraformSees('^{{clientId:web}}$ and ${literal}')).toBe(
      '^«aws_cognito_user_pool_client.web.id»$ and ${literal}',
    );
    expect(await terraformSees('{{issuer}}/x')).toBe('https://«aws_cognito_user_pool.pool.endpoint»/x');
  });

  it('keeps a literal $ right before a placeholder a $, not an escape of the interpolation', async () => {
    const bound = bindTemplateString('${{userPoolArn}}', bind);
    expect(bound).not.toContain('$${aws_cognito_user_pool');
    expect(await terraformTemplateValue(bound)).toBe('$«aws_cognito_user_pool.pool.arn»');
    expect(await terraformSees('%{{userPoolArn}}')).toBe('%«aws_cognito_user_pool.pool.arn»');
  });

  it('escapes values bound as text, which may hold template syntax of their own', async () => {
    expect(await terraformSees('{{backend:shop}}/{proxy}')).toBe('https://shop.example.com/${stage}/{proxy}');
  });

  it('escapes object keys, which are part of the same Terraform string', async () => {
    const body = terraformBody({ paths: { '/a/${b}': { summary: '{{userPoolArn}}' } } }, bind);
    expect(JSON.parse((await terraformTemplateValue(body)).replace(/«([^»]*)»/g, '<$1>'))).toEqual({
      paths: { '/a/${b}': { summary: '<aws_cognito_user_pool.pool.arn>' } },
    });
  });

  it('leaves text without template syntax untouched', () => {
    const text = '{"statusCode": 200} $context.requestId #if($x) 100% {proxy+}';
    expect(escapeTemplateText(text)).toBe(text);
  });
});

describe('the body is written as a full copy of it would be', () => {
  // The copy terraformBody made before it shared what has nothing to bind: the reference for what it writes.
  const copied = (value: Json): Json => {
    if (typeof value === 'string') return bindTemplateString(value, bind);
    if (Array.isArray(value)) return value.map(copied);
    if (value && typeof value === 'object') {
      const out: JsonObject = {};
      for (const [key, item] of Object.entries(value)) out[escapeTemplateText(key)] = copied(item);
      return out;
    }
    return value;
  };

  it('with placeholders, template syntax in keys and values, and parts with nothing to bind', () => {
    const body: JsonObject = {
      openapi: '3.0.3',
      paths: {
        '/a/${b}': { get: { summary: '{{userPoolArn}}', parameters: [{ name: 'x', in: 'path' }, 7, null, true] } },
        '/plain': { get: { responses: { '200': { description: 'ok' } }, tags: ['a', '100% ${x}', '{proxy+}'] } },
      },
      'x-empty': {},
      'x-list': [[], [{}], ['%{ if }']],
    };
    const before = structuredClone(body);
    expect(terraformBody(body, bind)).toBe(JSON.stringify(copied(body)));
    expect(body).toEqual(before);
  });

  it('with what is not plain JSON (a YAML !!timestamp, a __proto__ key) copied as before', () => {
    const body = JSON.parse('{"a": {"__proto__": {"k": "v"}}, "b": [1]}') as JsonObject;
    (body as Record<string, unknown>).when = new Date(0);
    expect(terraformBody(body, bind)).toBe(JSON.stringify(copied(body)));
  });
});
