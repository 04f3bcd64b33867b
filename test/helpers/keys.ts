import { existsSync, readFileSync } from 'node:fs'
import path from 'node:path'

/** The repository root, from test/helpers (tsx) or build/test/helpers (compiled). */
export function repoRoot (): string {
  let dir = __dirname
  while (!existsSync(path.join(dir, 'package.json'))) dir = path.dirname(dir)
  return dir
}

// Test-only keys, committed under test/fixtures/keys (written by test/fixtures/make-keys.ts).
const dir = path.join(repoRoot(), 'test/fixtures/keys')
const read = (name: string): string => readFileSync(path.join(dir, name), 'utf8')

export const keys = {
  hs: 'attack-corpus-hmac-secret-attack-corpus',
  rsaPrivate: read('rsa-private.pem'),
  rsaPublic: read('rsa-public.pem'),
  ecPrivate: read('ec-private.pem'),
  ecPublic: read('ec-public.pem'),
  attackerPrivate: read('attacker-private.pem'),
  attackerPublic: read('attacker-public.pem')
}
