// gen_css_names.mjs - writes badge/css_names.c: the CSS colour keywords css-color-converter (used by
// badge-maker) accepts, from the color-name package it looks them up in, sorted for binary search.
//
// Usage: node badge/gen_css_names.mjs NODE_MODULES > badge/css_names.c
// where NODE_MODULES holds color-name, e.g. tests/badge/node_modules.
import { readFileSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { createRequire } from 'node:module'

const modules = process.argv[2]
if (!modules) {
  console.error('usage: node gen_css_names.mjs NODE_MODULES > css_names.c')
  process.exit(2)
}
const require = createRequire(join(resolve(modules), 'noop.js'))
const names = require('color-name')
const pkg = JSON.parse(readFileSync(join(modules, 'color-name', 'package.json'), 'utf8'))

const keys = Object.keys(names).sort((a, b) => Buffer.compare(Buffer.from(a), Buffer.from(b)))
const lines = []
lines.push('/* css_names.c - GENERATED, do not edit: CSS colour keywords and their RGB values.')
lines.push(` * Data: color-name ${pkg.version} (as used by css-color-converter).`)
lines.push(' * Command: node badge/gen_css_names.mjs tests/badge/node_modules > badge/css_names.c */')
lines.push('#include "css_names.h"')
lines.push('')
lines.push('const lg_css_name_t lg_css_names[] = {')
for (const k of keys) {
  const [r, g, b] = names[k]
  lines.push(`    {"${k}", ${r}, ${g}, ${b}},`)
}
lines.push('};')
lines.push('const size_t lg_css_nnames = sizeof(lg_css_names) / sizeof(lg_css_names[0]);')
process.stdout.write(lines.join('\n') + '\n')
