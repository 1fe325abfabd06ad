// What the harness prints or writes never holds a registered secret, whatever the secret is made of.
import { maskSecret, Redactor } from './redact';

test('a secret added after a redaction is masked in the next one', () => {
  const redactor = new Redactor();
  redactor.add('first-secret-value', 'secret');
  expect(redactor.redact('a first-secret-value b')).toBe(`a ${maskSecret('first-secret-value', 'secret')} b`);
  redactor.add('second-secret-value', 'password');
  expect(redactor.redact('x second-secret-value y first-secret-value')).toBe(
    `x ${maskSecret('second-secret-value', 'password')} y ${maskSecret('first-secret-value', 'secret')}`,
  );
});

test('a secret holding another is masked whole, and each keeps its kind', () => {
  const redactor = new Redactor();
  redactor.add('inner-pass', 'password');
  redactor.add('outer-inner-pass-tail', 'secret');
  expect(redactor.redact('[outer-inner-pass-tail] [inner-pass]')).toBe(
    `[${maskSecret('outer-inner-pass-tail', 'secret')}] [${maskSecret('inner-pass', 'password')}]`,
  );
});

test('secrets made of regular-expression characters are matched literally', () => {
  const redactor = new Redactor();
  const secret = 'a.b*c+(d)|[e]\\f$^{g}?';
  redactor.add(secret, 'secret');
  expect(redactor.redact(`before ${secret} after`)).toBe(`before ${maskSecret(secret, 'secret')} after`);
  expect(redactor.redact('aXb*c+(d)|[e]\\f$^{g}?')).toBe('aXb*c+(d)|[e]\\f$^{g}?');
});

test('tokens never registered are masked by their shape, values under six characters are not secrets', () => {
  const redactor = new Redactor();
  redactor.add('short', 'password');
  const token = 'eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJ4In0.c2lnbmF0dXJl';
  expect(redactor.redact(`short ${token}`)).toBe(`short ${maskSecret(token, 'token')}`);
});

test('redactValue masks every string of a value, repeated ones and keys included, and keeps the rest', () => {
  const redactor = new Redactor();
  redactor.add('the-client-secret', 'secret');
  const body = 'echo the-client-secret';
  const masked = `echo ${maskSecret('the-client-secret', 'secret')}`;
  const value = {
    results: [
      { body, problems: [body, 'fine'], status: 401, passed: false, nothing: null },
      { body, problems: [], status: 200, passed: true },
    ],
    'the-client-secret': body,
  };
  expect(redactor.redactValue(value)).toEqual({
    results: [
      { body: masked, problems: [masked, 'fine'], status: 401, passed: false, nothing: null },
      { body: masked, problems: [], status: 200, passed: true },
    ],
    [maskSecret('the-client-secret', 'secret')]: masked,
  });
});
