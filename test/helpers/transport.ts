import type { FastifyInstance } from 'fastify'

export type Transport = 'inject' | 'socket'
export const TRANSPORTS: Transport[] = ['inject', 'socket']

export interface Answer { status: number, headers: Record<string, string>, body: string }

/** One request, through light-my-request or a real socket: the two differ on header whitespace. */
export async function request (
  app: FastifyInstance, transport: Transport, url: string, authorization?: string,
  extra: { method?: 'GET' | 'HEAD' | 'OPTIONS' | 'POST', headers?: Record<string, string> } = {}
): Promise<Answer> {
  const method = extra.method ?? 'GET'
  const headers: Record<string, string> = { ...extra.headers, ...(authorization === undefined ? {} : { authorization }) }
  if (transport === 'inject') {
    const res = await app.inject({ method, url, headers })
    return { status: res.statusCode, headers: res.headers as Record<string, string>, body: res.body }
  }
  const address = app.server.address()
  if (address === null || typeof address === 'string') throw new Error('the app is not listening')
  const res = await fetch(`http://127.0.0.1:${address.port}${url}`, { method, headers, redirect: 'manual' })
  return { status: res.status, headers: Object.fromEntries(res.headers), body: await res.text() }
}
