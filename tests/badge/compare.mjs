// compare.mjs - renders thousands of badges with labgate's C code (badge_dump) and with shields.io's
// badge-maker 6.0.0, and fails unless every SVG is byte-identical and every colour is accepted or
// refused exactly where badge-maker accepts it or silently falls back.
//
// Usage: node compare.mjs path/to/badge_dump      (after `npm ci` in tests/badge)
// BADGE_COMPARE_SEED=n changes the random cases; the default seed makes runs reproducible.
import { spawnSync } from 'node:child_process'
import { existsSync } from 'node:fs'

const here = new URL('.', import.meta.url)
if (!existsSync(new URL('node_modules/badge-maker/package.json', here))) {
  console.error('compare.mjs: badge-maker is not installed: run npm ci in tests/badge')
  process.exit(1)
}
const dump = process.argv[2]
if (!dump || !existsSync(dump)) {
  console.error('usage: node compare.mjs path/to/badge_dump')
  process.exit(2)
}
const { makeBadge } = await import('badge-maker')
const { normalizeColor } = await import(new URL('node_modules/badge-maker/lib/color.js', here))

const STYLES = ['flat', 'flat-square', 'plastic', 'for-the-badge', 'social']
const DEFAULT_COLOR = '#f37626' // what an empty color= means to labgate
const TEXT_MAX = 256
const COLOR_MAX = 64

// A small seeded generator (mulberry32), so a failure can be reproduced.
let seed = Number(process.env.BADGE_COMPARE_SEED || 20240601) >>> 0
function random() {
  seed = (seed + 0x6d2b79f5) >>> 0
  let t = seed
  t = Math.imul(t ^ (t >>> 15), t | 1)
  t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296
}
const pick = a => a[Math.floor(random() * a.length)]
const int = n => Math.floor(random() * n)

// Code points a badge may carry: no controls (C0, DEL, C1), no surrogates, not U+FFFE/U+FFFF.
const allowed = cp =>
  cp >= 0x20 && !(cp >= 0x7f && cp <= 0x9f) && !(cp >= 0xd800 && cp <= 0xdfff) && cp !== 0xfffe && cp !== 0xffff
const bytes = s => Buffer.byteLength(s, 'utf8')
const head = (s, n) => Array.from(s).slice(0, n).join('') // by code point: no lone surrogates

function logoUri(style) {
  const r = spawnSync(dump, ['--logo-uri', style], { encoding: 'utf8' })
  if (r.status !== 0) throw new Error(`badge_dump --logo-uri ${style} failed: ${r.stderr}`)
  const uri = r.stdout.trim()
  const svg = Buffer.from(uri.replace(/^data:image\/svg\+xml;base64,/, ''), 'base64').toString('utf8')
  if (!uri.startsWith('data:image/svg+xml;base64,') || !svg.includes('<title>Jupyter</title>')) {
    throw new Error(`unexpected logo URI for ${style}: ${uri.slice(0, 80)}`)
  }
  return uri
}
const logos = Object.fromEntries(STYLES.map(s => [s, logoUri(s)]))

const cases = []
let styleTurn = 0
function add(c) {
  cases.push({
    style: c.style ?? STYLES[styleTurn++ % STYLES.length],
    label: c.label ?? '',
    message: c.message ?? '',
    color: c.color ?? pick(['#4b0', 'blue', 'f37626', '#f37626', 'yellow', 'lightgrey']),
    labelColor: c.labelColor,
    logo: c.logo ?? (random() < 0.5 ? 'jupyter' : 'none'),
    expectError: c.expectError ?? false,
  })
}

// 1. Every printable ASCII character alone, in every style, as label and as message; then every pair.
const printable = Array.from({ length: 95 }, (_, i) => String.fromCharCode(32 + i))
for (const ch of printable) {
  for (const style of STYLES) {
    add({ style, label: ch, message: 'x', logo: 'none' })
    add({ style, label: 'y', message: ch, logo: 'jupyter' })
  }
}
for (const a of printable) for (const b of printable) add({ label: a + b, message: b + a })

