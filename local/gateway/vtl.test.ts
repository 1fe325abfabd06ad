// The VTL subset on the templates real API Gateway documents carry (the developer guide's examples and
// their common variations), through templateVariables as the gateway hands them over.
import {
  emptyOverrides,
  escapeJavaScript,
  jsonPath,
  mappedValue,
  templateVariables,
  type MethodRequest,
} from './mapping';
import { compileTemplate, renderVtl, VtlError } from './vtl';

const request: MethodRequest = {
  headers: { 'x-tenant': 'acme', accept: 'application/json' },
  query: new URLSearchParams('limit=2&tag=a&tag=b'),
  pathParameters: { petId: '7' },
};
const context = { requestId: 'req-1', authorizer: { claims: { sub: 'user-1', email: 'a@example.com' } } };
const render = (template: string, payload = '', overrides = emptyOverrides()) =>
  renderVtl(template, templateVariables(payload, request, context, overrides));

describe('references', () => {
  test('$input.params, $context claims and quiet references', () => {
    expect(render(`{"id": "$input.params('petId')", "sub": "$context.authorizer.claims.sub", "x": "$!nothing"}`)).toBe(
      '{"id": "7", "sub": "user-1", "x": ""}',
    );
  });
  test("params() without a name: path, querystring and header maps; a missing name is ''", () => {
    expect(
      render(`$input.params().path.petId $input.params().querystring.get('limit') $input.params().header.x-tenant`),
    ).toBe('7 2 acme');
    expect(render(`[$input.params('missing')]`)).toBe('[]');
  });
  test('${x} and $x.method(args) and [index]', () => {
    expect(render(`#set($l = ["a", "b"])\${l[1]}-$l.size()-$l.get(0).toUpperCase()`)).toBe('b-2-A');
  });
  test('$ and # that start nothing stay text, as do \\$ and \\#', () => {
    expect(render('cost: $5 #1 \\$x \\#set color:#fff')).toBe('cost: $5 #1 $x #set color:#fff');
  });
});

describe('$input', () => {
  const payload = JSON.stringify({ name: 'Rex', tags: [{ v: 1 }, { v: 2 }], owner: { id: 9 } });
  test('json and path at JSONPaths of the subset', () => {
    expect(
      render(`$input.json('$.owner')|$input.path('$.name')|$input.json('$.tags[*].v')|$input.json('$')`, payload),
    ).toBe(`{"id":9}|Rex|[1,2]|${payload}`);
  });
  test('an empty body reads as {}', () => {
    expect(render(`$input.json('$')`)).toBe('{}');
    expect(render(`$input.body`, 'raw')).toBe('raw');
  });
  test('a JSONPath beyond the subset is refused rather than guessed', () => {
    expect(() => render(`$input.json('$..name')`, payload)).toThrow(VtlError);
  });
});

