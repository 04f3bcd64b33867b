import { createVerifier } from 'fast-jwt'

export type Verifier = (token: string) => unknown

// Keys from a secret function are few (one per issuer or kid); the bound only stops a runaway provider.
const MAX_STRING_KEYS = 1000

/** One fast-jwt verifier per key: building one parses the key, which costs more than a verification. */
export function createVerifierCache (verifyOptions: Record<string, unknown>): (key: unknown) => Verifier {
  const byString = new Map<string, Verifier>()
  const byObject = new WeakMap<object, Verifier>()
  const build = (key: unknown): Verifier => createVerifier({ ...verifyOptions, key } as Parameters<typeof createVerifier>[0]) as Verifier

  return function verifierFor (key: unknown): Verifier {
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
