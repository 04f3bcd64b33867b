import { STATUS_CODES } from 'node:http'
import type { FastifyReply, FastifyRequest } from 'fastify'
import type { FailureKind, JwtFailure, JwtGuardError, OnFailure } from '../types/index.js'
import { buildChallenge } from './challenge.js'
import { createGuardError } from './errors.js'
import { FAILURES, FAILURE_KINDS, RETRY_AFTER_SECONDS } from './failures.js'

/**
 * A failed check: its kind; for `unavailable` the dependency error behind it (logged, never sent);
 * for `insufficient_scope` the scopes the route requires (sent in the challenge).
 */
export interface Failure {
  readonly kind: FailureKind
  readonly cause?: unknown
  readonly scopes?: readonly string[]
}

interface Rendered {
  readonly status: number
  readonly headers: Readonly<Record<string, string>>
  readonly message: string
  readonly body: string
  readonly contentType: string
  readonly log: { readonly kind: FailureKind, readonly code: string }
  /** What `onFailure` receives. */
  readonly view: JwtFailure
  readonly scopes: readonly string[]
}

export interface Renderer {
  /** Sends the reply of a failure and logs it once. The promise (with `onFailure`) never rejects. */
  send (request: FastifyRequest, reply: FastifyReply, failure: Failure): void | Promise<void>
  /** The error for a failure, for paths that must reject rather than reply. */
  error (failure: Failure): JwtGuardError
}

export interface RendererConfig {
  realm: string
  messages: Readonly<Record<FailureKind, string>>
  /** RFC 9457 bodies (`application/problem+json`) instead of Fastify's error shape. */
  problemDetails: boolean
  onFailure: OnFailure | null
}

const JSON_TYPE = 'application/json; charset=utf-8'
/** An `onFailure` promise that has not settled by then gets the default reply: a failure never hangs. */
export const ON_FAILURE_TIMEOUT_MS = 5000
const PROBLEM_TYPE = 'application/problem+json; charset=utf-8'
// Scopes come from route config and code, not from requests, but a dynamic verifyJwt({ scopes }) must not grow this without end.
const MAX_SCOPED_RENDERINGS = 1000