describe('directives', () => {
  test("the developer guide's #foreach over an array, with $foreach.hasNext for commas", () => {
    const template = [
      "#set($inputRoot = $input.path('$'))",
      '[',
      '#foreach($elem in $inputRoot)',
      '  {"id": $elem.id, "type": "$elem.type"}#if($foreach.hasNext),#end',
      '',
      '#end',
      ']',
    ].join('\n');
    const out = render(
      template,
      JSON.stringify([
        { id: 1, type: 'dog' },
        { id: 2, type: 'cat' },
      ]),
    );
    expect(JSON.parse(out)).toEqual([
      { id: 1, type: 'dog' },
      { id: 2, type: 'cat' },
    ]);
  });
  test('#if / #elseif / #else with comparisons and word operators', () => {
    const t = `#if($input.params('limit') == "2" and !$missing)two#elseif(1 < 2)one#{else}none#end`;
    expect(render(t)).toBe('two');
    expect(render(`#if(3 gt 4 || false)a#elseif(2 >= 2)b#end`)).toBe('b');
  });
  test('#set keeps the old value when the new one is null (Velocity 1.7)', () => {
    expect(render(`#set($a = "x")#set($a = $nothing)$a`)).toBe('x');
  });
  test('maps: put, keySet, containsKey, entrySet', () => {
    expect(
      render(
        `#set($m = {"a": 1})#set($_ = $m.put("b", 2))$m.keySet() $m.containsKey("b") #foreach($e in $m.entrySet())$e.key=$e.value;#end`,
      ),
    ).toBe('[a, b] true a=1;b=2;');
  });
  test('a directive alone on its line takes the line with it; one sharing its line leaves the line alone', () => {
    expect(render('{\n  #set($x = 1)\n  "x": $x\n}')).toBe('{\n  "x": 1\n}');
    expect(render('a\n  #if(true)yes#end\nb')).toBe('a\n  yes\nb');
  });
  test("writes to API Gateway's own $context variables change nothing", () => {
    expect(render('#set($context.requestId = "mine")$context.requestId')).toBe('req-1');
  });
  test('#break, ranges, arithmetic (integers divide as in Java), ## and #* *# comments', () => {
    expect(render('#foreach($i in [1..5])#if($i > 3)#break#end$i#end ## gone\n#* also gone *#${velocityCount}')).toBe(
      '123 ',
    );
    expect(render('#set($n = 7 / 2)$n #set($f = 7.5 / 2)$f $math')).toBe('3 3.75 ');
  });
  test('$context.responseOverride sets the status and headers', () => {
    const overrides = emptyOverrides();
    render(
      '#set($context.responseOverride.status = 202)#set($context.responseOverride.header.X-Trace = "t1")',
      '',
      overrides,
    );
    expect(overrides.response).toEqual({ status: 202, header: { 'X-Trace': 't1' } });
  });
  test('unsupported directives and broken syntax are VtlErrors, found when the template is compiled', () => {
    expect(() => compileTemplate('#macro(x)#end')).toThrow(/#macro is not supported/);
    expect(() => compileTemplate('#if($a)open')).toThrow(/without #end/);
    expect(() => compileTemplate('#set($a = )')).toThrow(VtlError);
    expect(() => render('#foreach($i in [1..2000])#end')).toThrow(VtlError);
  });
  test('compiled templates say which variables they read', () => {
    expect([...compileTemplate('{"statusCode": 200}').reads]).toEqual([]);
    expect([...compileTemplate('#if($input.params("a"))$context.requestId#end').reads].sort()).toEqual([
      'context',
      'input',
    ]);
  });
  test('nothing of JavaScript is reachable from a template', () => {
    expect(render('$input.constructor|$context.__proto__|$util.toString()')).toBe('||{}');
  });
});

describe('$util', () => {
  test("escapeJavaScript is Java's: both quotes, slash, control and non-ASCII characters", () => {
    expect(escapeJavaScript(`He said "it's" a/b\n é`)).toBe(`He said \\"it\\'s\\" a\\/b\\n \\u00E9`);
    expect(render(`$util.escapeJavaScript($input.path('$.q'))`, '{"q":"a\\"b"}')).toBe('a\\"b');
  });
  test('parseJson, urlEncode as URLEncoder does, base64', () => {
    expect(render(`#set($o = $util.parseJson('{"a":[1,2]}'))$o.a.get(1)`)).toBe('2');
    expect(render(`$util.urlEncode("a b&c~")|$util.urlDecode("a+b%26c")`)).toBe('a+b%26c%7E|a b&c');
    expect(render(`$util.base64Encode("hi")|$util.base64Decode("aGk=")`)).toBe('aGk=|hi');
  });
});

describe('parameter mappings', () => {
  test('method request, body JSONPath, integration response header and body, literals', () => {
    const req = { ...request, body: '{"order":{"id":"o-1"}}' };
    const answer = { headers: { 'X-Backend': 'b1' }, body: '{"total": 12}' };
    expect(mappedValue('method.request.multivaluequerystring.tag', req, context)).toBe('a,b');
    expect(mappedValue('method.request.body.order.id', req, context)).toBe('o-1');
    expect(mappedValue('integration.response.header.x-backend', req, context, answer)).toBe('b1');
    expect(mappedValue('integration.response.body.total', req, context, answer)).toBe('12');
    expect(mappedValue("'fixed'", req, context)).toBe('fixed');
    expect(mappedValue('stageVariables.env', req, context)).toBeUndefined();
  });
  test('jsonPath keeps wildcards as lists', () => {
    expect(jsonPath({ a: { x: 1, y: 2 } }, '$.a.*')).toEqual([1, 2]);
    expect(jsonPath([[1], [2]], '$[1][0]')).toBe(2);
  });
});