// 2. Random ASCII strings, words and phrases.
const randomAscii = n => Array.from({ length: n }, () => pick(printable)).join('')
for (let i = 0; i < 2000; i++) add({ label: randomAscii(int(40)), message: randomAscii(int(40)) })
const words = [
  'Open in', 'labgate', 'build', 'passing', 'failing', 'coverage', '97%', 'v1.2.3', 'launch', 'binder',
  'docs', 'MIT', 'Jupyter Notebook', 'npm', 'downloads', '1.2k/month', 'chat', 'on gitter', 'a & b',
  '<script>alert(1)</script>', '"quoted"', "it's", 'x > y', 'WWWWWWWW', 'iiiiiiii', 'mmm', '...',
]
for (const w of words) {
  for (const style of STYLES) {
    for (const logo of ['jupyter', 'none']) {
      add({ style, logo, label: w, message: pick(words) })
      add({ style, logo, label: pick(words), message: w, labelColor: pick([undefined, '#555', 'white']) })
    }
  }
}

// 3. Empty and white-space-only parts, and trimming of every JavaScript white space character.
const spaces = [' ', '\u00a0', '\u1680', '\u2000', '\u200a', '\u2028', '\u2029', '\u202f', '\u205f', '\u3000', '\ufeff']
for (const style of STYLES) {
  for (const logo of ['jupyter', 'none']) {
    for (const labelColor of [undefined, '#fff', 'blue']) {
      add({ style, logo, labelColor, label: '', message: '' })
      add({ style, logo, labelColor, label: '', message: 'message' })
      add({ style, logo, labelColor, label: 'label', message: '' })
      add({ style, logo, labelColor, label: '   ', message: ' \u3000 ' })
    }
  }
  for (const sp of spaces) {
    add({ style, label: `${sp}lab${sp}el${sp}`, message: `${sp}${sp}msg${sp}` })
    add({ style, label: sp, message: `${sp}\u00e9${sp}` })
  }
}

// 4. Long text, up to the limit, and over it (refused).
const longs = [
  'W'.repeat(TEXT_MAX), randomAscii(TEXT_MAX), '\u20ac'.repeat(85), '\u{1F600}'.repeat(64), 'i'.repeat(200),
  '\u00df'.repeat(128), '\u{10428}'.repeat(64),
]
for (const s of longs) for (const style of STYLES) add({ style, label: s, message: head(s, 10) })
add({ label: 'W'.repeat(TEXT_MAX + 1), message: 'x', expectError: true })
add({ label: 'x', message: '\u20ac'.repeat(86), expectError: true })
add({ label: 'bad\u0007bell', message: 'x', expectError: true })
add({ label: 'x', message: 'c1\u0085', expectError: true })
add({ label: 'x', message: 'nonchar\uffff', expectError: true })

// 5. Other scripts, case mappings that change length, astral code points and unassigned ones.
const samples = [
  'àéîõüçñÿ', 'ÀÉÎÕÜÇÑŸ', 'straße', 'ﬁﬂﬀ', 'ŉǰ', 'µ', 'Ωμέγα ΐΰ', 'ᾳῳ ᾼ', 'ς σ Σ', 'Привет, мир', 'ёЁ',
  'և', 'Ǆǅǆ', 'ǉ', 'ı İ i̇', 'ⓐⓑ', 'ｆｕｌｌ', '你好世界', '日本語のテキスト', '한국어', 'مرحبا', 'שלום',
  'नमस्ते', 'ไทย', '😀🎉👍🏽', '👨‍👩‍👧', '🇩🇪', '𐐨𐐩𐐪', '𝔘𝔫𝔦𝔠𝔬𝔡𝔢', '\u0378\u0379', '\ue000\uf8ff',
  '\u{2fffd}\u{3fffd}', '\u{e0001}\u{e007f}', '\u{10ffff}', '\ufdd0\ufdef', 'a\u0301e\u0308', '\u{1f9ff}',
  '\u{16e60}\u{1e922}', '\u{10cc0}\u{118c0}',
]
for (const s of samples) {
  for (const style of STYLES) {
    add({ style, label: s, message: s })
    add({ style, label: head(s, 1), message: 'x' })
  }
}
function randomCodePoint() {
  for (;;) {
    const r = random()
    const cp = r < 0.5 ? int(0x800) : r < 0.8 ? int(0x10000) : r < 0.9 ? 0x10000 + int(0x10000) : int(0x110000)
    if (allowed(cp)) return cp
  }
}
const randomUnicode = n => String.fromCodePoint(...Array.from({ length: n }, randomCodePoint))
for (let i = 0; i < 3000; i++) {
  let label = randomUnicode(int(20))
  let message = randomUnicode(int(20))
  while (bytes(label) > TEXT_MAX) label = head(label, Array.from(label).length - 1)
  while (bytes(message) > TEXT_MAX) message = head(message, Array.from(message).length - 1)
  add({ label, message })
}

