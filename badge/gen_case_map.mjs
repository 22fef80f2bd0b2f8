// gen_case_map.mjs - writes badge/case_map.c: String.prototype.toUpperCase of every code point, as the
// running node (its ICU / Unicode version) implements it, since for-the-badge and social upper-case text
// before measuring it.
//
// Usage: node badge/gen_case_map.mjs > badge/case_map.c
//
// One-to-one mappings are grouped into runs {first, last, step, delta}: every step-th code point from
// first to last maps to itself plus delta. Mappings to several code points (U+00DF -> "SS", ...) are
// listed one by one as UTF-8. The script refuses to write a table if upper-casing a whole string ever
// differed from upper-casing its code points one at a time, because the C side relies on that.

const simple = []
const multi = []
for (let cp = 0; cp <= 0x10ffff; cp++) {
  if (cp >= 0xd800 && cp <= 0xdfff) continue
  const s = String.fromCodePoint(cp)
  const u = s.toUpperCase()
  if (u === s) continue
  const cps = Array.from(u, c => c.codePointAt(0))
  if (cps.length === 1) simple.push([cp, cps[0] - cp])
  else multi.push([cp, u])
}

const runs = []
for (const [cp, delta] of simple) {
  const r = runs[runs.length - 1]
  const gap = r ? cp - r.last : 0
  if (r && r.delta === delta && (r.first === r.last ? gap === 1 || gap === 2 : gap === r.step)) {
    r.step = gap
    r.last = cp
  } else {
    runs.push({ first: cp, last: cp, step: 1, delta })
  }
}

function upperOne(cp) {
  for (const m of multi) if (m[0] === cp) return m[1]
  for (const r of runs) {
    if (cp >= r.first && cp <= r.last && (cp - r.first) % r.step === 0) return String.fromCodePoint(cp + r.delta)
  }
  return String.fromCodePoint(cp)
}

function checkContextFree() {
  let seed = 12345
  const rand = n => {
    seed = (seed * 1103515245 + 12345) % 2147483648
    return seed % n
  }
  const pool = [...multi.map(m => m[0]), ...simple.map(s => s[0]), 0x20, 0x41, 0x345, 0x3a3, 0x307, 0x130]
  for (let i = 0; i < 100000; i++) {
    let s = ''
    for (let j = 0; j < 12; j++) {
      let cp = rand(3) === 0 ? pool[rand(pool.length)] : rand(0x3000)
      if (cp >= 0xd800 && cp <= 0xdfff) cp = 0x41
      s += String.fromCodePoint(cp)
    }
    const whole = s.toUpperCase()
    const each = Array.from(s, c => upperOne(c.codePointAt(0))).join('')
    if (whole !== each) throw new Error(`toUpperCase is context-dependent for ${JSON.stringify(s)}`)
  }
}
checkContextFree()

function cString(s) {
  return '"' + Array.from(Buffer.from(s, 'utf8'), b => '\\x' + b.toString(16).padStart(2, '0')).join('') + '"'
}

const hex = n => '0x' + n.toString(16).toUpperCase()
const lines = []
lines.push('/* case_map.c - GENERATED, do not edit: String.prototype.toUpperCase per code point.')
lines.push(` * Data: node ${process.version} (ICU ${process.versions.icu}, Unicode ${process.versions.unicode}).`)
lines.push(' * Command: node badge/gen_case_map.mjs > badge/case_map.c */')
lines.push('#include "case_map.h"')
lines.push('')
lines.push('const lg_case_run_t lg_case_upper_runs[] = {')
for (const r of runs) lines.push(`    {${hex(r.first)}, ${hex(r.last)}, ${r.step}, ${r.delta}},`)
lines.push('};')
lines.push('const size_t lg_case_upper_nruns = sizeof(lg_case_upper_runs) / sizeof(lg_case_upper_runs[0]);')
lines.push('')
lines.push('const lg_case_multi_t lg_case_upper_multi[] = {')
for (const [cp, u] of multi) lines.push(`    {${hex(cp)}, ${cString(u)}}, /* ${Array.from(u, c => hex(c.codePointAt(0))).join(' ')} */`)
lines.push('};')
lines.push('const size_t lg_case_upper_nmulti = sizeof(lg_case_upper_multi) / sizeof(lg_case_upper_multi[0]);')
process.stdout.write(lines.join('\n') + '\n')
