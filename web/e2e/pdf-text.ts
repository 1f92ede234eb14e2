// A small, dependency-free text extractor for the PDFs Chromium prints (Skia): it inflates the
// streams (node:zlib), reads each font's ToUnicode CMap, and maps the glyph strings of the page
// content (`/Fn size Tf` then `<hex> Tj` / `[<hex> …] TJ`) back to Unicode. Enough to check the
// amounts a printed document shows; not a general PDF parser.
import { inflateSync } from 'node:zlib'

interface PdfObject {
  dict: string
  stream: Buffer | null
}

function objects(pdf: Buffer): Map<number, PdfObject> {
  const out = new Map<number, PdfObject>()
  const text = pdf.toString('latin1')
  const re = /(\d+) 0 obj\s*/g
  let m: RegExpExecArray | null
  while ((m = re.exec(text))) {
    const start = m.index + m[0].length
    const end = text.indexOf('endobj', start)
    if (end < 0) break
    const body = text.slice(start, end)
    const s = body.indexOf('stream')
    let stream: Buffer | null = null
    let dict = body
    if (s >= 0 && /^\s*<</.test(body)) {
      dict = body.slice(0, s)
      let from = start + s + 'stream'.length
      if (text[from] === '\r') from++
      if (text[from] === '\n') from++
      const length = /\/Length (\d+)(?! 0 R)/.exec(dict)
      const to = length ? from + Number(length[1]) : text.indexOf('endstream', from)
      const raw = pdf.subarray(from, to)
      try {
        stream = /\/FlateDecode/.test(dict) ? inflateSync(raw) : raw
      } catch {
        stream = null
      }
    }
    out.set(Number(m[1]), { dict, stream })
    re.lastIndex = end
  }
  return out
}

function hexToCodes(hex: string, bytes: number): number[] {
  const clean = hex.replace(/\s+/g, '')
  const codes: number[] = []
  for (let i = 0; i + bytes * 2 <= clean.length; i += bytes * 2) codes.push(parseInt(clean.slice(i, i + bytes * 2), 16))
  return codes
}

function utf16(hex: string): string {
  const units = hexToCodes(hex, 2)
  return String.fromCharCode(...units)
}

/** ToUnicode CMap → code → text, and the code width in bytes. */
function cmap(source: string): { map: Map<number, string>; bytes: number } {
  const map = new Map<number, string>()
  let bytes = 2
  const range = /begincodespacerange\s*<([0-9a-fA-F]+)>/.exec(source)
  if (range?.[1]) bytes = range[1].length / 2
  for (const block of source.match(/beginbfchar([\s\S]*?)endbfchar/g) ?? []) {
    for (const p of block.matchAll(/<([0-9a-fA-F]+)>\s*<([0-9a-fA-F]+)>/g)) map.set(parseInt(p[1]!, 16), utf16(p[2]!))
  }
  for (const block of source.match(/beginbfrange([\s\S]*?)endbfrange/g) ?? []) {
    for (const p of block.matchAll(/<([0-9a-fA-F]+)>\s*<([0-9a-fA-F]+)>\s*(<([0-9a-fA-F]+)>|\[([^\]]*)\])/g)) {
      const lo = parseInt(p[1]!, 16)
      const hi = parseInt(p[2]!, 16)
      if (p[4]) {
        const base = hexToCodes(p[4], 2)
        for (let c = lo; c <= hi; c++) {
          const units = [...base]
          units[units.length - 1] = (units[units.length - 1] ?? 0) + (c - lo)
          map.set(c, String.fromCharCode(...units))
        }
      } else if (p[5]) {
        const items = [...p[5].matchAll(/<([0-9a-fA-F]+)>/g)].map((x) => utf16(x[1]!))
        items.forEach((t, i) => map.set(lo + i, t))
      }
    }
  }
  return { map, bytes }
}

export interface PdfText {
  pages: number
  text: string
}

/** The pages and the text of a PDF printed by Chromium (whitespace between runs dropped). */
export function pdfText(pdf: Buffer): PdfText {
  const objs = objects(pdf)
  // Font resource name (/F4) → ToUnicode map, from every resource dictionary.
  const fonts = new Map<string, { map: Map<number, string>; bytes: number }>()
  const fontByObject = (n: number) => {
    const f = objs.get(n)
    const tu = f && /\/ToUnicode (\d+) 0 R/.exec(f.dict)
    const stream = tu ? objs.get(Number(tu[1]))?.stream : null
    return stream ? cmap(stream.toString('latin1')) : null
  }
  for (const o of objs.values()) {
    const fontDict = /\/Font\s*<<([^>]*)>>/.exec(o.dict)
    if (!fontDict?.[1]) continue
    for (const f of fontDict[1].matchAll(/\/(\S+?)\s+(\d+) 0 R/g)) {
      const m = fontByObject(Number(f[2]))
      if (m) fonts.set(f[1]!, m)
    }
  }
  let pages = 0
  let text = ''
  for (const o of objs.values()) {
    if (/\/Type\s*\/Page\b(?!s)/.test(o.dict)) pages++
    if (!o.stream || /\/Type|\/Subtype|\/Length1/.test(o.dict)) continue
    const content = o.stream.toString('latin1')
    if (!/\bT[Jj]\b/.test(content)) continue
    let font: { map: Map<number, string>; bytes: number } | undefined
    const ops = /\/(\S+)\s+[\d.]+\s+Tf|\[((?:[^\]\\]|\\.)*)\]\s*TJ|<([0-9a-fA-F\s]*)>\s*Tj|\bET\b/g
    for (const op of content.matchAll(ops)) {
      if (op[1]) font = fonts.get(op[1])
      else if (op[0] === 'ET') text += '\n'
      else if (font) {
        const hexes = op[2] !== undefined ? [...op[2].matchAll(/<([0-9a-fA-F\s]*)>/g)].map((x) => x[1]!) : [op[3]!]
        for (const h of hexes) for (const c of hexToCodes(h, font.bytes)) text += font.map.get(c) ?? ''
      }
    }
  }
  // NFKC folds the Kangxi radicals some CJK fonts map shared glyphs to (⼈ → 人).
  return { pages, text: text.normalize('NFKC') }
}
