import type { SecretProvider } from './options.js'

/**
 * Calls an @fastify/jwt-style secret function, which may answer through its callback or a promise,
 * and settles once: a synchronous throw, a rejection and a callback error all become a rejection.
 */
export function resolveKey (provider: SecretProvider, request: unknown, decoded: unknown): Promise<unknown> {
  return new Promise((resolve, reject) => {
    let settled = false
    const done = (error: unknown, key?: unknown): void => {
      if (settled) return
      settled = true
      if (error) reject(error)
      else resolve(key)
    }
    try {
      const result = provider(request, decoded, done) as { then?: unknown } | undefined
      if (result !== null && typeof result === 'object' && typeof result.then === 'function') {
        (result as Promise<unknown>).then((key) => done(null, key), (error: unknown) => done(error ?? new Error('secret provider rejected')))
      }
    } catch (error) {
      done(error ?? new Error('secret provider threw'))
    }
  })
}
