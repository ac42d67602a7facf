import { describe, expect, it } from 'vitest'
import type { SimulatorChat } from '../../src/shared/simulator'
import { chatKey, contextFor, describeMessage, lastLineText, type Line, sentLine } from '../../src/simulator/transcript'

describe('contextFor', () => {
  it('opens the sidebar in the entry of what is selected', () => {
    expect(contextFor({ kind: 'workbench' })).toEqual({ entry: 'normal' })
    expect(contextFor({ kind: 'single', id: 'wm1' })).toEqual({ entry: 'single_chat_tools', externalUserId: 'wm1' })
    expect(contextFor({ kind: 'single', id: 'wm1', profile: true })).toEqual({
      entry: 'contact_profile',
      externalUserId: 'wm1',
    })
    expect(contextFor({ kind: 'group', id: 'wr1' })).toEqual({ entry: 'group_chat_tools', chatId: 'wr1' })
  })
})

describe('chatKey', () => {
  it('keys a customer by her external id and a group by its chat id', () => {
    const single: SimulatorChat = {
      kind: 'single',
      externalUserId: 'wm1',
      title: '李女士',
      wechatName: 'Li',
      avatar: '',
      corpName: null,
      lines: [],
    }
    expect(chatKey(single)).toBe('wm1')
    expect(chatKey({ kind: 'group', chatId: 'wr1', title: '群', memberCount: 3, lines: [] })).toBe('wr1')
  })
})

describe('sentLine', () => {
  it('turns each kind of message into a line of the chat', () => {
    expect(sentLine({ msgtype: 'text', text: { content: '您好' } }, 1)).toEqual({
      from: 'guide',
      at: 1,
      viaSidebar: true,
      text: '您好',
    })
    expect(
      sentLine({ msgtype: 'news', news: { title: '新品', desc: '看看', imgUrl: '/a.jpg', link: 'https://a.cn' } }, 1).card,
    ).toEqual({
      kind: 'news',
      title: '新品',
      desc: '看看',
      imgUrl: '/a.jpg',
      link: 'https://a.cn',
    })
    expect(sentLine({ msgtype: 'miniprogram', miniprogram: { title: '商城', imgUrl: '/m.jpg' } }, 1).card).toEqual({
      kind: 'miniprogram',
      title: '商城',
      imgUrl: '/m.jpg',
    })
    expect(sentLine({ msgtype: 'image', image: { mediaid: 'm 1' } }, 1).image).toBe('/simulator/api/media/m%201')
    expect(sentLine({ msgtype: 'video' }, 1).text).toBe('[video]')
    // No msgtype is a text, as in WeCom.
    expect(sentLine({ text: { content: '嗨' } }, 1).text).toBe('嗨')
  })
})

describe('describeMessage', () => {
  it('says what will be sent', () => {
    expect(describeMessage({ msgtype: 'text', text: { content: '您好' } })).toBe('您好')
    expect(describeMessage({ msgtype: 'image', image: { mediaid: 'm1' } })).toBe('[图片]')
    expect(describeMessage({ msgtype: 'news', news: { title: '新品' } })).toBe('[链接] 新品')
    expect(describeMessage({ msgtype: 'miniprogram', miniprogram: { title: '商城' } })).toBe('[小程序] 商城')
  })
})

describe('lastLineText', () => {
  it('shows the last text, a card’s title, or an image', () => {
    const said: Line = { from: 'customer', text: '在吗', at: 1 }
    expect(lastLineText([])).toBe('')
    expect(lastLineText([said])).toBe('在吗')
    expect(lastLineText([said, sentLine({ msgtype: 'news', news: { title: '新品' } }, 2)])).toBe('新品')
    expect(lastLineText([said, sentLine({ msgtype: 'image', image: { mediaid: 'm1' } }, 2)])).toBe('[图片]')
  })
})
