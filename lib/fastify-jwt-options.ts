import type { JwtGuardError } from '../types/index.js'

/** Turns the failure of an app dependency (secret function, `trusted`) into the guard's error. */
export type ToDependencyError = (cause: unknown) => JwtGuardError

type AnyFunction = (this: unknown, ...args: unknown[]) => unknown

function isThenable (value: unknown): value is Promise<unknown> {
  return typeof value === 'object' && value !== null && typeof (value as { then?: unknown }).then === 'function'
}

/**
 * Wraps an app function so that whatever way it fails — a throw, a rejection, an error passed to
 * the callback it was given — the failure is the guard's error, while every calling convention
 * (callback last, promise, plain value) behaves as before. @fastify/jwt calls a secret function as
 * `(request, decoded, callback)`, and fast-jwt, from app.jwt.verify(), as `(decoded, callback)`.
 */
export function protectFunction (fn: AnyFunction, toError: ToDependencyError): AnyFunction {
  return function protectedFunction (this: unknown, ...args: unknown[]) {
    let last = args.length - 1
    while (last >= 0 && typeof args[last] !== 'function') last--
    if (last >= 0) {
      const callback = args[last] as (error: unknown, ...rest: unknown[]) => unknown
      args[last] = (error: unknown, ...rest: unknown[]) => error ? callback(toError(error)) : callback(null, ...rest)
    }
    let result: unknown
    try {
      result = fn.apply(this, args)
    } catch (cause) {
      throw toError(cause)
    }
    if (isThenable(result)) return result.then(undefined, (cause: unknown) => { throw toError(cause) })
    return result
  }
}

/**
 * The options handed to @fastify/jwt: the app's secret and `trusted` functions protected as above,
 * so code still calling @fastify/jwt's APIs gets the guard's 503 instead of a 500 carrying the
 * dependency's message; `formatUser` kept back (the guard applies it, inside a try, in its own
 * `request.jwtVerify()`: @fastify/jwt calls it where a throw is an unhandled rejection).
 */
export function fastifyJwtOptions (options: Record<string, unknown>, toError: ToDependencyError): Record<string, unknown> {
  const { formatUser: _formatUser, ...result } = options
  const { secret, trusted } = options
  if (typeof secret === 'function') {
    result.secret = protectFunction(secret as AnyFunction, toError)
  } else if (typeof secret === 'object' && secret !== null && !Buffer.isBuffer(secret)) {
    const pair = { ...(secret as Record<string, unknown>) }
    for (const side of ['private', 'public']) {
      if (typeof pair[side] === 'function') pair[side] = protectFunction(pair[side] as AnyFunction, toError)
    }
    result.secret = pair
  }
  if (typeof trusted === 'function') result.trusted = protectFunction(trusted as AnyFunction, toError)
  return result
}
