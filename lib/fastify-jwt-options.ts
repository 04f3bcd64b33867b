import type { JwtGuardError } from '../types/index.js'
import { resolveKey } from './key-provider.js'
import type { SecretProvider } from './options.js'

type ToUnavailable = (cause: unknown) => JwtGuardError

function protectSecret (provider: SecretProvider, toUnavailable: ToUnavailable): SecretProvider {
  return function protectedSecret (request, decoded, callback) {
    resolveKey(provider, request, decoded).then((key) => callback(null, key), (cause) => callback(toUnavailable(cause)))
  }
}

/**
 * The options handed to @fastify/jwt, with the app's secret, `trusted` and `formatUser` functions
 * wrapped so that their failures reach any error handler as the guard's 503 error, with the
 * cause kept for the log: code still calling `request.jwtVerify()` gets the contract too, instead
 * of a 500 carrying the dependency's raw message.
 */
export function protectDependencies (options: Record<string, unknown>, toUnavailable: ToUnavailable): Record<string, unknown> {
  const result = { ...options }
  const { secret, trusted, formatUser } = options
  if (typeof secret === 'function') {
    result.secret = protectSecret(secret as SecretProvider, toUnavailable)
  } else if (typeof secret === 'object' && secret !== null && !Buffer.isBuffer(secret)) {
    const pair = { ...(secret as Record<string, unknown>) }
    for (const side of ['private', 'public']) {
      if (typeof pair[side] === 'function') pair[side] = protectSecret(pair[side] as SecretProvider, toUnavailable)
    }
    result.secret = pair
  }
  if (typeof trusted === 'function') {
    result.trusted = async function protectedTrusted (request: unknown, claims: unknown) {
      try {
        return await trusted(request, claims)
      } catch (cause) {
        throw toUnavailable(cause)
      }
    }
  }
  if (typeof formatUser === 'function') {
    result.formatUser = function protectedFormatUser (claims: unknown) {
      try {
        return formatUser(claims)
      } catch (cause) {
        throw toUnavailable(cause)
      }
    }
  }
  return result
}
