/** Response shapes of the WeCom server APIs we call, as documented (fields we read). */

export interface WecomResult {
  errcode: number
  errmsg: string
}

export interface TokenResult extends WecomResult {
  access_token: string
  expires_in: number
}

export interface TicketResult extends WecomResult {
  ticket: string
  expires_in: number
}

export interface UserInfoByCodeResult extends WecomResult {
  userid?: string
  user_ticket?: string
  openid?: string
  external_userid?: string
}

export interface UserResult extends WecomResult {
  userid: string
  name?: string
  avatar?: string
  thumb_avatar?: string
}

export interface ExternalContactTag {
  group_name?: string
  tag_name: string
  type: number
  tag_id?: string
}

export interface FollowUser {
  userid: string
  remark?: string
  description?: string
  createtime?: number
  tags?: ExternalContactTag[]
  remark_corp_name?: string
  remark_mobiles?: string[]
  oper_userid?: string
  add_way?: number
  state?: string
}

export interface ExternalContact {
  external_userid: string
  name: string
  avatar?: string
  type: number
  gender?: number
  unionid?: string
  position?: string
  corp_name?: string
  corp_full_name?: string
}

export interface ExternalContactResult extends WecomResult {
  external_contact: ExternalContact
  follow_user: FollowUser[]
  next_cursor?: string
}

export interface ExternalContactListResult extends WecomResult {
  external_userid?: string[]
}

export interface FollowInfo {
  userid: string
  remark?: string
  description?: string
  createtime?: number
  tag_id?: string[]
  remark_corp_name?: string
  remark_mobiles?: string[]
  oper_userid?: string
  add_way?: number
  state?: string
}

export interface BatchGetByUserResult extends WecomResult {
  external_contact_list: { external_contact: ExternalContact; follow_info: FollowInfo }[]
  next_cursor?: string
}

export interface GroupChatMember {
  userid: string
  /** 1 a member of the company, 2 an external contact. */
  type: number
  unionid?: string
  join_time?: number
  join_scene?: number
  group_nickname?: string
  name?: string
}

export interface GroupChatResult extends WecomResult {
  group_chat: {
    chat_id: string
    name?: string
    owner: string
    create_time?: number
    notice?: string
    member_list?: GroupChatMember[]
    admin_list?: { userid: string }[]
  }
}

export interface CorpTagListResult extends WecomResult {
  tag_group: {
    group_id: string
    group_name: string
    create_time?: number
    order?: number
    deleted?: boolean
    tag: { id: string; name: string; create_time?: number; order?: number; deleted?: boolean }[]
  }[]
}

export interface MediaUploadResult extends WecomResult {
  type: string
  media_id: string
  /** Seconds, as a string. */
  created_at: string
}

/** An app message's content (`message/send`): the two kinds we send. */
export type AppMessage =
  | { msgtype: 'text'; text: { content: string } }
  | { msgtype: 'textcard'; textcard: { title: string; description: string; url: string; btntxt?: string } }

/** Recipients WeCom did not know are reported here (`a|b`), not as an error. */
export interface AppMessageResult extends WecomResult {
  invaliduser?: string
  invalidparty?: string
  invalidtag?: string
  unlicenseduser?: string
  msgid?: string
}
