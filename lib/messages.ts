import type { FailureKind } from '../types/index.js'
import { FAILURES, FAILURE_KINDS } from './failures.js'

// @fastify/jwt's `messages` keys, read as the guard's body messages for the matching kinds.
const FASTIFY_JWT_MESSAGE_KINDS: Readonly<Record<string, readonly FailureKind[]>> = {
  noAuthorizationInHeaderMessage: ['missing'],
  badRequestErrorMessage: ['bad_request'],
  authorizationTokenExpiredMessage: ['expired'],
  authorizationTokenUntrusted: ['untrusted'],
  authorizationTokenInvalid: ['inactive', 'malformed', 'signature', 'claims', 'invalid']
}

/**
 * The body message of each kind: the app's message for that kind, else its string from
 * @fastify/jwt's `messages`, else the guard's default. A function message (which @fastify/jwt feeds
 * the upstream error) is not used: bodies never carry an upstream message.
 */
export function bodyMessages (messages: Readonly<Record<string, unknown>>, onlyCookie = false): Record<FailureKind, string> {
  const result = Object.fromEntries(FAILURE_KINDS.map((kind) => [kind, FAILURES[kind].description])) as Record<FailureKind, string>
  for (const [key, kinds] of Object.entries(FASTIFY_JWT_MESSAGE_KINDS)) {
    const custom = messages[key]
    if (typeof custom === 'string' && custom !== '') {
      for (const kind of kinds) result[kind] = custom
    }
  }
  // With only a cookie to look at, "no credentials" means no cookie.
  const noCookie = messages.noAuthorizationInCookieMessage
  if (onlyCookie && typeof noCookie === 'string' && noCookie !== '') result.missing = noCookie
  for (const kind of FAILURE_KINDS) {
    const custom = messages[kind]
    if (typeof custom === 'string' && custom !== '') result[kind] = custom
  }
  return result
}
