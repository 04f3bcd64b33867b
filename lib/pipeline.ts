import { createDecoder } from 'fast-jwt'
import type { FastifyRequest } from 'fastify'
import type { FailureKind } from '../types/index.js'
import { dependencyFailureKind, verificationFailureKind } from './classify.js'
import { extractToken } from './extract.js'
import { FAILURE_KINDS } from './failures.js'
import { resolveKey } from './key-provider.js'
import type { ExtractConfig, PipelineConfig } from './options.js'
import type { Failure } from './reply.js'
import { createPrescreen } from './prescreen.js'
import { createKeyedVerifier, createVerifierCache, type KeyedVerifier } from './verifier-cache.js'

/** The verified claims, or why there are none. Failures are values, not throws: nothing to catch, no stack. */
export type Outcome = { readonly claims: unknown, readonly failure?: undefined } | { readonly failure: Failure }

export type Pipeline = (request: FastifyRequest) => Promise<Outcome>

// Token failures carry nothing per request, so each kind's outcome is allocated once.
const plain = Object.fromEntries(FAILURE_KINDS.map((kind) => [kind, Object.freeze({ failure: Object.freeze({ kind }) })])) as Record<FailureKind, Outcome>

function failed (kind: FailureKind, cause?: unknown): Outcome {
  return kind === 'unavailable' ? { failure: { kind, cause } } : plain[kind]
}

/**
 * Runs a synchronous fast-jwt call with stack capture off. fast-jwt's TokenError captures its stack
 * twice; on an attacker-driven failure path that is most of the cost, and the stack is never shown.
 * Synchronous, so no other code runs while the limit is 0; restored even when `fn` throws.
 */
function withoutStacks<T> (fn: () => T): T {
  const limit = Error.stackTraceLimit
  Error.stackTraceLimit = 0
  try {
    return fn()
  } finally {
    Error.stackTraceLimit = limit
  }
}

function isThenable (value: unknown): value is PromiseLike<unknown> {
  return typeof value === 'object' && value !== null && typeof (value as { then?: unknown }).then === 'function'
}

/** extract -> (decode -> key) -> verify -> trusted -> formatUser, each stage's errors classified by stage. */
export function createPipeline (extract: ExtractConfig, config: PipelineConfig): Pipeline {
  const { keyProvider, trusted, formatUser, decoratorName } = config
  // A static key's verifier is built now, so a bad key fails at ready() rather than per request.
  const staticVerifier = keyProvider === null ? createKeyedVerifier(config.verifyOptions) : null
  const prescreen = createPrescreen(config.verifyOptions)
  const decoder = keyProvider === null ? null : createDecoder(config.decodeOptions)
  const verifierFor = keyProvider === null ? null : createVerifierCache(config.verifyOptions)

  async function verify (request: FastifyRequest): Promise<Outcome> {
    const extracted = extractToken(request, extract)
    if (extracted.kind !== undefined) return failed(extracted.kind)
    const token = extracted.token
    const early = prescreen(token)
    if (early !== null) return failed(early)

    let verifier: KeyedVerifier | null = staticVerifier
    if (verifier === null) {
      let decoded: unknown
      try {
        decoded = withoutStacks(() => decoder!(token))
      } catch (error) {
        return failed(verificationFailureKind(error))
      }
      let key: unknown
      try {
        key = await resolveKey(keyProvider!, request, decoded)
      } catch (cause) {
        return failed(dependencyFailureKind(cause), cause)
      }
      try {
        verifier = verifierFor!(key)
      } catch (cause) {
        return failed('unavailable', cause) // the provider answered with something that is not a key
      }
    }

    let claims = verifier.cache?.get(token)
    if (claims === undefined) {
      try {
        claims = withoutStacks(() => verifier!.verify(token))
        if (isThenable(claims)) claims = await claims
      } catch (error) {
        return failed(verificationFailureKind(error), error)
      }
      verifier.cache?.set(token, claims)
    }

    if (trusted !== null) {
      let isTrusted: unknown
      try {
        isTrusted = await trusted(request, claims)
      } catch (cause) {
        return failed(dependencyFailureKind(cause), cause)
      }
      if (!isTrusted) return failed('untrusted')
    }

    let user = claims
    if (formatUser !== null) {
      try {
        user = formatUser(claims)
      } catch (cause) {
        return failed('unavailable', cause)
      }
    }
    (request as unknown as Record<string, unknown>)[decoratorName] = user
    return { claims }
  }

  // Default-deny: a throw nothing above foresaw still answers 401, never a 500 or a pass.
  return function run (request) {
    return verify(request).catch(() => plain.invalid)
  }
}

/**
 * When the app registered @fastify/jwt itself, the guard cannot see its secret, `trusted` or
 * `formatUser`: it checks the credentials' shape itself, then lets `request.jwtVerify()` verify.
 * An error that is not from the JWT stack came from the app's secret or `trusted` function.
 * `request.jwtVerify()` resolves to the `formatUser` result, so the claims are the verified token
 * decoded again (`complete` as its `verify.complete`): policies read scopes from the token, as in
 * the guard's own pipeline.
 */
export function createDelegatingPipeline (extract: ExtractConfig, complete: boolean): Pipeline {
  const decode = createDecoder({ complete })
  return async function run (request) {
    const extracted = extractToken(request, extract)
    if (extracted.kind !== undefined) return failed(extracted.kind)
    try {
      await request.jwtVerify()
    } catch (error) {
      return failed(dependencyFailureKind(error), error)
    }
    return { claims: decode(extracted.token) }
  }
}
