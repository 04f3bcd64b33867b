import { channel } from 'node:diagnostics_channel'
import type { FastifyRequest } from 'fastify'
import type { FailureEvent, FailureSource } from '../types/index.js'
import { FAILURES } from './failures.js'
import type { Failure } from './reply.js'

/** The `node:diagnostics_channel` name every failure is published on: public API. */
export const FAILURE_CHANNEL = 'fastify-jwt-guard:failure'

const failureChannel = channel(FAILURE_CHANNEL)
// Errors already published, so the error handler that renders them does not publish them again.
const published = new WeakSet<object>()

/**
 * Publishes one failure: kind, code, status, route and request id, never the token. Costs one
 * property read when nobody subscribes.
 */
export function publishFailure (request: FastifyRequest, failure: Failure, source: FailureSource): void {
  if (!failureChannel.hasSubscribers) return
  const spec = FAILURES[failure.kind]
  const event: FailureEvent = {
    kind: failure.kind,
    code: spec.code,
    status: spec.status,
    method: request.method,
    route: request.routeOptions.url ?? null,
    requestId: request.id,
    source
  }
  failureChannel.publish(event)
}

/** Marks an error whose failure was published where it was created. */
export function markPublished<T extends object> (error: T): T {
  published.add(error)
  return error
}

export function wasPublished (error: unknown): boolean {
  return typeof error === 'object' && error !== null && published.has(error)
}
