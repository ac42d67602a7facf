/**
 * Filling a reply's variables. Shared so the server (which knows the customer) and the
 * manager's live preview (which shows a sample) produce the very same text.
 */
import type { MemberLevel } from './customer'
import { REPLY_VARIABLES } from './replies'

export interface FillValues {
  salutation: string
  guide: string
  store: string
  memberLevel: string
}

export type ReplyVariable = (typeof REPLY_VARIABLES)[number]

/** The value each variable takes. */
export const VARIABLE_VALUES: Record<ReplyVariable, keyof FillValues> = {
  '{称呼}': 'salutation',
  '{导购}': 'guide',
  '{门店}': 'store',
  '{会员等级}': 'memberLevel',
}

/** Any variable in a text, made from REPLY_VARIABLES so a new variable is matched everywhere at once. */
export const VARIABLE_PATTERN = new RegExp(REPLY_VARIABLES.map((v) => v.replace(/[{}]/g, '\\$&')).join('|'), 'g')

/** Her level as the brand's messages name it: Chinese whatever the guide's language, as she reads it. */
export const MEMBER_LEVEL_NAMES: Record<MemberLevel, string> = {
  normal: '普通会员',
  silver: '银卡会员',
  gold: '金卡会员',
  platinum: '铂金会员',
}

/** {会员等级} for someone who is not a member, or a group. */
export const ANY_MEMBER = '会员'

export function hasVariables(text: string): boolean {
  return REPLY_VARIABLES.some((v) => text.includes(v))
}

export function fillVariables(text: string, values: FillValues): string {
  return text.replace(VARIABLE_PATTERN, (variable) => values[VARIABLE_VALUES[variable as ReplyVariable]])
}

/**
 * Common Chinese surnames (the commonest two hundred or so cover nearly everyone), and the
 * two-character ones still in use. The remark is the guide's own note: only a word in it
 * that reads as a name may become how a message addresses her — never '孕期' or 'VIP大客户'.
 */
const SURNAMES = new Set(
  '王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付傅方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤常温康施文牛樊葛邢安齐易乔伍庞颜倪庄聂章鲁岳翟殷詹申欧耿关兰焦俞左柳甘祝包宁尚符舒阮柯纪梅童凌毕单季裴霍涂成苗谷盛曲翁冉骆蓝路游辛靳管柴蒙鲍华喻祁蒲房滕屈饶解牟艾尤阳时穆农司卓古吉缪简车项连芦麦褚娄窦戚岑景党宫费卜冷晏席卫米柏宗瞿桂全佟应臧闵苟邬边卞姬师和仇栾隋商刁沙荣巫寇桑郎甄丛仲虞敖巩明佘池查麻苑迟邝',
)
const COMPOUND_SURNAMES = ['欧阳', '司马', '上官', '诸葛', '东方', '皇甫', '尉迟', '公孙', '慕容', '长孙', '令狐', '夏侯', '司徒']
const HAN_RUN = /^[\u4e00-\u9fa5]+/

/** The name at the start of a remark ('张婷 静安 M码', '郑安琪静安S码'), with its surname, or null. */
function nameInRemark(remark: string): { name: string | null; surname: string } | null {
  const run = HAN_RUN.exec(remark.trim().split(/\s+/)[0] ?? '')?.[0] ?? ''
  const compound = COMPOUND_SURNAMES.find((s) => run.startsWith(s))
  const surname = compound ?? (SURNAMES.has(run.charAt(0)) ? run.charAt(0) : null)
  if (!surname || run.length < surname.length + 1) return null
  // Written in one run with more after it, the name's own length is unknown: the surname still is.
  return { name: run.length <= surname.length + 2 ? run : null, surname }
}

/**
 * How to address her: a real Chinese name becomes 张女士 / 张先生 (the name itself when her
 * gender is unknown); else her WeChat name as she chose it, without emoji; else 您.
 */
export function salutation(input: { remark: string; name: string; gender: number }): string {
  const fromRemark = nameInRemark(input.remark) ?? nameInRemark(input.name)
  if (fromRemark) {
    if (input.gender === 2) return `${fromRemark.surname}女士`
    if (input.gender === 1) return `${fromRemark.surname}先生`
    if (fromRemark.name) return fromRemark.name
  }
  const plain = input.name.replace(/[^\p{L}\p{N}\s·._-]/gu, '').trim()
  return plain || '您'
}
