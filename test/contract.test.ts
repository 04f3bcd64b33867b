import { describe, test } from 'node:test'
import assert from 'node:assert/strict'
import { buildContractApp, HANDLER_SETUPS } from './helpers/contract-app.js'
import { contractRows, DEPENDENCY_SECRET_DETAIL, policyRows, type Row } from './helpers/contract-rows.js'
import { assertFailureReply } from './helpers/expected.js'
import { request, TRANSPORTS } from './helpers/transport.js'

const NODE_ENVS = ['production', 'development', 'test', undefined] as const
const HOOKS = ['onRequest', 'preHandler', 'global'] as const
interface Case extends Omit<Row, 'expect'> { url: string, expect: Row['expect'], scopes?: readonly string[], anonymous?: boolean }
// The contract rows on the plain routes, then the policy rows on theirs.
const cases: Case[] = [
  ...contractRows().flatMap((row) => ['/hook', '/inline'].map((url) => ({ ...row, url }))),
  ...policyRows().flatMap((row) => row.urls.map((url) => ({ ...row, url })))
]

function withNodeEnv<T> (value: string | undefined, fn: () => Promise<T>): Promise<T> {
  const saved = process.env.NODE_ENV
  if (value === undefined) delete process.env.NODE_ENV
  else process.env.NODE_ENV = value
  return fn().finally(() => {
    if (saved === undefined) delete process.env.NODE_ENV
    else process.env.NODE_ENV = saved
  })
}

describe('every row of the reply contract, in every cell of the matrix', () => {
  for (const setup of HANDLER_SETUPS) {
    for (const hook of HOOKS) {
      for (const transport of TRANSPORTS) {
        for (const nodeEnv of NODE_ENVS) {
          for (const logger of [false, true]) {
            const cell = `handler=${setup} hook=${hook} transport=${transport} NODE_ENV=${nodeEnv ?? '(unset)'} logger=${logger ? 'on' : 'off'}`
            test(cell, () => withNodeEnv(nodeEnv, async () => {
              const { app, logs } = await buildContractApp({ setup, hook, logger })
              try {
                if (transport === 'socket') await app.listen({ port: 0, host: '127.0.0.1' })
                for (const row of cases) {
                  const url = row.url
                  const context = `${cell} ${url} "${row.name}"`
                  const before = logs.length
                  const answer = await request(app, transport, url, row.authorization)
                  if (row.expect === 'ok') {
                    assert.equal(answer.status, 200, `${context}: status (${answer.body})`)
                    const [user] = Object.values(JSON.parse(answer.body))
                    assert.equal(user === null, row.anonymous === true, `${context}: the user (${answer.body})`)
                    continue
                  }
                  assertFailureReply(answer, row.expect, context, row.scopes)
                  assert.ok(!answer.body.includes(DEPENDENCY_SECRET_DETAIL), `${context}: body leaks the cause`)
                  if (logger) {
                    const lines = logs.slice(before).filter((line) => line.jwtGuard !== undefined)
                    assert.equal(lines.length, 1, `${context}: one guard log line`)
                    assert.equal(lines[0].level, row.expect === 'unavailable' ? 50 : 30, `${context}: log level`)
                    const token = row.authorization?.split(/\s+/)[1]
                    const text = JSON.stringify(logs.slice(before))
                    if (token !== undefined && token.length > 8) assert.ok(!text.includes(token), `${context}: the log holds the token`)
                    if (row.expect !== 'unavailable') assert.ok(!text.includes('"stack"'), `${context}: a stack in the log`)
                  }
                }
              } finally {
                await app.close()
              }
            }))
          }
        }
      }
    }
  }
})
