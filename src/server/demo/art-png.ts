/**
 * The demo's reply images, drawn as PNG: a size chart, a care label and a store map.
 * The size chart is a real table, drawn by resvg with whatever fonts the machine has
 * (Chinese headers need a CJK font such as WenQuanYi or PingFang; numbers need any font).
 * The other two are shapes that read as what they are; the reply's own text says the rest.
 */
import { Resvg } from '@resvg/resvg-js'
import { Canvas } from '../modules/media/png'

const CHART_FONTS =
  'PingFang SC, Microsoft YaHei, WenQuanYi Micro Hei, Noto Sans CJK SC, Source Han Sans SC, DejaVu Sans, sans-serif'

const CHARTS = {
  tops: {
    title: '上装尺码表 SIZE GUIDE',
    columns: ['尺码', '胸围', '肩宽', '衣长', '袖长'],
    rows: [
      ['XS', '82', '36', '58', '56'],
      ['S', '86', '37', '60', '57'],
      ['M', '90', '38', '62', '58'],
      ['L', '94', '39.5', '64', '59'],
      ['XL', '100', '41', '66', '60'],
    ],
  },
  bottoms: {
    title: '下装尺码表 SIZE GUIDE',
    columns: ['尺码', '腰围', '臀围', '裤长', '对应'],
    rows: [
      ['25', '64', '88', '98', 'XS'],
      ['26', '67', '91', '99', 'S'],
      ['27', '70', '94', '100', 'M'],
      ['28', '73', '97', '101', 'M/L'],
      ['29', '76', '100', '102', 'L'],
      ['30', '79', '103', '103', 'XL'],
    ],
  },
} as const

const escape = (text: string) => text.replace(/&/g, '&amp;').replace(/</g, '&lt;')

// Drawing one costs a few hundred milliseconds (resvg reads the system's fonts each time);
// the seed and the tests ask for the same few charts again and again.
const drawn = new Map<string, Buffer>()

/** A size chart (cm) with the size most customers wear highlighted, in the given accent. */
export function sizeChartPng(accent: string, kind: keyof typeof CHARTS = 'tops'): Buffer {
  const key = `${kind} ${accent}`
  let png = drawn.get(key)
  if (!png) {
    png = drawChart(accent, kind)
    drawn.set(key, png)
  }
  return png
}

function drawChart(accent: string, kind: keyof typeof CHARTS): Buffer {
  const chart = CHARTS[kind]
  const width = 600
  const top = 96
  const rowHeight = 44
  const height = top + rowHeight * (chart.rows.length + 1) + 56
  const colWidth = (width - 64) / chart.columns.length
  const highlight = chart.rows.findIndex((row) => row[0] === 'M' || row[0] === '27')
  const cell = (text: string, col: number, row: number, bold = false) =>
    `<text x="${32 + colWidth * col + colWidth / 2}" y="${top + rowHeight * row + 28}" text-anchor="middle" font-size="19" ${
      bold ? 'font-weight="700"' : ''
    } fill="${row === 0 ? '#5c5048' : '#2b2622'}">${escape(text)}</text>`
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" font-family="${CHART_FONTS}">
<rect width="${width}" height="${height}" fill="#faf8f5"/>
<rect width="${width}" height="64" fill="${accent}"/>
<text x="32" y="41" font-size="22" font-weight="700" fill="#ffffff" letter-spacing="1">${escape(chart.title)}</text>
<rect x="32" y="${top}" width="${width - 64}" height="${rowHeight}" fill="#efe9e1"/>
${highlight >= 0 ? `<rect x="32" y="${top + rowHeight * (highlight + 1)}" width="${width - 64}" height="${rowHeight}" fill="#fde9c8"/>` : ''}
${chart.rows.map((_, i) => `<rect x="32" y="${top + rowHeight * (i + 1)}" width="${width - 64}" height="1" fill="#e2ddd6"/>`).join('')}
${chart.columns.map((c, i) => cell(c, i, 0, true)).join('')}
${chart.rows.map((row, r) => row.map((value, c) => cell(value, c, r + 1, c === 0)).join('')).join('')}
<text x="32" y="${height - 22}" font-size="15" fill="#8a8079">单位：厘米（cm） · 平铺测量，误差 1–2 cm</text>
</svg>`
  return Buffer.from(new Resvg(svg, { font: { loadSystemFonts: true, defaultFontFamily: 'DejaVu Sans' } }).render().asPng())
}

export function careLabelPng(): Buffer {
  const c = new Canvas(480, 480, '#ffffff')
  c.rect(30, 30, 420, 420, '#f4f1ec')
  // Four care symbols: wash tub, triangle, square (dry), iron: drawn as simple forms.
  c.rect(70, 90, 140, 90, '#6b8fb5').rect(80, 100, 120, 70, '#f4f1ec')
  c.circle(340, 135, 55, '#c3c4c6').circle(340, 135, 42, '#f4f1ec')
  c.rect(70, 280, 140, 140, '#8fa3b8').rect(85, 295, 110, 110, '#f4f1ec')
  c.rect(280, 330, 130, 60, '#a8693b').rect(270, 300, 70, 30, '#a8693b')
  return c.toPng()
}

export function storeMapPng(): Buffer {
  const c = new Canvas(640, 400, '#eef1ec')
  // Streets, blocks, the mall and a pin.
  c.rect(0, 180, 640, 36, '#ffffff').rect(300, 0, 36, 400, '#ffffff')
  c.rect(40, 40, 220, 110, '#dfe5da').rect(380, 40, 220, 110, '#dfe5da').rect(40, 250, 220, 110, '#dfe5da')
  c.rect(380, 250, 220, 110, '#c9d6e8')
  c.circle(490, 290, 26, '#d54941').circle(490, 290, 10, '#ffffff')
  return c.toPng()
}
