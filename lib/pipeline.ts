import { createDecoder, createVerifier } from 'fast-jwt'
import type { FastifyRequest } from 'fastify'
import type { FailureKind } from '../types/index.js'
import { jwtFailureKind, verificationFailureKind } from './classify.js'
import { extractToken } from './extract.js'
import { resolveKey } from './key-provider.js'
import type { ExtractConfig, PipelineConfig } from './options.js'
import type { Failure } from './reply.js'
import { createVerifierCache, type Verifier } from './verifier-cache.js'

/** The verified claims, or why there are none. Failures are values, not throws: nothing to catch, no stack. */
export type Outcome = { readonly claims: unknown, readonly failure?: undefined } | { readonly failure: Failure }

export type Pipeline = (request: FastifyRequest) => Promise<Outcome>

const plain = Object.fromEntries((['missing', 'bad_request', 'untrusted', 'invalid'] as FailureKind[])
  .map((kind) => [kind, Object.freeze({ failure: Object.freeze({ kind }) })])) as Record<FailureKind, Outcome>

function failed (kind: FailureKind, cause?: unknown): Outcome {
  if (kind !== 'unavailable' && plain[kind] !== undefined) return plain[kind]
  return { failure: kind === 'unavailable' ? { kind, cause } : { kind } }
}

function isThenable (value: unknown): value is PromiseLike<unknown> {
  return typeof value === 'object' && value !== null && typeof (value as { then?: unknown }).then === 'function'
}

/** extract -> (decode -> key) -> verify -> trusted -> formatUser, each stage's errors classified by stage. */
export function createPipeline (extract: ExtractConfig, config: PipelineConfig): Pipeline {
  const { keyProvider, trusted, formatUser, decoratorName } = config
  // A static key's verifier is built now, so a bad key fails at ready() rather than per request.
  const staticVerifier = keyProvider === null ? createVerifier(config.verifyOptions as Parameters<typeof createVerifier>[0]) as Verifier : null
  const decoder = keyProvider === null ? null : createDecoder(config.decodeOptions)
  const verifierFor = keyProvider === null ? null : createVerifierCache(config.verifyOptions)

  return async function run (request) {
    const extracted = extractToken(request, extract)
    if (extracted.kind !== undefined) return failed(extracted.kind)
    const token = extracted.token

    let verifier = staticVerifier
    if (verifier === null) {
      let decoded: unknown
      try {
        decoded = decoder!(token)
      } catch (error) {
        return failed(verificationFailureKind(error))
      }
      try {
        verifier = verifierFor!(await resolveKey(keyProvider!, request, decoded))
      } catch (cause) {
        return failed('unavailable', cause)
      }
    }

    let claims: unknown
    try {
      claims = verifier(token)
      if (isThenable(claims)) claims = await claims
    } catch (error) {
      return failed(verificationFailureKind(error), error)
    }

    if (trusted !== null) {
      let isTrusted: unknown
      try {
        isTrusted = await trusted(request, claims)
      } catch (cause) {
        return failed('unavailable', cause)
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
}

/**
 * When the app registered @fastify/jwt itself, the guard cannot see its secret, `trusted` or
 * `formatUser`: it checks the credentials' shape itself, then lets `request.jwtVerify()` verify.
 * An error that is not from the JWT stack came from the app's secret or `trusted` function.
 */
export function createDelegatingPipeline (extract: ExtractConfig): Pipeline {
  return async function run (request) {
    const extracted = extractToken(request, extract)
    if (extracted.kind !== undefined) return failed(extracted.kind)
    try {
      return { claims: await request.jwtVerify() }
    } catch (error) {
      const kind = jwtFailureKind(error) ?? 'unavailable'
      return failed(kind, error)
    }
  }
}
