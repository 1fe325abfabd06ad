// The token store (`--token-store <file>`, the project file's contract.tokenStore): the real tokens each run
// used, per pool, client and kind, kept in a JSON file only its owner can read (0600), so that a later run,
// once they have expired, can send a token the pool itself signed and time alone has outlived. No one can
// have an expired token signed with a pool's key any other way: the `expired` check needs this file.
// Per key the store keeps the newest token already expired and the newest still valid; an entry is dropped
// once older than its client's refresh-token validity. Tokens are never printed (every one read is given to
// the redactor) and are sent only to the API under test, never its valid ones.
import * as fs from 'node:fs';
import { harnessInputError } from './errors';
import type { TokenSource } from './plan';
import type { Redactor } from './redact';
import { writeFileAtomically } from '../openapi/model/write-atomically';

export interface StoredToken {
  issuer: string;
  userPoolId: string;
  clientId: string;
  /** The client's name in the outputs, for people reading the file. */
  clientName: string;
  /** user-id, user-access (InitiateAuth), user-code (the hosted UI's code flow), machine (client_credentials). */
  kind: 'user-id' | 'user-access' | 'user-code' | 'machine';
  /** The scopes asked for (user-code, machine), sorted; [] otherwise. */
  scopes: string[];
  token: string;
  /** The token's `exp`, seconds since the epoch. */
  exp: number;
  /** When the run that used it wrote it, ISO 8601. */
  storedAt: string;
  /** When it is dropped: storedAt plus the client's refresh-token validity, ISO 8601. */
  keepUntil: string;
}

interface StoreFile {
  about: string;
  version: 1;
  tokens: StoredToken[];
}

/** A token a source gave this run, with what the store needs to key and keep it. */
export interface IssuedToken {
  source: TokenSource;
  issuer: string;
  userPoolId: string;
  clientId: string;
  token: string;
  /** The client's refresh-token validity in ms. */
  keepForMs: number;
}

const ABOUT =
  'gatehouse contract token store: real ID and access tokens of earlier runs, kept so a later run can send them once expired. Secret while valid: keep it private (0600) and out of version control.';

export function kindOf(source: TokenSource): StoredToken['kind'] {
  return source.kind === 'user' ? (source.token === 'id' ? 'user-id' : 'user-access') : source.kind;
}

function keyOf(t: Pick<StoredToken, 'issuer' | 'userPoolId' | 'clientId' | 'kind' | 'scopes'>): string {
  return [t.issuer, t.userPoolId, t.clientId, t.kind, [...t.scopes].sort().join(' ')].join('|');
}

function expOf(token: string): number | undefined {
  try {
    const payload = JSON.parse(Buffer.from(token.split('.')[1] ?? '', 'base64url').toString('utf8')) as {
      exp?: unknown;
    };
    return typeof payload.exp === 'number' ? payload.exp : undefined;
  } catch {
    return undefined;
  }
}

function isStoredToken(value: unknown): value is StoredToken {
  const t = value as Partial<StoredToken> | null;
  return (
    typeof t === 'object' &&
    t !== null &&
    ['issuer', 'userPoolId', 'clientId', 'clientName', 'token', 'storedAt', 'keepUntil'].every(
      (k) => typeof t[k as keyof StoredToken] === 'string',
    ) &&
    ['user-id', 'user-access', 'user-code', 'machine'].includes(t.kind as string) &&
    Array.isArray(t.scopes) &&
    t.scopes.every((s) => typeof s === 'string') &&
    typeof t.exp === 'number'
  );
}

export class TokenStore {
  private readonly issued: StoredToken[] = [];

  private constructor(
    readonly file: string,
    /** Entries read, those past keepUntil already dropped. */
    private readonly kept: StoredToken[],
    /** How many entries were dropped as older than their refresh-token validity. */
    readonly dropped: number,
  ) {}

  /** Reads the store (a missing file is an empty store: the first run); every token in it is redacted. */
  static open(file: string, redactor: Redactor, now: number): TokenStore {
    let text: string | undefined;
    try {
      text = fs.readFileSync(file, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw unreadable(file, (error as Error).message);
    }
    if (text === undefined) return new TokenStore(file, [], 0);
    let parsed: Partial<StoreFile>;
    try {
      parsed = JSON.parse(text) as Partial<StoreFile>;
    } catch {
      throw unreadable(file, 'not JSON');
    }
    if (parsed.version !== 1 || !Array.isArray(parsed.tokens) || !parsed.tokens.every(isStoredToken))
      throw unreadable(file, 'not a token store of this version (version 1, tokens: [...])');
    for (const t of parsed.tokens) redactor.add(t.token, 'token');
    const kept = parsed.tokens.filter((t) => Date.parse(t.keepUntil) > now);
    return new TokenStore(file, kept, parsed.tokens.length - kept.length);
  }

  /** The newest token of `source` (of the pool and client given) whose `exp` has passed at `now`. */
  expired(
    source: TokenSource,
    identity: { issuer: string; userPoolId: string; clientId: string },
    now: number,
  ): StoredToken | undefined {
    const key = keyOf({ ...identity, kind: kindOf(source), scopes: 'scopes' in source ? source.scopes : [] });
    return this.kept.filter((t) => keyOf(t) === key && t.exp * 1000 <= now).sort((a, b) => b.exp - a.exp)[0];
  }

  /** When the soonest still-valid token of the store expires (ms), for the "not run" reason; undefined if none. */
  nextExpiry(now: number): number | undefined {
    const pending = [...this.kept, ...this.issued].map((t) => t.exp * 1000).filter((exp) => exp > now);
    return pending.length > 0 ? Math.min(...pending) : undefined;
  }

  /** A token this run got; written by save(). */
  record(issued: IssuedToken, clientName: string, now: number): void {
    const exp = expOf(issued.token);
    if (exp === undefined) return;
    const source = issued.source;
    this.issued.push({
      issuer: issued.issuer,
      userPoolId: issued.userPoolId,
      clientId: issued.clientId,
      clientName,
      kind: kindOf(source),
      scopes: 'scopes' in source ? [...source.scopes].sort() : [],
      token: issued.token,
      exp,
      storedAt: new Date(now).toISOString(),
      keepUntil: new Date(now + issued.keepForMs).toISOString(),
    });
  }

  /** The entries save() writes: per key, the newest expired and the newest valid token at `now`. */
  entries(now: number): StoredToken[] {
    const byKey = new Map<string, { expired?: StoredToken; valid?: StoredToken }>();
    for (const t of [...this.kept, ...this.issued]) {
      const slot = byKey.get(keyOf(t)) ?? {};
      const which = t.exp * 1000 <= now ? 'expired' : 'valid';
      if (!slot[which] || slot[which].exp < t.exp) slot[which] = t;
      byKey.set(keyOf(t), slot);
    }
    return [...byKey.values()].flatMap((s) => [s.expired, s.valid].filter((t): t is StoredToken => t !== undefined));
  }

  /** Writes the store atomically, readable and writable by its owner only. */
  save(now: number): void {
    const body: StoreFile = { about: ABOUT, version: 1, tokens: this.entries(now) };
    writeFileAtomically(this.file, `${JSON.stringify(body, null, 2)}\n`);
  }
}

function unreadable(file: string, why: string) {
  return harnessInputError(
    'token-store-file',
    file,
    '',
    `The token store cannot be read (${why}).`,
    'Point --token-store (or contract.tokenStore) at a file an earlier run wrote, or at a path that does not exist yet.',
  );
}
