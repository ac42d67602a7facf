/**
 * CSV as spreadsheets write it (RFC 4180): a header row, comma-separated fields, quotes
 * around fields that hold commas, quotes or line breaks (a quote inside doubled), CRLF
 * or LF line ends, and the UTF-8 byte order mark Excel puts first.
 */
export interface CsvRecord {
  /** 1-based line of the file where the record starts (the header is line 1). */
  line: number
  fields: string[]
}

export class CsvError extends Error {
  override name = 'CsvError'
  constructor(
    readonly line: number,
    message: string,
  ) {
    super(`line ${line}: ${message}`)
  }
}

/** Every record of `text`, the header included, in order. */
export function* parseCsv(text: string): Generator<CsvRecord> {
  let i = text.charCodeAt(0) === 0xfeff ? 1 : 0
  let line = 1
  const n = text.length
  while (i < n) {
    const start = line
    const fields: string[] = []
    for (;;) {
      let value = ''
      if (text[i] === '"') {
        i++
        for (;;) {
          if (i >= n) throw new CsvError(start, 'a quoted field is never closed')
          const ch = text[i]!
          if (ch === '"') {
            if (text[i + 1] === '"') {
              value += '"'
              i += 2
              continue
            }
            i++
            break
          }
          if (ch === '\n') line++
          value += ch
          i++
        }
        if (i < n && text[i] !== ',' && text[i] !== '\n' && text[i] !== '\r') {
          throw new CsvError(line, 'unexpected text after a closing quote')
        }
      } else {
        let end = i
        while (end < n && text[end] !== ',' && text[end] !== '\n' && text[end] !== '\r') end++
        value = text.slice(i, end)
        i = end
      }
      fields.push(value)
      if (text[i] === ',') {
        i++
        continue
      }
      break
    }
    if (text[i] === '\r') i++
    if (text[i] === '\n') i++
    line++
    // A blank line is not a record.
    if (fields.length === 1 && fields[0] === '') continue
    yield { line: start, fields }
  }
}
