import type { FailureKind } from '../../types/index.js'
import { b64url, claims, hmacToken, now, rs256Token, SECRET, validToken } from './tokens.js'

export interface Row {
  readonly name: string
  /** The Authorization header, or undefined for none. */
  readonly authorization: string | undefined
  readonly expect: FailureKind | 'ok'
}

const valid = validToken()
const [vHeader, vPayload, vSignature] = valid.split('.')

/** Every row of the README's reply contract, as requests anyone can craft. */
export function contractRows (): Row[] {
  return [
    { name: 'valid token', authorization: `Bearer ${valid}`, expect: 'ok' },
    { name: 'lower-case scheme', authorization: `bearer ${valid}`, expect: 'ok' },
    { name: 'valid token with trailing whitespace', authorization: `Bearer ${valid}  `, expect: 'ok' },
    { name: 'no Authorization header', authorization: undefined, expect: 'missing' },
    { name: 'another scheme (Basic)', authorization: 'Basic dXNlcjpwYXNz', expect: 'missing' },
    { name: 'Bearer with nothing after it', authorization: 'Bearer', expect: 'missing' },
    { name: 'Bearer and a space', authorization: 'Bearer ', expect: 'missing' },
    { name: 'malformed header with two tokens', authorization: 'Bearer a b', expect: 'bad_request' },
    { name: 'expired (exp)', authorization: `Bearer ${validToken({ exp: now() - 60 })}`, expect: 'expired' },
    { name: 'expired (maxAge)', authorization: `Bearer ${validToken({ iat: now() - 7200 })}`, expect: 'expired' },
    { name: 'not yet valid (nbf)', authorization: `Bearer ${validToken({ nbf: now() + 3600 })}`, expect: 'inactive' },
    { name: 'bad signature', authorization: `Bearer ${hmacToken({ alg: 'HS256', typ: 'JWT' }, claims(), 'another-secret')}`, expect: 'signature' },
    { name: 'signature with "="', authorization: `Bearer ${valid}=`, expect: 'malformed' },
    { name: 'signature with ","', authorization: `Bearer ${vHeader}.${vPayload}.${vSignature.slice(0, 10)},${vSignature.slice(10)}`, expect: 'malformed' },
    { name: 'undecodable token', authorization: 'Bearer not-a-jwt', expect: 'malformed' },
    { name: 'three undecodable parts', authorization: 'Bearer a.b.c', expect: 'malformed' },
    { name: 'non-object payload (number)', authorization: `Bearer ${hmacToken({ alg: 'HS256', typ: 'JWT' }, 123)}`, expect: 'malformed' },
    { name: 'non-object payload (string)', authorization: `Bearer ${hmacToken({ alg: 'HS256', typ: 'JWT' }, 'hello')}`, expect: 'malformed' },
    { name: 'alg outside the allow-list (HS512)', authorization: `Bearer ${hmacToken({ alg: 'HS512', typ: 'JWT' }, claims(), SECRET, 'sha512')}`, expect: 'signature' },
    { name: 'RS256 sent to an HS256 app', authorization: `Bearer ${rs256Token(claims())}`, expect: 'signature' },
    { name: 'alg none, empty signature', authorization: `Bearer ${b64url('{"alg":"none","typ":"JWT"}')}.${b64url(JSON.stringify(claims()))}.`, expect: 'signature' },
    { name: 'alg NoNe, a signature', authorization: `Bearer ${b64url('{"alg":"NoNe","typ":"JWT"}')}.${b64url(JSON.stringify(claims()))}.${vSignature}`, expect: 'signature' },
    { name: 'wrong aud', authorization: `Bearer ${validToken({ aud: 'someone-else' })}`, expect: 'claims' },
    { name: 'wrong iss', authorization: `Bearer ${validToken({ iss: 'evil' })}`, expect: 'claims' },
    { name: 'aud of the wrong type', authorization: `Bearer ${validToken({ aud: 42 })}`, expect: 'claims' },
    { name: 'non-numeric exp', authorization: `Bearer ${validToken({ exp: 'tomorrow' })}`, expect: 'claims' },
    { name: 'wrong typ', authorization: `Bearer ${hmacToken({ alg: 'HS256', typ: 'at+jwt' }, claims())}`, expect: 'claims' },
    { name: 'unknown crit header', authorization: `Bearer ${hmacToken({ alg: 'HS256', typ: 'JWT', crit: ['x-unknown'], 'x-unknown': 1 }, claims())}`, expect: 'invalid' },
    { name: 'revoked (trusted returns false)', authorization: `Bearer ${validToken({ jti: 'revoked' })}`, expect: 'untrusted' },
    { name: 'anything else thrown while verifying', authorization: `Bearer ${validToken({ sub: 'explode' })}`, expect: 'invalid' },
    { name: 'secret provider rejects', authorization: `Bearer ${validToken({ kms: 'reject' })}`, expect: 'unavailable' },
    { name: 'secret provider throws', authorization: `Bearer ${validToken({ kms: 'throw' })}`, expect: 'unavailable' },
    { name: 'secret provider calls back with an error', authorization: `Bearer ${validToken({ kms: 'callback' })}`, expect: 'unavailable' },
    { name: 'trusted throws', authorization: `Bearer ${validToken({ jti: 'trusted-throws' })}`, expect: 'unavailable' },
    { name: 'trusted rejects', authorization: `Bearer ${validToken({ jti: 'trusted-rejects' })}`, expect: 'unavailable' },
    { name: 'formatUser throws', authorization: `Bearer ${validToken({ sub: 'format-throws' })}`, expect: 'unavailable' }
  ]
}

