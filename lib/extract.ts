import type { FastifyRequest } from 'fastify'
import type { FailureKind } from '../types/index.js'
import type { ExtractConfig } from './options.js'

export type Extracted = { token: string, kind?: undefined } | { token?: undefined, kind: FailureKind }

const MISSING: Extracted = Object.freeze({ kind: 'missing' })
const BAD_REQUEST: Extracted = Object.freeze({ kind: 'bad_request' })

// RFC 9110 OWS is space and tab; Node strips it from header values on a socket, inject does not.
const OWS = /^[ \t]+|[ \t]+$/g
const WHITESPACE = /[ \t]/

/** Two Authorization headers are ambiguous; Node keeps the first and drops the second, so count raw ones. */
function hasDuplicateAuthorization (rawHeaders: string[]): boolean {
  let seen = false
  for (let i = 0; i < rawHeaders.length; i += 2) {
    if (rawHeaders[i].length === 13 && rawHeaders[i].toLowerCase() === 'authorization') {
      if (seen) return true
      seen = true
    }
  }
  return false
}

function fromHeader (value: string): Extracted | null {
  const header = value.replace(OWS, '')
  const space = header.search(WHITESPACE)
  const scheme = space === -1 ? header : header.slice(0, space)
  if (scheme.toLowerCase() !== 'bearer') return null // another scheme: not our credentials
  const token = space === -1 ? '' : header.slice(space).replace(OWS, '')
  if (token === '') return MISSING // "Bearer" alone carries no credentials (RFC 6750 §3.1)
  if (WHITESPACE.test(token)) return BAD_REQUEST
  return { token }
}

function fromCookie (request: FastifyRequest, cookie: NonNullable<ExtractConfig['cookie']>): Extracted {
  const cookies = (request as { cookies?: Record<string, string | undefined> }).cookies
  const value = cookies?.[cookie.cookieName]
  if (typeof value !== 'string' || value === '') return MISSING
  if (!cookie.signed) return { token: value }
  const unsigned = (request as unknown as { unsignCookie: (v: string) => { valid: boolean, value: string | null } }).unsignCookie(value)
  return unsigned.valid && unsigned.value ? { token: unsigned.value } : { kind: 'invalid' }
}

/** Finds the bearer token the way @fastify/jwt does (header first, then cookie), with RFC 6750 outcomes. */
export function extractToken (request: FastifyRequest, config: ExtractConfig): Extracted {
  if (config.extractToken !== null) {
    let token: unknown
    try {
      token = config.extractToken(request)
    } catch {
      return BAD_REQUEST
    }
    if (token === undefined || token === null || token === '') return MISSING
    return typeof token === 'string' ? { token } : BAD_REQUEST
  }
  const header = request.headers.authorization
  if (header !== undefined && !config.onlyCookie) {
    if (typeof header !== 'string' || hasDuplicateAuthorization(request.raw.rawHeaders)) return BAD_REQUEST
    const found = fromHeader(header)
    if (found !== null && (found.kind !== 'missing' || config.cookie === null)) return found
  }
  if (config.cookie !== null) return fromCookie(request, config.cookie)
  return MISSING
}
