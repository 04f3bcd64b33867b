import { test } from 'node:test'
import assert from 'node:assert/strict'
import { execFileSync } from 'node:child_process'
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import { repoRoot } from './helpers/keys.js'

// README code blocks whose first line is `// runnable: <name>` are programs: each is type-checked
// against the published types and run against the built package, so the README cannot drift.
const root = repoRoot()
const readme = readFileSync(path.join(root, 'README.md'), 'utf8')
const snippets = [...readme.matchAll(/```ts\n\/\/ runnable: ([\w-]+)\n([\s\S]*?)```/g)].map(([, name, code]) => ({ name, code }))
// Inside the package, so that `import … from 'fastify-jwt-guard'` resolves to it by its own name.
const dir = path.join(root, 'build', 'readme')

test('the README has a runnable example for each route-policy feature', () => {
  assert.deepEqual(snippets.map((s) => s.name), ['global', 'optional', 'scopes', 'allow', 'on-failure', 'problem-details', 'messages', 'failure-events'])
})

test('every runnable README example type-checks under strict settings', () => {
  rmSync(dir, { recursive: true, force: true })
  mkdirSync(dir, { recursive: true })
  for (const { name, code } of snippets) writeFileSync(path.join(dir, `${name}.mts`), code)
  writeFileSync(path.join(dir, 'tsconfig.json'), JSON.stringify({
    compilerOptions: { target: 'ES2022', module: 'NodeNext', moduleResolution: 'NodeNext', strict: true, noEmit: true, skipLibCheck: false, types: ['node'] },
    include: ['*.mts']
  }))
  execFileSync(process.execPath, [path.join(root, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', dir], { cwd: root, stdio: 'pipe' })
})

for (const { name } of snippets) {
  test(`the README example "${name}" runs and its assertions hold`, () => {
    execFileSync(process.execPath, ['--import', 'tsx', path.join(dir, `${name}.mts`)], { cwd: root, stdio: 'pipe', timeout: 30000 })
  })
}
