// Tokens no gateway may accept, made from one valid token: signed with another key under the same kid,
// `alg: none`, a payload changed under the original signature, and the original signature with characters
// base64url does not have (a decoder that skips them would verify the original bytes).
import { generateKeyPair, SignJWT, type JWTPayload } from 'jose';

export interface ForgedToken {
  kind: string;
  token: string;
}

const b64url = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');

function parts(token: string): { header: Record<string, unknown>; payload: JWTPayload; signature: string } {
  const [h, p, s] = token.split('.');
  return {
    header: JSON.parse(Buffer.from(h, 'base64url').toString('utf8')) as Record<string, unknown>,
    payload: JSON.parse(Buffer.from(p, 'base64url').toString('utf8')) as JWTPayload,
    signature: s,
  };
}

export async function forgeFrom(valid: string): Promise<ForgedToken[]> {
  const [h, p, s] = valid.split('.');
  const { header, payload } = parts(valid);
  const attacker = await generateKeyPair('RS256');
  const wrongKey = await new SignJWT(payload)
    .setProtectedHeader({ ...header, alg: 'RS256' } as { alg: string })
    .sign(attacker.privateKey);
  const tampered = { ...payload, 'cognito:username': 'admin', 'cognito:groups': ['admin'] };
  // '-' and '_' are base64url's; '+' and '/' are base64's, which RFC 7515 §2 excludes.
  const plusSlash = s.includes('-') || s.includes('_') ? s.replace(/-/g, '+').replace(/_/g, '/') : `+${s.slice(1)}`;
  return [
    { kind: 'wrong key (same kid)', token: wrongKey },
    { kind: 'alg none', token: `${b64url({ ...header, alg: 'none' })}.${p}.` },
    { kind: 'alg none, signature kept', token: `${b64url({ ...header, alg: 'none' })}.${p}.${s}` },
    { kind: 'tampered payload', token: `${h}.${b64url(tampered)}.${s}` },
    { kind: 'signature + "!!!!"', token: `${h}.${p}.${s}!!!!` },
    { kind: 'signature + "=="', token: `${h}.${p}.${s}==` },
    { kind: 'signature + "%%"', token: `${h}.${p}.${s}%%` },
    { kind: 'signature with a space', token: `${h}.${p}.${s.slice(0, 10)} ${s.slice(10)}` },
    { kind: 'signature in base64 (+/)', token: `${h}.${p}.${plusSlash}` },
    { kind: 'signature truncated', token: `${h}.${p}.${s.slice(0, -4)}` },
    { kind: 'no signature', token: `${h}.${p}.` },
  ];
}
