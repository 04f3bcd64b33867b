import type { FailureSpec } from './failures.js'

/** RFC 9110 quoted-string: backslash-escape `"` and `\`. */
export function quote (value: string): string {
  return '"' + value.replace(/["\\]/g, '\\$&') + '"'
}

/**
 * The RFC 6750 §3 `WWW-Authenticate` value for a failure, or null where none is sent (503).
 * A request without credentials gets the bare challenge: no `error` (§3.1). A 403 for missing
 * scopes names them in `scope` (§3), space-delimited, so the client knows what token to ask for.
 */
export function buildChallenge (realm: string, spec: FailureSpec, scopes: readonly string[] = []): string | null {
  if (spec.status === 503) return null
  const base = 'Bearer realm=' + quote(realm)
  if (spec.oauthError === null) return base
  const challenge = base + ', error=' + quote(spec.oauthError) + ', error_description=' + quote(spec.description)
  return scopes.length === 0 ? challenge : challenge + ', scope=' + quote(scopes.join(' '))
}
