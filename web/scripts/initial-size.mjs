// Gzipped size of the console's initial JavaScript: the entry chunk of dist/index.html and
// every chunk it imports statically (recursively); lazy chunks (routes, ECharts) are not counted.
//   node scripts/initial-size.mjs [distDir] [--max-kb 500]
import { readFileSync } from 'node:fs'
import { gzipSync } from 'node:zlib'
import { join, dirname, normalize } from 'node:path'

const args = process.argv.slice(2)
const dist = args.find((a) => !a.startsWith('--')) ?? 'dist'
const maxIndex = args.indexOf('--max-kb')
const maxKb = maxIndex >= 0 ? Number(args[maxIndex + 1]) : 500

const html = readFileSync(join(dist, 'index.html'), 'utf8')
const roots = [
  ...html.matchAll(/<script[^>]+type="module"[^>]+src="([^"]+)"/g),
  ...html.matchAll(/<link[^>]+rel="modulepreload"[^>]+href="([^"]+)"/g),
].map((m) => normalize(join(dist, m[1])))

const seen = new Set()
const queue = [...roots]
while (queue.length) {
  const file = queue.pop()
  if (seen.has(file)) continue
  seen.add(file)
  const code = readFileSync(file, 'utf8')
  // Static imports only: `import … from "./x.js"` and `import "./x.js"` (not `import("./x.js")`).
  for (const m of code.matchAll(/(?:\bfrom\s*|\bimport\s*)["'](\.{1,2}\/[^"']+\.js)["']/g)) {
    queue.push(normalize(join(dirname(file), m[1])))
  }
}

let total = 0
for (const file of [...seen].sort()) {
  const gz = gzipSync(readFileSync(file)).length
  total += gz
  console.log(`${(gz / 1024).toFixed(1).padStart(8)} KB  ${file}`)
}
console.log(`${(total / 1024).toFixed(1).padStart(8)} KB  initial JavaScript, gzipped (budget ${maxKb} KB)`)
if (total / 1024 > maxKb) {
  console.error('initial JavaScript over budget')
  process.exit(1)
}