// 6. The whole BMP and the supplementary planes in runs, through all three width tables and the
//    upper-case and capitalize rules.
function runs(from, to, size) {
  const out = []
  for (let start = from; start <= to; start += size) {
    const cps = []
    for (let cp = start; cp < start + size && cp <= to; cp++) if (allowed(cp)) cps.push(cp)
    if (cps.length) out.push(String.fromCodePoint(...cps))
  }
  return out
}
const bmpRuns = runs(0x20, 0xffff, 16)
const astralRuns = [...runs(0x10000, 0x1ffff, 64), ...runs(0xe0000, 0xe01ff, 64)]
for (const [i, s] of [...bmpRuns, ...astralRuns].entries()) {
  const style = ['for-the-badge', 'social', 'flat'][i % 3]
  add({ style, label: s, message: s, logo: 'none' })
}
for (let cp = 0x10000; cp < 0x110000; cp += 0x1000 + int(0x1000)) {
  if (allowed(cp)) add({ label: String.fromCodePoint(cp, cp + 1), message: String.fromCodePoint(cp + 2) })
}

// 7. Colours: shields names and aliases, hex shorthand, CSS syntax with its corner cases, random ones,
//    and grey levels and mixtures around the 0.69 brightness threshold that picks the text colour.
const colorSamples = [
  'brightgreen', 'green', 'yellow', 'yellowgreen', 'orange', 'red', 'blue', 'grey', 'lightgrey', 'gray',
  'lightgray', 'critical', 'important', 'success', 'informational', 'inactive', 'abc', 'ABC', 'aBc123',
  'f37626', 'FFF', 'fff', '000000', '#abc', '#ABCDEF', '#abcd', '#aabbccdd', '#AbCdEf', 'white', 'black',
  'rebeccapurple', 'aliceblue', 'RED', 'Red', 'transparent', 'rgb(1,2,3)', 'rgba(1, 2, 3, 0.5)',
  'rgb( 10 , 20 , 30 )', 'rgb(100% 0% 50% / 50%)', 'rgb(100%,0%,50%)', 'rgba(255 255 255 / .5)',
  'rgb(300,0,0)', 'rgb(1000000000000000000000,0,0)', 'rgb(99999999999999999999,0,0)', 'rgb(1e3,0,0)',
  'rgb(1.5,0,0)', 'RGB(1,2,3)', 'rgb(1,2)', 'rgb(1,2,3,4)', 'rgb(1,2,3,1)', 'rgb(1,2,3,0)', 'rgb(1,2,3,10%)',
  'rgb(1 2 3/0.5)', 'rgb(1 ,2 ,3)', 'rgb(1, 2 3)', 'hsl(120, 50%, 50%)', 'hsla(120,50%,50%,0.3)',
  'hsl(2rad, 100%, 25%)', 'hsl(200grad,10%,90%)', 'hsl(1turn, 20%, 80%)', 'hsl(7200deg, 99%, 1%)',
  'hsl(359, 100%, 100%)', 'hsl(1.5turn, 1%, 1%)', 'hsl(120 50% 50%)', 'hsl(10,500%,50%)', 'hsl(0,0%,0%)',
  ' red', 'red ', ' #abc ', '\u00a0blue\u3000', 'rgb(\u00a01,2,3\u2028)', ' abc', 'abc ', '#ab', '#abcde',
  'abcd', 'ggg', '#ggg', '', 'constructor', 'toString', '__proto__', 'hasOwnProperty', ' constructor',
  'valueOf', 'x'.repeat(COLOR_MAX + 1), `rgb(${'0'.repeat(60)}1,0,0)`,
]
const randomColor = () => {
  const sp = () => pick(['', ' ', '  ', '\u00a0'])
  const n = () => String(pick([0, 1, 9, 50, 100, 127, 128, 177, 178, 200, 255, 256, 999, int(300), int(1000)]))
  switch (int(6)) {
    case 0:
      return `rgb(${sp()}${n()}${sp()},${sp()}${n()}${sp()},${sp()}${n()}${sp()})`
    case 1:
      return `rgba(${n()}%, ${n()}%, ${n()}%${pick(['', ', 0.5', ', 1', ', 50%', ', .25'])})`
    case 2:
      return `rgb(${n()} ${n()} ${n()}${pick(['', ' / 0.5', '/1', ' / 30%'])})`
    case 3:
      return `hsl(${n()}${pick(['', 'deg', 'rad', 'grad', 'turn'])}, ${n()}%, ${n()}%)`
    case 4:
      return `${pick(['', '#'])}${Array.from({ length: 2 + int(8) }, () => pick('0123456789abcdefABCDEFg')).join('')}`
    default:
      return `rgb(${int(256)},${int(256)},${int(256)})`
  }
}
const colors = [...colorSamples]
for (let i = 0; i < 3000; i++) colors.push(randomColor())
for (let v = 0; v < 256; v++) colors.push(`rgb(${v},${v},${v})`)
for (let r = 0; r < 256; r++) {
  for (let g = 0; g < 256; g++) {
    const rest = 177225 - 299 * r - 587 * g // 177225 / 255000 is exactly 0.695
    if (rest >= 0 && rest % 114 === 0 && rest / 114 < 256) colors.push(`rgb(${r},${g},${rest / 114})`)
  }
}
const inherited = c => c in Object.prototype || c.trim() in Object.prototype
function badgeMakerAccepts(c) {
  if (c === '' || bytes(c) > COLOR_MAX || inherited(c)) return c === '' // empty: our default
  try {
    return normalizeColor(c) !== undefined
  } catch {
    return false
  }
}
for (const c of colors) {
  const ok = badgeMakerAccepts(c)
  add({ color: c, label: pick(['', 'build', 'label']), message: pick(['passing', 'ok', '']), expectError: !ok })
  add({ labelColor: c, label: pick(['', 'build']), message: pick(['passing', 'x']), expectError: !ok && c !== '' })
}

