// Tokens longer than this are verified every time: it bounds the cache's memory (size × this).
const MAX_CACHED_TOKEN_LENGTH = 4096

export interface ClaimsCache {
  get (token: string): unknown
  set (token: string, claims: unknown): void
}

interface Entry { readonly claims: unknown, readonly expiresAt: number }

interface CacheOptions {
  cache?: unknown
  cacheTTL?: unknown
  clockTolerance?: unknown
  maxAge?: unknown
  complete?: unknown
}

/**
 * The guard's own cache of verified tokens, used instead of fast-jwt's. One per key: with a secret
 * function, memory is bounded by keys (at most 1000) × size × 4 KB. fast-jwt writes failed
 * verifications into the same LRU as valid ones (even with errorCacheTTL off), so a flood of
 * distinct bad tokens evicts every valid entry; here only successes are stored. Keys are the tokens
 * themselves: no hash to compute, no collisions. Returns null when `verify.cache` is off.
 */
export function createClaimsCache (options: CacheOptions): ClaimsCache | null {
  if (!options.cache) return null
  const size = options.cache === true ? 1000 : options.cache as number // options.ts checked it
  const ttl = typeof options.cacheTTL === 'number' ? options.cacheTTL : 600000
  const tolerance = typeof options.clockTolerance === 'number' ? options.clockTolerance : 0
  const maxAge = typeof options.maxAge === 'number' ? options.maxAge : null
  const complete = options.complete === true
  const entries = new Map<string, Entry>()

  return {
    get (token) {
      const entry = entries.get(token)
      if (entry === undefined) return undefined
      entries.delete(token)
      if (Date.now() > entry.expiresAt) return undefined
      entries.set(token, entry) // most recently used goes last
      // A deep copy per request: one request mutating request.user must not change another's.
      return structuredClone(entry.claims)
    },
    set (token, claims) {
      if (token.length > MAX_CACHED_TOKEN_LENGTH) return
      const payload = (complete ? (claims as { payload: Record<string, unknown> }).payload : claims) as Record<string, unknown>
      let expiresAt = Date.now() + ttl
      if (typeof payload.exp === 'number') expiresAt = Math.min(expiresAt, payload.exp * 1000 + tolerance)
      if (maxAge !== null && typeof payload.iat === 'number') expiresAt = Math.min(expiresAt, payload.iat * 1000 + maxAge)
      if (entries.size >= size) entries.delete(entries.keys().next().value as string)
      // Stored as a copy: the request that verified the token keeps (and may change) the original.
      entries.set(token, { claims: structuredClone(claims), expiresAt })
    }
  }
}
