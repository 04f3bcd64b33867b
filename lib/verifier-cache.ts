import { createVerifier } from 'fast-jwt'
import { createClaimsCache, type ClaimsCache } from './claims-cache.js'

/** A fast-jwt verifier for one key, with the guard's cache of tokens it has verified. */
export interface KeyedVerifier {
  readonly verify: (token: string) => unknown
  readonly cache: ClaimsCache | null
}

// Keys from a secret function are few (one per issuer or kid); the bound only stops a runaway provider.
const MAX_STRING_KEYS = 1000

/** Builds the verifier; fast-jwt's own cache is switched off in favour of the guard's (see claims-cache). */
export function createKeyedVerifier (verifyOptions: Record<string, unknown>, key?: unknown): KeyedVerifier {
  const options = key === undefined ? { ...verifyOptions, cache: false } : { ...verifyOptions, cache: false, key }
  return {
    verify: createVerifier(options as Parameters<typeof createVerifier>[0]) as (token: string) => unknown,
    cache: createClaimsCache(verifyOptions)
  }
}

/** One verifier per key: building one parses the key, which costs more than a verification. */
export function createVerifierCache (verifyOptions: Record<string, unknown>): (key: unknown) => KeyedVerifier {
  const byString = new Map<string, KeyedVerifier>()
  const byObject = new WeakMap<object, KeyedVerifier>()
  const build = (key: unknown): KeyedVerifier => createKeyedVerifier(verifyOptions, key)

  return function verifierFor (key: unknown): KeyedVerifier {
    if (typeof key === 'string') {
      let verifier = byString.get(key)
      if (verifier === undefined) {
        verifier = build(key)
        if (byString.size >= MAX_STRING_KEYS) byString.delete(byString.keys().next().value as string)
        byString.set(key, verifier)
      }
      return verifier
    }
    if (typeof key === 'object' && key !== null) {
      let verifier = byObject.get(key)
      if (verifier === undefined) {
        verifier = build(key)
        byObject.set(key, verifier)
      }
      return verifier
    }
    return build(key)
  }
}