// Render everything with both and compare.
const query = c =>
  [
    ['style', c.style],
    ['label', c.label],
    ['message', c.message],
    ['color', c.color],
    ['logo', c.logo],
    ...(c.labelColor === undefined ? [] : [['labelColor', c.labelColor]]),
  ]
    .map(([k, v]) => `${k}=${encodeURIComponent(v)}`)
    .join('&')

function expected(c) {
  const format = { label: c.label, message: c.message, style: c.style }
  format.color = c.color === '' ? DEFAULT_COLOR : c.color
  if (c.labelColor) format.labelColor = c.labelColor
  if (c.logo === 'jupyter') format.logoBase64 = logos[c.style]
  return makeBadge(format)
}

function firstDifference(a, b) {
  let i = 0
  while (i < a.length && a[i] === b[i]) i++
  return i
}

let matched = 0
const failures = []
const BATCH = 4000
for (let start = 0; start < cases.length; start += BATCH) {
  const batch = cases.slice(start, start + BATCH)
  const r = spawnSync(dump, [], {
    input: batch.map(query).join('\n') + '\n',
    encoding: 'utf8',
    maxBuffer: 1 << 30,
  })
  if (r.status !== 0) throw new Error(`badge_dump exited with ${r.status}: ${r.stderr}`)
  const lines = r.stdout.split('\n')
  batch.forEach((c, i) => {
    const got = lines[i]
    if (c.expectError) {
      if (got.startsWith('error: ')) matched++
      else failures.push({ c, want: 'error: ...', got })
      return
    }
    const want = expected(c)
    if (got === want) matched++
    else failures.push({ c, want, got })
  })
}

for (const f of failures.slice(0, 10)) {
  const at = firstDifference(f.want, f.got)
  console.log(`MISMATCH ${JSON.stringify({ ...f.c, expectError: undefined })}`)
  console.log(`  query: ${query(f.c)}`)
  console.log(`  first difference at ${at}`)
  console.log(`  badge-maker: ...${f.want.slice(Math.max(0, at - 80), at + 80)}`)
  console.log(`  labgate:     ...${(f.got ?? '').slice(Math.max(0, at - 80), at + 80)}`)
}
const refusals = cases.filter(c => c.expectError).length
console.log(
  `${matched} of ${cases.length} cases matched badge-maker (${cases.length - refusals} SVGs compared byte for byte, ` +
    `${refusals} values refused where badge-maker falls back), ${failures.length} differ`,
)
process.exit(failures.length === 0 ? 0 : 1)
