import { describe, expect, it } from 'vitest'
import { eveningCard, workbenchUrl } from '../../src/server/modules/reports/evening-card'
import { cardLines, lastAppMessageText } from '../../src/simulator/app-messages'

describe('the evening report’s text card', () => {
  it('says her day and tomorrow in WeCom’s card styles, and opens the workbench', () => {
    const card = eveningCard({
      day: '2026-11-29',
      salesFen: 1_234_550,
      orders: 3,
      tasksDone: 2,
      tomorrowTasks: 5,
      url: workbenchUrl('https://guide.example.com/'),
    })
    expect(card).toEqual({
      title: '今日小结 · 11月29日',
      description:
        '<div class="gray">2026年11月29日 周日</div>' +
        '<div class="normal">今日销售 ¥12,345.50 · 3 单</div>' +
        '<div class="normal">完成任务 2 项</div>' +
        '<div class="highlight">明日待办 5 项</div>',
      url: 'https://guide.example.com/#/workbench',
      btntxt: '去工作台',
    })
    // Within WeCom's limits: title 128 bytes, description 512, button 4 characters.
    expect(Buffer.byteLength(card.title)).toBeLessThanOrEqual(128)
    expect(Buffer.byteLength(card.description)).toBeLessThanOrEqual(512)
    expect([...card.btntxt].length).toBeLessThanOrEqual(4)
  })
})

describe('the simulator’s app chat', () => {
  it('shows the card’s lines with WeCom’s styles, as text and never as HTML', () => {
    const card = eveningCard({
      day: '2026-11-25',
      salesFen: 0,
      orders: 0,
      tasksDone: 0,
      tomorrowTasks: 1,
      url: 'http://x/#/workbench',
    })
    expect(cardLines(card.description)).toEqual([
      { style: 'gray', text: '2026年11月25日 周三' },
      { style: 'normal', text: '今日销售 ¥0 · 0 单' },
      { style: 'normal', text: '完成任务 0 项' },
      { style: 'highlight', text: '明日待办 1 项' },
    ])
    expect(cardLines('第一行<br>第二行 <b>粗</b> &lt;script&gt;')).toEqual([
      { style: 'normal', text: '第一行' },
      { style: 'normal', text: '第二行 粗 <script>' },
    ])
  })

  it('lists the last message’s title, or says there is none', () => {
    expect(lastAppMessageText([])).toBe('暂无消息')
    const base = { msgid: 'm', at: 0, url: null, btntxt: null }
    expect(lastAppMessageText([{ ...base, msgtype: 'textcard', title: '今日小结', description: '' }])).toBe('今日小结')
    expect(lastAppMessageText([{ ...base, msgtype: 'text', title: '', description: '<a href="x">你好</a>' }])).toBe('你好')
  })
})
