/**
 * API keys. The configuration holds only each key's SHA-256 (`LUOHU_API_KEYS=name:sha256hex,...`);
 * a presented key is hashed and compared with every entry in constant time, so neither the keys nor
 * the timing of a comparison tell anything about them.
 */
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { ApiKeyEntry } from '../config.js';

/** What every generated key starts with (so that a leaked one is easy to recognise). */
export const KEY_PREFIX = 'lh_';

/** A key name as the configuration accepts it. */
export const KEY_NAME_PATTERN = /^[A-Za-z0-9_.-]{1,64}$/;

/** Longer presented keys are refused without hashing. */
const MAX_KEY_LENGTH = 512;

/** The SHA-256 of a key, in hex. */
export function hashKey(key: string): string {
  return createHash('sha256').update(key, 'utf8').digest('hex');
}

/** A new random key (256 bits) and its configuration entry. */
export function generateApiKey(name: string): { key: string; entry: string } {
  const key = `${KEY_PREFIX}${randomBytes(32).toString('base64url')}`;
  return { key, entry: `${name}:${hashKey(key)}` };
}

/** The key a request presents: `Authorization: Bearer <key>` or `X-API-Key: <key>`. */
export function presentedKey(headers: {
  authorization?: string | undefined;
  apiKey?: string | undefined;
}): string | undefined {
  const bearer = /^Bearer[ \t]+(\S+)[ \t]*$/i.exec(headers.authorization ?? '')?.[1];
  const key = bearer ?? headers.apiKey?.trim();
  return key ? key : undefined;
}

/** Checks presented keys against the configured entries. */
export class KeyRing {
  readonly #entries: readonly { name: string; digest: Buffer }[];

  constructor(entries: readonly ApiKeyEntry[]) {
    this.#entries = entries.map((e) => ({ name: e.name, digest: Buffer.from(e.sha256, 'hex') }));
  }

  /** No keys configured: staff mode. */
  get empty(): boolean {
    return this.#entries.length === 0;
  }

  /** The name of the entry `key` matches, or undefined. Every entry is compared (constant time). */
  identify(key: string | undefined): string | undefined {
    if (key === undefined || key.length > MAX_KEY_LENGTH) return undefined;
    const digest = createHash('sha256').update(key, 'utf8').digest();
    let found: string | undefined;
    for (const entry of this.#entries)
      if (entry.digest.length === digest.length && timingSafeEqual(entry.digest, digest))
        found ??= entry.name;
    return found;
  }
}