export interface PolicyRow {
  readonly name: string
  /** The routes the row runs on: one with the policy in `config.jwt`, one with it in verifyJwt(options). */
  readonly urls: readonly string[]
  readonly authorization: string | undefined
  readonly expect: FailureKind | 'ok'
  /** A success without a user: the handler saw `request.user` (or verifyJwt's result) null. */
  readonly anonymous?: boolean
  /** For insufficient_scope: the scopes the challenge names. */
  readonly scopes?: readonly string[]
}

/** The rows of route policies: scopes and allow (403), optional and public routes. */
export function policyRows (): PolicyRow[] {
  const scoped = ['/scoped', '/scoped-inline']
  const admin = ['/admin', '/admin-inline']
  const optional = ['/optional', '/optional-inline']
  return [
    { name: 'a token with the scope (space-delimited scope claim)', urls: scoped, authorization: `Bearer ${validToken({ scope: 'orders:read orders:write' })}`, expect: 'ok' },
    { name: 'a token with the scope (scp array)', urls: scoped, authorization: `Bearer ${validToken({ scp: ['orders:write'] })}`, expect: 'ok' },
    { name: 'a token with the scope (permissions array)', urls: scoped, authorization: `Bearer ${validToken({ permissions: ['orders:write'] })}`, expect: 'ok' },
    { name: 'a valid token without the scope', urls: scoped, authorization: `Bearer ${validToken({ scope: 'orders:read' })}`, expect: 'insufficient_scope', scopes: ['orders:write'] },
    { name: 'a valid token with no scope claim', urls: scoped, authorization: `Bearer ${validToken()}`, expect: 'insufficient_scope', scopes: ['orders:write'] },
    { name: 'a scope claim of the wrong type', urls: scoped, authorization: `Bearer ${validToken({ scope: 42 })}`, expect: 'insufficient_scope', scopes: ['orders:write'] },
    { name: 'a scoped route without a token', urls: scoped, authorization: undefined, expect: 'missing' },
    { name: 'a scoped route with an expired token', urls: scoped, authorization: `Bearer ${validToken({ exp: now() - 60, scope: 'orders:write' })}`, expect: 'expired' },
    { name: 'an admin token', urls: admin, authorization: `Bearer ${validToken({ role: 'admin' })}`, expect: 'ok' },
    { name: 'a valid token the allow predicate refuses', urls: admin, authorization: `Bearer ${validToken({ role: 'user' })}`, expect: 'forbidden' },
    { name: 'an admin route with a forged token', urls: admin, authorization: `Bearer ${hmacToken({ alg: 'HS256', typ: 'JWT' }, claims({ role: 'admin' }), 'another-secret')}`, expect: 'signature' },
    { name: 'an optional route without credentials', urls: optional, authorization: undefined, expect: 'ok', anonymous: true },
    { name: 'an optional route with another scheme', urls: optional, authorization: 'Basic dXNlcjpwYXNz', expect: 'ok', anonymous: true },
    { name: 'an optional route with a valid token', urls: optional, authorization: `Bearer ${valid}`, expect: 'ok' },
    { name: 'an optional route with an expired token', urls: optional, authorization: `Bearer ${validToken({ exp: now() - 60 })}`, expect: 'expired' },
    { name: 'an optional route with a forged token', urls: optional, authorization: `Bearer ${hmacToken({ alg: 'HS256', typ: 'JWT' }, claims(), 'another-secret')}`, expect: 'signature' },
    { name: 'an optional route with a malformed token', urls: optional, authorization: 'Bearer not-a-jwt', expect: 'malformed' },
    { name: 'an optional route with a malformed header', urls: optional, authorization: 'Bearer a b', expect: 'bad_request' },
    { name: 'an optional route whose secret provider fails', urls: optional, authorization: `Bearer ${validToken({ kms: 'reject' })}`, expect: 'unavailable' },
    { name: 'a public route without a token', urls: ['/public'], authorization: undefined, expect: 'ok', anonymous: true },
    { name: 'a public route with garbage', urls: ['/public'], authorization: 'Bearer not-a-jwt', expect: 'ok', anonymous: true }
  ]
}

/** A detail that the app's failing dependencies put in their errors: it must never reach a client. */
export const DEPENDENCY_SECRET_DETAIL = 'kms-credentials-in-error-message'
