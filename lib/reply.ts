import { STATUS_CODES } from 'node:http'
import type { FastifyReply, FastifyRequest } from 'fastify'
import type { FailureKind, JwtGuardError } from '../types/index.js'
import { buildChallenge } from './challenge.js'
import { createGuardError } from './errors.js'
import { FAILURES, FAILURE_KINDS, RETRY_AFTER_SECONDS } from './failures.js'

/** A failed verification: its kind, and for `unavailable` the dependency error behind it (logged, never sent). */
export interface Failure {
  readonly kind: FailureKind
  readonly cause?: unknown
}

interface Rendered {
  readonly status: number
  readonly headers: Readonly<Record<string, string>>
  readonly message: string
  readonly body: string
  readonly log: { readonly kind: FailureKind, readonly code: string }
}

export interface Renderer {
  /** Sends the reply of a failure and logs it once. */
  send (request: FastifyRequest, reply: FastifyReply, failure: Failure): void
  /** The error for a failure, for paths that must reject rather than reply. */
  error (failure: Failure): JwtGuardError
}

const JSON_TYPE = 'application/json; charset=utf-8'

/** Everything about a reply that does not depend on the request is computed once, at registration. */
export function createRenderer (realm: string, messages: Record<FailureKind, string>): Renderer {
  const rendered = Object.fromEntries(FAILURE_KINDS.map((kind): [FailureKind, Rendered] => {
    const spec = FAILURES[kind]
    const challenge = buildChallenge(realm, spec)
    const headers: Record<string, string> = challenge === null ? { 'retry-after': String(RETRY_AFTER_SECONDS) } : { 'www-authenticate': challenge }
    const body = JSON.stringify({ statusCode: spec.status, code: spec.code, error: STATUS_CODES[spec.status], message: messages[kind] })
    return [kind, { status: spec.status, headers, message: messages[kind], body, log: { kind, code: spec.code } }]
  })) as Record<FailureKind, Rendered>

  return {
    send (request, reply, failure) {
      const r = rendered[failure.kind]
      if (failure.kind === 'unavailable') {
        request.log.error({ jwtGuard: r.log, err: failure.cause }, 'jwt-guard: authentication unavailable')
      } else {
        request.log.info({ jwtGuard: r.log }, 'jwt-guard: request rejected')
      }
      if (reply.sent) return
      reply.code(r.status).headers(r.headers).type(JSON_TYPE).send(r.body)
    },
    error (failure) {
      const r = rendered[failure.kind]
      return createGuardError(failure.kind, r.message, { ...r.headers }, failure.cause)
    }
  }
}