/** Everything about a reply that does not depend on the request is computed once, at registration. */
export function createRenderer (config: RendererConfig): Renderer {
  const { realm, messages, problemDetails, onFailure } = config

  function render (kind: FailureKind, scopes: readonly string[]): Rendered {
    const spec = FAILURES[kind]
    const challenge = buildChallenge(realm, spec, scopes)
    const headers: Record<string, string> = challenge === null ? { 'retry-after': String(RETRY_AFTER_SECONDS) } : { 'www-authenticate': challenge }
    const message = messages[kind]
    const error = STATUS_CODES[spec.status] as string
    const body = problemDetails
      ? JSON.stringify({ type: 'about:blank', title: error, status: spec.status, detail: message, code: spec.code })
      : JSON.stringify({ statusCode: spec.status, code: spec.code, error, message })
    const extra = kind === 'insufficient_scope' ? { requiredScopes: scopes } : kind === 'unavailable' ? { retryAfter: RETRY_AFTER_SECONDS } : {}
    const view = Object.freeze({ kind, status: spec.status, code: spec.code, message, challenge, ...extra }) as JwtFailure
    return { status: spec.status, headers, message, body, contentType: problemDetails ? PROBLEM_TYPE : JSON_TYPE, log: { kind, code: spec.code }, view, scopes }
  }

  const plain = Object.fromEntries(FAILURE_KINDS.map((kind) => [kind, render(kind, [])])) as Record<FailureKind, Rendered>
  const scoped = new Map<string, Rendered>()

  function renderedOf (failure: Failure): Rendered {
    const scopes = failure.scopes
    if (scopes === undefined || scopes.length === 0) return plain[failure.kind]
    const key = failure.kind + ' ' + scopes.join(' ')
    let r = scoped.get(key)
    if (r === undefined) {
      r = render(failure.kind, Object.freeze([...scopes]))
      if (scoped.size < MAX_SCOPED_RENDERINGS) scoped.set(key, r)
    }
    return r
  }

  function sendDefault (reply: FastifyReply, r: Rendered): void {
    reply.code(r.status).headers(r.headers).type(r.contentType).send(r.body)
  }

  function fallback (request: FastifyRequest, reply: FastifyReply, r: Rendered, error: unknown): void {
    if (reply.sent) {
      request.log.error({ jwtGuard: r.log, err: error }, 'jwt-guard: onFailure failed after its reply was sent')
      return
    }
    request.log.error({ jwtGuard: r.log, err: error }, 'jwt-guard: onFailure failed; the default reply was sent')
    sendDefault(reply, r)
  }

  /**
   * Sends what `onFailure` returned. The status and headers set before it ran stay, unless it changed
   * them; nothing (or the reply itself, unsent: Fastify's chaining, `return reply.code(…)`) means the
   * default body. A failure never answers as a success: a 1xx/2xx goes back to the failure's status.
   */
  function finish (request: FastifyRequest, reply: FastifyReply, r: Rendered, value: unknown): void {
    if (reply.sent) {
      // It sent the reply itself; that stands, but a success status for a failure is worth a warning.
      if (reply.statusCode < 300) request.log.warn({ jwtGuard: r.log }, `jwt-guard: onFailure sent status ${reply.statusCode} for a failure`)
      return
    }
    let payload: unknown = value
    if (value === undefined || value === reply) {
      payload = r.body
      reply.type(r.contentType)
    } else if (typeof value !== 'string' && !Buffer.isBuffer(value)) {
      try {
        payload = JSON.stringify(value)
      } catch (error) {
        return fallback(request, reply, r, error)
      }
      if (payload === undefined) return fallback(request, reply, r, new TypeError(`onFailure returned ${typeof value}, which is not a body`))
      if (!reply.hasHeader('content-type')) reply.type(JSON_TYPE)
    }
    if (reply.statusCode < 300) {
      request.log.warn({ jwtGuard: r.log }, `jwt-guard: onFailure set status ${reply.statusCode}; ${r.status} was sent`)
      reply.code(r.status)
    }
    reply.send(payload)
  }

  function custom (request: FastifyRequest, reply: FastifyReply, r: Rendered, handler: OnFailure): void | Promise<void> {
    // A Fastify reply is a thenable that settles when the response has been sent, so an onFailure that
    // returns it unsent (or an async one that does) would wait on itself for ever. While onFailure
    // runs, the reply is not a thenable; what it returns is then the reply itself, seen in finish().
    Object.defineProperty(reply, 'then', { value: undefined, configurable: true, writable: true })
    const restore = (): void => { delete (reply as { then?: unknown }).then }
    let result: unknown
    let then: unknown
    try {
      result = handler(r.view, request, reply)
      then = typeof result === 'object' && result !== null ? (result as { then?: unknown }).then : undefined
    } catch (error) { // onFailure threw, or the `then` getter of what it returned did
      restore()
      return fallback(request, reply, r, error)
    }
    if (typeof then !== 'function') {
      restore()
      return finish(request, reply, r, result)
    }
    return new Promise<void>((resolve) => {
      let settled = false
      // Once: a thenable may call both of its callbacks, or call one after the timeout answered.
      const settle = (answer: () => void): void => {
        if (settled) return
        settled = true
        clearTimeout(timer)
        restore()
        answer()
        resolve()
      }
      const timer = setTimeout(() => {
        settle(() => fallback(request, reply, r, new Error(`onFailure did not settle within ${ON_FAILURE_TIMEOUT_MS} ms`)))
      }, ON_FAILURE_TIMEOUT_MS)
      try {
        (then as PromiseLike<unknown>['then']).call(result,
          (value) => settle(() => finish(request, reply, r, value)),
          (error: unknown) => settle(() => fallback(request, reply, r, error)))
      } catch (error) {
        settle(() => fallback(request, reply, r, error))
      }
    })
  }

  return {
    send (request, reply, failure) {
      const r = renderedOf(failure)
      if (failure.kind === 'unavailable') {
        request.log.error({ jwtGuard: r.log, err: failure.cause }, 'jwt-guard: authentication unavailable')
      } else {
        request.log.info({ jwtGuard: r.log }, 'jwt-guard: request rejected')
      }
      if (reply.sent) return
      if (onFailure === null) return sendDefault(reply, r)
      reply.code(r.status).headers(r.headers)
      return custom(request, reply, r, onFailure)
    },
    error (failure) {
      const r = renderedOf(failure)
      return createGuardError(failure.kind, r.message, { ...r.headers }, failure.cause, r.scopes)
    }
  }
}
