/**
 * The simulator page's own small API (simulator mode only). Not part of the product's
 * contract; shared so the page and the server agree on it.
 */
export interface SimulatorGuide {
  userId: string
  name: string
  position: string
  storeName: string
  avatar: string
}

export interface SimulatorChatLine {
  from: 'customer' | 'guide'
  text: string
  at: number
}

export type SimulatorChat =
  | {
      kind: 'single'
      externalUserId: string
      /** What this guide sees in her chat list: her remark, else the WeChat name. */
      title: string
      wechatName: string
      avatar: string
      corpName: string | null
      lines: SimulatorChatLine[]
    }
  | {
      kind: 'group'
      chatId: string
      title: string
      memberCount: number
      lines: SimulatorChatLine[]
    }

/** An app message a member received (`message/send`), shown in the app's chat (应用消息). */
export interface SimulatorAppMessage {
  msgid: string
  at: number
  msgtype: 'text' | 'textcard'
  title: string
  description: string
  url: string | null
  btntxt: string | null
}

export interface SimulatorWorldView {
  corpName: string
  guides: SimulatorGuide[]
  /** Chats per guide userid. */
  chats: Record<string, SimulatorChat[]>
  /** App messages per guide userid, oldest first. */
  appMessages: Record<string, SimulatorAppMessage[]>
}

export interface AgentConfigCheck {
  url: string
  corpid: string
  agentid: string
  timestamp: number
  nonceStr: string
  signature: string
}

export type AgentConfigVerdict = { ok: true } | { ok: false; errMsg: string; errCode: number }

export const SIMULATOR_USER_COOKIE = 'gs_sim_user'
