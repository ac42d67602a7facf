/**
 * The demo's reply images, drawn as PNG: a size chart, a care label and a store map.
 * Text is not drawn (no fonts here); the shapes read as what they are, and the reply's
 * own text says the rest.
 */
import { Canvas } from '../../modules/media/png'

export function sizeChartPng(accent: string): Buffer {
  const c = new Canvas(600, 420, '#faf8f5')
  c.rect(0, 0, 600, 64, accent)
  // A table: header row and six size rows, five columns.
  for (let row = 0; row <= 7; row++) c.rect(40, 96 + row * 40, 520, 2, row === 1 ? '#b9aea0' : '#e2ddd6')
  for (let col = 0; col <= 5; col++) c.rect(40 + col * 104, 96, 2, 282, '#e2ddd6')
  c.rect(42, 98, 518, 38, '#efe9e1')
  // Highlight the M row.
  c.rect(42, 216, 518, 38, '#fde9c8')
  return c.toPng()
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
