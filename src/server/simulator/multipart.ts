/**
 * The first file part of a multipart/form-data body: enough for WeCom's one-file uploads,
 * as our own WeCom client sends them to the stand-in. The API's own upload reads forms with
 * @fastify/multipart instead.
 */
export function readMultipartFile(
  body: Buffer | null,
  contentType: string,
): { name: string; filename: string; contentType: string; bytes: Buffer } | null {
  const boundary = /boundary=(?:"([^"]+)"|([^;]+))/i.exec(contentType)
  if (!body || !boundary) return null
  const delimiter = Buffer.from(`--${boundary[1] ?? boundary[2]}`)
  const start = body.indexOf(delimiter)
  if (start === -1) return null
  const headerEnd = body.indexOf('\r\n\r\n', start)
  if (headerEnd === -1) return null
  const headers = body.toString('utf8', start + delimiter.length, headerEnd)
  const end = body.indexOf(Buffer.concat([Buffer.from('\r\n'), delimiter]), headerEnd + 4)
  if (end === -1) return null
  return {
    name: /name="([^"]*)"/i.exec(headers)?.[1] ?? '',
    filename: /filename="([^"]*)"/i.exec(headers)?.[1] ?? '',
    contentType: /content-type:\s*([^\r\n]+)/i.exec(headers)?.[1]?.trim() ?? 'application/octet-stream',
    bytes: body.subarray(headerEnd + 4, end),
  }
}
