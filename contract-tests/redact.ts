// Keeps tokens, passwords and client secrets out of everything the harness prints or writes: at most the
// first characters and the length of a token, nothing of a password or secret.

// Whole or cut-off JWTs (a base64url JSON object, with up to two more segments).
const JWT_LIKE = /eyJ[A-Za-z0-9_-]{4,}(?:\.[A-Za-z0-9_-]*){0,2}/g;
const TOKEN_PREVIEW_CHARS = 6;

export type SecretKind = 'token' | 'password' | 'secret';

/** `eyJhbG…(812 chars)` for tokens; only the length for passwords and secrets. */
export function maskSecret(value: string, kind: SecretKind = 'token'): string {
  if (kind === 'token') return `${value.slice(0, TOKEN_PREVIEW_CHARS)}…(${value.length} chars)`;
  return `[${kind} redacted, ${value.length} chars]`;
}

export class Redactor {
  private readonly secrets = new Map<string, SecretKind>();
  /** Every registered secret in one expression, longest first; rebuilt only when a secret is added. */
  private matcher: RegExp | undefined;

  /** Registers a value that must never appear in output. Very short values are ignored (they would mask ordinary text). */
  add(value: string | undefined, kind: SecretKind): void {
    if (!value || value.length < 6 || this.secrets.get(value) === kind) return;
    this.secrets.set(value, kind);
    this.matcher = undefined;
  }

  redact(text: string): string {
    // One pass over the text for all secrets (splitting once per secret cost each check more as the run went
    // on); longest first, so a secret containing another is masked whole, and a mask is never searched again.
    const matcher = (this.matcher ??= alternation([...this.secrets.keys()]));
    const out = matcher ? text.replace(matcher, (value) => maskSecret(value, this.secrets.get(value))) : text;
    // Tokens the harness never saw (echoed or forged ones) are masked by shape.
    return out.replace(JWT_LIKE, (token) => maskSecret(token, 'token'));
  }

  /** A JSON-able value with every string redacted. */
  redactValue<T>(value: T): T {
    // Walks the value rather than redacting its JSON text: JSON escaping would hide secrets holding `"` or `\`.
    // A report repeats most of its strings (keys, methods, rules, descriptions, one path per check of an
    // operation): each distinct one is redacted once per walk, 81-150 -> ~20 ms on 12,000 results.
    const seen = new Map<string, string>();
    const text = (s: string): string => {
      let out = seen.get(s);
      if (out === undefined) seen.set(s, (out = this.redact(s)));
      return out;
    };
    const walk = (v: unknown): unknown => {
      if (typeof v === 'string') return text(v);
      if (Array.isArray(v)) return v.map(walk);
      if (v && typeof v === 'object') {
        const out: Record<string, unknown> = {};
        for (const [k, x] of Object.entries(v)) out[text(k)] = walk(x);
        return out;
      }
      return v;
    };
    return walk(value) as T;
  }
}

function alternation(values: string[]): RegExp | undefined {
  if (values.length === 0) return undefined;
  const escaped = values.sort((a, b) => b.length - a.length).map((v) => v.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'));
  return new RegExp(escaped.join('|'), 'g');
}
