// gen_font_widths.mjs - writes badge/font_widths.c, the character width tables badge-maker measures text with.
//
// Usage: node badge/gen_font_widths.mjs NODE_MODULES > badge/font_widths.c
// where NODE_MODULES holds anafanafo (the package badge-maker depends on), e.g. tests/badge/node_modules.
//
// Each anafanafo table is a sorted list of [first, last, width] code point ranges. We emit, per font, the
// sorted starts of consecutive runs and for each run an index into that font's distinct widths, with
// NO_WIDTH for the gaps between ranges and after the last one. Widths are printed as JavaScript prints
// them (shortest round-trip form), so the C compiler reads back the very same doubles.
import { readFileSync } from 'node:fs'
import { join } from 'node:path'

// Order matters: it is the order of lg_font_t in badge/font_width.h.
const FONTS = [
  ['LG_FONT_VERDANA_11', 'verdana-11px-normal'],
  ['LG_FONT_VERDANA_10', 'verdana-10px-normal'],
  ['LG_FONT_VERDANA_10_BOLD', 'verdana-10px-bold'],
  ['LG_FONT_HELVETICA_11_BOLD', 'helvetica-11px-bold'],
]
const NO_WIDTH = 0xffff

const modules = process.argv[2]
if (!modules) {
  console.error('usage: node gen_font_widths.mjs NODE_MODULES > font_widths.c')
  process.exit(2)
}
const anafanafo = JSON.parse(readFileSync(join(modules, 'anafanafo', 'package.json'), 'utf8'))

function runsOf(data) {
  const starts = []
  const widx = []
  const widths = []
  const index = new Map()
  const push = (start, w) => {
    const last = starts.length - 1
    if (last >= 0 && starts[last] === start) {
      // a range begins where the previous one ended: no gap, and no run at all if the width is unchanged
      widx[last] = w
      if (last > 0 && widx[last - 1] === w) {
        starts.pop()
        widx.pop()
      }
    } else if (last < 0 || widx[last] !== w) {
      starts.push(start)
      widx.push(w)
    }
  }
  data.forEach(([lo, hi, width], i) => {
    if (i > 0 && lo <= data[i - 1][1]) throw new Error(`ranges overlap at ${lo}`)
    if (!index.has(width)) {
      index.set(width, widths.length)
      widths.push(width)
    }
    push(lo, index.get(width))
    push(hi + 1, NO_WIDTH)
  })
  if (widths.length >= NO_WIDTH) throw new Error('too many distinct widths')
  return { starts, widx, widths }
}

function lookup(run, cp) {
  let lo = 0
  let hi = run.starts.length - 1
  let found = -1
  while (lo <= hi) {
    const mid = (lo + hi) >> 1
    if (run.starts[mid] <= cp) {
      found = mid
      lo = mid + 1
    } else hi = mid - 1
  }
  if (found < 0 || run.widx[found] === NO_WIDTH) return undefined
  return run.widths[run.widx[found]]
}

function verify(data, run) {
  const expect = new Map()
  for (const [lo, hi, w] of data) for (let c = lo; c <= hi; c++) expect.set(c, w)
  for (let c = 0; c <= 0x10ffff; c++) {
    if (lookup(run, c) !== expect.get(c)) throw new Error(`table self-check failed at ${c}`)
  }
}

function rows(values, perLine, fmt) {
  const out = []
  for (let i = 0; i < values.length; i += perLine) {
    out.push('    ' + values.slice(i, i + perLine).map(fmt).join(', ') + ',')
  }
  return out.join('\n')
}

const lines = []
lines.push('/* font_widths.c - GENERATED, do not edit: character widths of the fonts badge-maker measures with.')
lines.push(` * Data: anafanafo ${anafanafo.version} data/{${FONTS.map(f => f[1]).join(',')}}.json.`)
lines.push(' * Command: node badge/gen_font_widths.mjs tests/badge/node_modules > badge/font_widths.c */')
lines.push('#include "font_table.h"')
lines.push('')
const entries = []
for (const [, file] of FONTS) {
  const data = JSON.parse(readFileSync(join(modules, 'anafanafo', 'data', `${file}.json`), 'utf8'))
  const run = runsOf(data)
  verify(data, run)
  const id = file.replace(/-/g, '_')
  lines.push(`static const double widths_${id}[] = {`)
  lines.push(rows(run.widths, 10, w => String(w)))
  lines.push('};')
  lines.push(`static const uint32_t starts_${id}[] = {`)
  lines.push(rows(run.starts, 12, v => String(v)))
  lines.push('};')
  lines.push(`static const uint16_t widx_${id}[] = {`)
  lines.push(rows(run.widx, 16, v => (v === NO_WIDTH ? 'NW' : String(v))))
  lines.push('};')
  lines.push('')
  entries.push(`    {"${file}", starts_${id}, widx_${id}, ${run.starts.length}, widths_${id}},`)
}
lines.splice(5, 0, `#define NW LG_FONT_NO_WIDTH`, '')
lines.push('const lg_font_table_t lg_font_tables[LG_FONT_COUNT] = {')
lines.push(...entries)
lines.push('};')
process.stdout.write(lines.join('\n') + '\n')
