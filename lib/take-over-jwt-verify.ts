import type { FastifyInstance } from 'fastify'
import { OptionError } from './errors.js'

/** Fastify keeps each scope's request class under this symbol (lib/symbols.js: kRequest). */
function requestPrototype (fastify: FastifyInstance): Record<string, unknown> | null {
  for (let scope: object | null = fastify; scope !== null; scope = Object.getPrototypeOf(scope)) {
    const symbol = Object.getOwnPropertySymbols(scope).find((s) => s.description === 'fastify.Request')
    if (symbol !== undefined) return ((scope as Record<symbol, { prototype: Record<string, unknown> }>)[symbol]).prototype
  }
  return null
}

/**
 * Puts the guard's `request.jwtVerify` where @fastify/jwt's decorator is. Fastify refuses to
 * decorate a name twice and @fastify/jwt honours its `jwtVerify` rename only with a namespace, so
 * the decorator is replaced on the scope's request prototype, where decorateRequest put it. If a
 * Fastify release moves it, registration fails loudly rather than keeping @fastify/jwt's version.
 */
export function takeOverJwtVerify<T> (fastify: FastifyInstance, name: string, build: (original: T) => unknown): void {
  const prototype = requestPrototype(fastify)
  if (prototype === null || !Object.hasOwn(prototype, name) || typeof prototype[name] !== 'function') {
    throw new OptionError(`cannot find @fastify/jwt's request.${name} to take over; this Fastify version is not supported`)
  }
  prototype[name] = build(prototype[name] as T)
}
