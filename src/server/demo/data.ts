// Long: the demo world is data written out by hand; splitting it would scatter what one reads together.
/**
 * The demo world: one fashion brand (绮澜 QILAN), two stores, three guides, ~60 customers
 * with WeChat nicknames, remarks and tags on the WeCom side, and member records, a
 * catalogue of ~200 styles, two years of orders and outfit bundles on the CRM side.
 * Everything comes from seeded generators, so the simulator (WeCom's side) and the seeded
 * database (our CRM side) agree on every id.
 */
import type { ProductCategory } from '../../shared/catalog'
import type { RankingSchedule } from '../../shared/team'
import { STYLE_TAG_GROUP, STYLE_WORDS } from '../../shared/customer'
import { buildDemoBundles, type DemoBundle } from './bundles'
import {
  BOTTOM_SIZES,
  buildDemoCatalog,
  COLORS,
  garmentImageUrl,
  SHOE_SIZES,
  TOP_SIZES,
  type DemoProduct,
  type DemoStyleSpec,
} from './catalog'
import { Random } from './random'

export type { DemoBundle } from './bundles'
export type { DemoColor, DemoProduct, DemoProductImage, DemoSku, DemoStock } from './catalog'
export { garmentImageUrl }

export const DEMO_SEED = 20261125
const DAY = 24 * 3600 * 1000

export interface DemoStore {
  id: string
  name: string
  city: string
  /** Commission on credited sales, basis points. */
  commissionBp: number
  /** When its guides get the evening report ('HH:MM' China time); null: 21:00. */
  eveningReportAt: string | null
  /** The weekly ranking posted to its guides; null: none. */
  ranking: RankingSchedule | null
}

export interface DemoGuide {
  userId: string
  name: string
  position: string
  storeId: string
  role: 'guide' | 'manager'
  avatarColor: string
}

export interface DemoTag {
  id: string
  name: string
}

export interface DemoTagGroup {
  id: string
  name: string
  tags: DemoTag[]
}

export interface DemoFollow {
  userId: string
  remark: string
  description: string
  /** Epoch seconds, as WeCom gives it. */
  createtime: number
  corpTagIds: string[]
  personalTags: string[]
  addWay: number
  state: string
  remarkMobiles: string[]
}

export interface DemoCustomer {
  externalUserId: string
  name: string
  realName: string
  avatar: string
  gender: number
  type: number
  corpName: string | null
  follows: DemoFollow[]
}

export interface DemoGroup {
  chatId: string
  name: string
  owner: string
  notice: string
  createTime: number
  staff: string[]
  customers: { externalUserId: string; joinTime: number }[]
}

export interface DemoMember {
  id: string
  externalUserId: string
  phone: string
  name: string
  level: 'normal' | 'silver' | 'gold' | 'platinum'
  points: number
  storeId: string
  sizes: { top: string; bottom: string; dress: string; shoes: string }
  stylePreferences: string[]
  birthday: string
}

export interface DemoOrder {
  id: string
  memberId: string
  storeId: string
  purchasedAt: number
  /** The selling guide, when the CRM records one (the import's 导购). */
  guideUserId: string | null
  /** `productId` is the style; `color` and `size` say which SKU of it. */
  items: { productId: string; name: string; color: string; size: string; quantity: number; priceFen: number; returned: boolean }[]
}

export interface DemoMessage {
  from: 'customer' | 'guide'
  text: string
  at: number
}

export interface DemoData {
  corpName: string
  stores: DemoStore[]
  guides: DemoGuide[]
  tagGroups: DemoTagGroup[]
  customers: DemoCustomer[]
  groups: DemoGroup[]
  members: DemoMember[]
  /** The catalogue: styles with their colours, sizes, SKUs, pictures and stock per store. */
  products: DemoProduct[]
  orders: DemoOrder[]
  /** Outfit bundles: the brand's (corp) and a guide's own (personal). */
  bundles: DemoBundle[]
  /** Recent chat lines per customer, so the simulator's chat window does not start empty. */
  messages: Record<string, DemoMessage[]>
  /** This month's sales targets, for each guide and each store. */
  targets: DemoTarget[]
}

export interface DemoTarget {
  scope: 'guide' | 'store'
  scopeId: string
  /** YYYY-MM, China time. */
  month: string
  amountFen: number
}

const STORES: DemoStore[] = [
  {
    id: 'S001',
    name: '上海静安嘉里中心店',
    city: '上海',
    commissionBp: 300,
    eveningReportAt: null,
    // Monday morning, before the shop opens: last week's sales ranking.
    ranking: { weekday: 1, at: '09:30', metric: 'sales' },
  },
  { id: 'S002', name: '杭州湖滨银泰店', city: '杭州', commissionBp: 250, eveningReportAt: '20:30', ranking: null },
]

const GUIDES: DemoGuide[] = [
  { userId: 'wanglei', name: '王蕾', position: '店长', storeId: 'S001', role: 'manager', avatarColor: '#8e6c8a' },
  { userId: 'lina', name: '李娜', position: '导购', storeId: 'S001', role: 'guide', avatarColor: '#5b8a72' },
  { userId: 'chenjing', name: '陈静', position: '导购', storeId: 'S002', role: 'guide', avatarColor: '#b07a4f' },
]

const SURNAMES = [
  '王',
  '李',
  '张',
  '刘',
  '陈',
  '杨',
  '黄',
  '赵',
  '周',
  '吴',
  '徐',
  '孙',
  '马',
  '胡',
  '朱',
  '郭',
  '何',
  '林',
  '罗',
  '高',
  '郑',
  '梁',
  '谢',
  '宋',
  '唐',
  '许',
  '韩',
  '冯',
  '邓',
  '曹',
  '沈',
  '顾',
  '陆',
  '蒋',
  '叶',
]
const GIVEN_NAMES = [
  '婷',
  '雪',
  '丽',
  '静',
  '敏',
  '燕',
  '芳',
  '琳',
  '欣怡',
  '子涵',
  '雨桐',
  '思雨',
  '梓萱',
  '诗涵',
  '晓雯',
  '佳怡',
  '嘉欣',
  '雅琪',
  '梦洁',
  '慧敏',
  '文静',
  '若曦',
  '心怡',
  '安琪',
  '可馨',
  '书瑶',
  '语嫣',
  '晴',
  '悦',
  '蔓',
  '一诺',
  '念慈',
  '清妍',
  '雨萱',
  '佩瑶',
]
const MALE_GIVEN_NAMES = ['浩', '俊杰', '子轩', '宇航', '明哲']
const NICKNAMES = [
  'Lily',
  'Annie',
  'Coco',
  '晴天',
  '小鱼儿',
  'Vivian',
  '一颗柠檬',
  'Grace',
  '慢慢',
  '橘子汽水',
  'Iris',
  '向日葵',
  'Momo',
  '云朵',
  'Elaine',
  '喵小姐',
  'Yuki',
  '南风',
  'Cherry',
  '拾光',
  'Joyce',
  '甜甜圈',
  'Stella',
  '安然',
  'Nina',
  '栀子花开',
  'Sophie',
  '木木',
  'Ivy',
  '微笑的鱼',
  'Kiki',
  '春日',
  'Helen',
  '半夏',
  'Wendy',
  '星星',
  'Zoe',
  '小满',
  'Emma',
  '清风',
]
const NICKNAME_DECOR = ['', '', '', '🌸', '✨', '🍃', '～', '🌙', '_', '🌷']
const OTHER_CORPS = ['星河科技有限公司', '蓝海传媒', '云杉咨询']

const TAG_GROUPS: [string, string[]][] = [
  ['客户价值', ['高净值', '潜力客户', '普通客户']],
  [STYLE_TAG_GROUP, STYLE_WORDS.slice(0, 6)],
  ['生命周期', ['新客', '复购', '沉睡', '流失预警']],
  ['来源渠道', ['门店扫码', '活动引流', '老客推荐', '线上商城']],
]
const PERSONAL_TAGS = ['爱穿裙子', '怕冷', '不穿亮色', '送礼需求', '周末到店', '只要黑白灰', '在意面料', '价格敏感']
const STYLES: readonly string[] = STYLE_WORDS
const DESCRIPTIONS = [
  '喜欢宽松版型，肩窄，上衣选小一码',
  '对羊毛过敏，推荐棉麻和真丝',
  '常出差，偏好不易皱的面料',
  '女儿在读高中，会一起来店里',
  '生日当月会来买大衣',
  '喜欢新品第一时间通知',
  '腰细臀宽，裤子要看臀围',
  '',
  '',
  '',
]

/** The garments the demo's orders were bought from; each becomes a style of the catalogue. */
interface Garment {
  name: string
  category: ProductCategory
  variant: number
  minPrice: number
  maxPrice: number
}

const GARMENTS: Garment[] = [
  { name: '真丝衬衫', category: 'top', variant: 0, minPrice: 899, maxPrice: 1299 },
  { name: '醋酸缎面衬衫', category: 'top', variant: 0, minPrice: 699, maxPrice: 999 },
  { name: '羊绒针织衫', category: 'top', variant: 1, minPrice: 1299, maxPrice: 1999 },
  { name: '棉质条纹T恤', category: 'top', variant: 2, minPrice: 299, maxPrice: 399 },
  { name: '法式方领上衣', category: 'top', variant: 2, minPrice: 459, maxPrice: 599 },
  { name: '美利奴羊毛开衫', category: 'top', variant: 1, minPrice: 899, maxPrice: 1199 },
  { name: '高腰阔腿裤', category: 'bottom', variant: 0, minPrice: 599, maxPrice: 799 },
  { name: '直筒牛仔裤', category: 'bottom', variant: 0, minPrice: 499, maxPrice: 699 },
  { name: '百褶半身裙', category: 'bottom', variant: 1, minPrice: 599, maxPrice: 899 },
  { name: 'A字羊毛半裙', category: 'bottom', variant: 1, minPrice: 799, maxPrice: 1099 },
  { name: '西装烟管裤', category: 'bottom', variant: 0, minPrice: 699, maxPrice: 899 },
  { name: '碎花茶歇裙', category: 'dress', variant: 0, minPrice: 899, maxPrice: 1299 },
  { name: '针织连衣裙', category: 'dress', variant: 1, minPrice: 999, maxPrice: 1499 },
  { name: '收腰衬衫裙', category: 'dress', variant: 0, minPrice: 799, maxPrice: 1099 },
  { name: '丝绒吊带裙', category: 'dress', variant: 1, minPrice: 1099, maxPrice: 1499 },
  { name: '双面羊毛大衣', category: 'outerwear', variant: 0, minPrice: 2499, maxPrice: 3299 },
  { name: '短款风衣', category: 'outerwear', variant: 1, minPrice: 1499, maxPrice: 1899 },
  { name: '轻薄羽绒服', category: 'outerwear', variant: 0, minPrice: 1299, maxPrice: 1799 },
  { name: '亚麻西装外套', category: 'outerwear', variant: 1, minPrice: 1199, maxPrice: 1599 },
  { name: '羊羔毛夹克', category: 'outerwear', variant: 1, minPrice: 999, maxPrice: 1399 },
  { name: '玛丽珍鞋', category: 'shoes', variant: 0, minPrice: 699, maxPrice: 899 },
  { name: '软皮乐福鞋', category: 'shoes', variant: 0, minPrice: 799, maxPrice: 999 },
  { name: '切尔西短靴', category: 'shoes', variant: 1, minPrice: 1099, maxPrice: 1399 },
  { name: '腋下包', category: 'bag', variant: 0, minPrice: 899, maxPrice: 1299 },
  { name: '托特包', category: 'bag', variant: 1, minPrice: 999, maxPrice: 1499 },
  { name: '真丝方巾', category: 'accessory', variant: 0, minPrice: 299, maxPrice: 459 },
  { name: '珍珠耳环', category: 'accessory', variant: 1, minPrice: 259, maxPrice: 399 },
]

/** Each garment's style tags (the members' style preferences) and one line of copy. */
const GARMENT_COPY: Record<string, [string[], string]> = {
  真丝衬衫: [['通勤', '优雅'], '重磅真丝，领口挺括，通勤和晚餐都得体。'],
  醋酸缎面衬衫: [['通勤', '法式'], '醋酸缎面垂感好，不易皱，出差也能带。'],
  羊绒针织衫: [['极简', '优雅'], '山羊绒圆领，贴身穿也不扎，轻薄保暖。'],
  棉质条纹T恤: [['休闲', '法式'], '经典海魂条纹，纯棉透气，配什么都好看。'],
  法式方领上衣: [['法式', '甜美'], '方领露出锁骨，泡泡袖修饰肩线。'],
  美利奴羊毛开衫: [['通勤', '极简'], '美利奴羊毛细腻不起球，办公室空调房必备。'],
  高腰阔腿裤: [['通勤', '优雅'], '高腰设计拉长比例，垂坠面料走路带风。'],
  直筒牛仔裤: [['休闲', '复古'], '复古直筒版型，微弹面料久坐不勒。'],
  百褶半身裙: [['法式', '甜美'], '细密百褶随步伐摆动，配针织衫最温柔。'],
  A字羊毛半裙: [['通勤', '复古'], '羊毛混纺A字裙，秋冬配靴子刚好。'],
  西装烟管裤: [['通勤', '极简'], '九分烟管版型，露出脚踝显高显瘦。'],
  碎花茶歇裙: [['法式', '度假'], 'V领碎花茶歇裙，收腰设计，出游约会都合适。'],
  针织连衣裙: [['极简', '优雅'], '修身不紧绷的针织裙，外搭大衣很有气质。'],
  收腰衬衫裙: [['通勤', '休闲'], '衬衫领配腰带，一件就能去上班。'],
  丝绒吊带裙: [['优雅', '复古'], '丝绒光泽温润，内搭打底衫也能穿过秋天。'],
  双面羊毛大衣: [['通勤', '优雅'], '双面羊毛手工缝制，轻而暖，廓形利落。'],
  短款风衣: [['通勤', '法式'], '短款风衣不压个子，春秋通勤一件搞定。'],
  轻薄羽绒服: [['休闲', '极简'], '轻薄白鸭绒，可收纳，冬天叠穿不臃肿。'],
  亚麻西装外套: [['通勤', '度假'], '亚麻西装透气有型，夏天进空调房正好。'],
  羊羔毛夹克: [['休闲', '甜美'], '羊羔毛蓬松暖和，配牛仔裤很随性。'],
  玛丽珍鞋: [['法式', '甜美'], '圆头搭带玛丽珍，软皮不磨脚。'],
  软皮乐福鞋: [['通勤', '复古'], '软牛皮乐福鞋，通勤走一天也舒服。'],
  切尔西短靴: [['休闲', '通勤'], '松紧侧边一脚蹬，配裤装裙装都利落。'],
  腋下包: [['法式', '优雅'], '弯月腋下包，通勤约会都好搭。'],
  托特包: [['通勤', '极简'], '大容量托特包，装得下电脑和文件。'],
  真丝方巾: [['法式', '优雅'], '真丝小方巾，系颈、系包、作发带都好看。'],
  珍珠耳环: [['优雅', '法式'], '淡水珍珠耳坠，光泽温润，日常不夸张。'],
}

const CUSTOMER_LINES = [
  '上次那件大衣还有M码吗？',
  '周末想去店里试一下新款',
  '这条裙子有别的颜色吗',
  '收到啦，很喜欢～',
  '能帮我留一件吗，明天下午过去',
  '羊绒的怎么洗比较好呀',
  '最近有什么活动吗',
  '裤子有点长，可以改吗',
]
const GUIDE_LINES = [
  '您好，我是绮澜的导购，有需要随时找我～',
  '有的，已经帮您留好了',
  '新品到店了，给您发几张图看看',
  '好的，下午等您～',
  '这款建议冷水手洗，平铺晾干',
  '可以免费改裤长，来店里量一下就好',
]

function avatarUrl(seed: string): string {
  return `/media/demo/avatar/${encodeURIComponent(seed)}.svg`
}

export function buildDemoData(now: number = Date.now()): DemoData {
  const rng = new Random(DEMO_SEED)
  const nowSeconds = Math.floor(now / 1000)

  const tagGroups: DemoTagGroup[] = TAG_GROUPS.map(([name, tags], g) => ({
    id: rng.id('et', 22),
    name,
    tags: tags.map((tag, i) => ({ id: rng.id('et', 22 + ((g + i) % 3)), name: tag })),
  }))
  const tagByName = new Map(tagGroups.flatMap((g) => g.tags.map((t) => [t.name, t.id] as const)))

  // The garments the orders are bought from, each in two to five colours. Every colour
  // draws its own season and price from `rng` as it always has (drawing less would change
  // every customer after it); the style takes its first colour's code, season and price.
  // An order picks from `variants`, one entry a colour, so its picks stay the same too.
  const garmentStyles: DemoStyleSpec[] = []
  const variants: { productId: string; name: string; category: ProductCategory; color: string; priceFen: number }[] = []
  for (const [g, garment] of GARMENTS.entries()) {
    const colors = rng.sample(COLORS, garment.category === 'accessory' ? 2 : rng.int(3, 5))
    let style: DemoStyleSpec | undefined
    for (const [c, [color, hex]] of colors.entries()) {
      const season = rng.pick(['24W', '25S', '25W', '26S'])
      const styleCode = `QL${season}${String(g * 10 + c).padStart(3, '0')}`
      const price = Math.round(rng.int(garment.minPrice, garment.maxPrice) / 100) * 100 - 1
      style ??= {
        styleCode,
        name: garment.name,
        category: garment.category,
        variant: garment.variant,
        priceFen: price * 100,
        season,
        tags: GARMENT_COPY[garment.name]![0],
        description: GARMENT_COPY[garment.name]![1],
        colors: [],
      }
      style.colors.push({ name: color, hex })
      variants.push({
        productId: `P${style.styleCode}`,
        name: garment.name,
        category: garment.category,
        color,
        priceFen: price * 100,
      })
    }
    garmentStyles.push(style!)
  }

  const customers: DemoCustomer[] = []
  const members: DemoMember[] = []
  const orders: DemoOrder[] = []
  const messages: Record<string, DemoMessage[]> = {}
  const usedNames = new Set<string>()
  const guideIds = GUIDES.map((g) => g.userId)

  for (let i = 0; i < 60; i++) {
    const externalUserId = rng.id('wm', 32)
    const male = rng.chance(0.07)
    let realName = ''
    do realName = rng.pick(SURNAMES) + rng.pick(male ? MALE_GIVEN_NAMES : GIVEN_NAMES)
    while (usedNames.has(realName))
    usedNames.add(realName)
    const isWecomUser = i % 23 === 7
    const nickname = isWecomUser ? realName : rng.pick(NICKNAMES) + rng.pick(NICKNAME_DECOR)

    // Every guide has her own book; a few customers are followed by two guides.
    const primary = guideIds[i % 3 === 2 ? 2 : i % 3]!
    const followers = [primary]
    if (rng.chance(0.12)) followers.push(primary === 'lina' ? 'wanglei' : 'lina')

    const store = GUIDES.find((g) => g.userId === primary)!.storeId
    const storeShort = store === 'S001' ? '静安' : '湖滨'
    const top = rng.weighted([
      ['XS', 1],
      ['S', 4],
      ['M', 5],
      ['L', 3],
      ['XL', 1],
    ] as const)
    const phone = `1${rng.pick(['38', '39', '58', '86', '35', '77'])}${String(rng.int(0, 99999999)).padStart(8, '0')}`
    const createdDaysAgo = rng.int(3, 900)
    const sizes = {
      top,
      bottom: BOTTOM_SIZES[Math.min(BOTTOM_SIZES.length - 1, TOP_SIZES.indexOf(top) + rng.int(0, 1))]!,
      dress: top === 'XL' ? 'L' : top,
      shoes: rng.pick(SHOE_SIZES),
    }
    const styles = rng.sample(STYLES, rng.int(1, 3))

    // Most customers are bound to a member record; a few are not yet (the guide binds them later).
    const isMember = i % 9 !== 4
    const memberId = `M${String(100000 + i * 37).padStart(8, '0')}`
    const memberOrders: DemoOrder[] = []
    if (isMember) {
      const orderCount = rng.weighted([
        [0, 1],
        [1, 2],
        [2, 3],
        [4, 3],
        [7, 2],
        [12, 1],
      ] as const)
      for (let o = 0; o < orderCount; o++) {
        const purchasedAt = now - rng.int(2, 730) * DAY - rng.int(0, DAY - 1)
        const lines = rng.weighted([
          [1, 5],
          [2, 3],
          [3, 1],
        ] as const)
        const items = Array.from({ length: lines }, () => {
          const product = rng.pick(variants)
          // Her own size, except now and then a gift for someone else.
          const own = !rng.chance(0.08)
          const size =
            product.category === 'shoes'
              ? own
                ? sizes.shoes
                : rng.pick(SHOE_SIZES)
              : product.category === 'bottom'
                ? own
                  ? sizes.bottom
                  : rng.pick(BOTTOM_SIZES)
                : product.category === 'bag' || product.category === 'accessory'
                  ? '均码'
                  : product.category === 'dress'
                    ? sizes.dress
                    : own
                      ? top
                      : rng.pick(TOP_SIZES)
          const discount = rng.chance(0.3) ? 0.8 : 1
          return {
            productId: product.productId,
            name: product.name,
            color: product.color,
            size,
            quantity: 1,
            priceFen: Math.round((product.priceFen * discount) / 100) * 100,
            returned: rng.chance(0.06),
          }
        })
        memberOrders.push({
          id: `O${memberId.slice(1)}${String(o).padStart(2, '0')}`,
          memberId,
          storeId: rng.chance(0.85) ? store : rng.pick(STORES).id,
          purchasedAt,
          // The CRM recorded the seller on a third of its older orders.
          guideUserId: o % 3 === 0 ? primary : null,
          items,
        })
      }
    }

    // Level, points and the brand's tags follow from what she actually bought.
    const spentYuan = memberOrders.reduce(
      (sum, o) => sum + o.items.reduce((s2, it) => s2 + (it.returned ? 0 : it.priceFen / 100), 0),
      0,
    )
    const lastDaysAgo = memberOrders.length ? Math.min(...memberOrders.map((o) => (now - o.purchasedAt) / DAY)) : null
    const value = spentYuan >= 12000 ? '高净值' : spentYuan >= 4000 ? '潜力客户' : '普通客户'
    const lifecycle =
      lastDaysAgo === null
        ? createdDaysAgo < 60
          ? '新客'
          : '沉睡'
        : lastDaysAgo < 90
          ? memberOrders.length >= 2
            ? '复购'
            : '新客'
          : lastDaysAgo < 270
            ? memberOrders.length >= 3
              ? '复购'
              : '流失预警'
            : '沉睡'
    const styleTags = styles.filter((st) => tagByName.has(st))

    const follows: DemoFollow[] = followers.map((userId, f) => {
      const corpTags = [
        value,
        ...(styleTags.length ? styleTags.slice(0, 2) : [rng.pick(['休闲', '通勤'])]),
        lifecycle,
        rng.pick(['门店扫码', '活动引流', '老客推荐', '线上商城']),
      ]
      return {
        userId,
        remark: f === 0 ? `${realName} ${storeShort} ${top}码` : realName,
        description: rng.pick(DESCRIPTIONS),
        createtime: nowSeconds - createdDaysAgo * 86400 - rng.int(0, 86399) + f * 3600,
        corpTagIds: corpTags.map((name) => tagByName.get(name)!),
        personalTags: rng.chance(0.5) ? rng.sample(PERSONAL_TAGS, rng.int(1, 2)) : [],
        addWay: rng.weighted([
          [1, 6],
          [2, 1],
          [3, 1],
          [4, 1],
          [202, 1],
        ] as const),
        state: `store_${store}`,
        remarkMobiles: rng.chance(0.6) ? [phone] : [],
      }
    })

    customers.push({
      externalUserId,
      name: nickname,
      realName,
      avatar: avatarUrl(externalUserId),
      gender: male ? 1 : rng.chance(0.05) ? 0 : 2,
      type: isWecomUser ? 2 : 1,
      corpName: isWecomUser ? rng.pick(OTHER_CORPS) : null,
      follows,
    })

    // A short recent exchange, oldest first; chats further down the list are older.
    let at = now - (i + 1) * 2 * 3_600_000 - rng.int(0, 3_000_000)
    messages[externalUserId] = Array.from({ length: rng.int(1, 4) }, (_, m) => {
      at += rng.int(2, 40) * 60_000
      return {
        from: m % 2 === 0 ? ('customer' as const) : ('guide' as const),
        text: m % 2 === 0 ? rng.pick(CUSTOMER_LINES) : rng.pick(GUIDE_LINES),
        at,
      }
    })

    if (!isMember) continue
    const level = spentYuan >= 15000 ? 'platinum' : spentYuan >= 6000 ? 'gold' : spentYuan >= 2000 ? 'silver' : 'normal'
    members.push({
      id: memberId,
      externalUserId,
      phone,
      name: realName,
      level,
      // One point a yuan, less what she has redeemed.
      points: Math.round(spentYuan * (1 - rng.int(0, 40) / 100)),
      storeId: store,
      sizes,
      stylePreferences: styles,
      birthday: `${String(rng.int(1, 12)).padStart(2, '0')}-${String(rng.int(1, 28)).padStart(2, '0')}`,
    })
    orders.push(...memberOrders)
  }

  const inGroup = (store: string) =>
    customers.filter((c) => c.follows.some((f) => GUIDES.find((g) => g.userId === f.userId)!.storeId === store))
  const groups: DemoGroup[] = [
    {
      chatId: rng.id('wr', 32),
      name: '绮澜静安 VIP 会员群',
      owner: 'wanglei',
      notice: '每周四晚 8 点上新预告，会员专享到店礼。',
      createTime: nowSeconds - 400 * 86400,
      staff: ['wanglei', 'lina'],
      customers: rng
        .sample(inGroup('S001'), 14)
        .map((c) => ({ externalUserId: c.externalUserId, joinTime: nowSeconds - rng.int(5, 380) * 86400 })),
    },
    {
      chatId: rng.id('wr', 32),
      name: '湖滨店新品速递',
      owner: 'chenjing',
      notice: '新品到店第一时间通知，欢迎预约试穿。',
      createTime: nowSeconds - 200 * 86400,
      staff: ['chenjing'],
      customers: rng
        .sample(inGroup('S002'), 9)
        .map((c) => ({ externalUserId: c.externalUserId, joinTime: nowSeconds - rng.int(5, 190) * 86400 })),
    },
  ]

  orders.push(...recentOrders(members, customers, orders, variants, now))

  // The catalogue and bundles draw from their own generator, after everything above.
  const products = buildDemoCatalog(
    garmentStyles,
    STORES.map((s) => s.id),
    now,
  )

  return {
    corpName: '绮澜 QILAN',
    stores: STORES,
    guides: GUIDES,
    tagGroups,
    customers,
    groups,
    members,
    products,
    orders,
    bundles: buildDemoBundles(products, now),
    messages,
    targets: monthTargets(now),
  }
}

/**
 * This month's and this week's sales, so her numbers move and the guides rank apart: each
 * guide's customers bought on these days before `now` (0: today, earlier than now). Its
 * own generator, so nothing drawn above changes. Half carry the CRM's seller; one of
 * 陈静's customers bought in Shanghai from 李娜, who gets the credit.
 */
const RECENT_SALES_DAYS: Record<string, number[]> = {
  lina: [0, 0, 1, 2, 4, 6, 9, 13, 20],
  wanglei: [0, 1, 3, 5, 8, 15],
  chenjing: [0, 2, 3, 7, 11, 18, 25],
}

function recentOrders(
  members: DemoMember[],
  customers: DemoCustomer[],
  older: DemoOrder[],
  variants: { productId: string; name: string; category: ProductCategory; color: string; priceFen: number }[],
  now: number,
): DemoOrder[] {
  const rng = new Random(DEMO_SEED + 12)
  const primaryOf = new Map(customers.map((c) => [c.externalUserId, c.follows[0]!.userId]))
  // Customers who already buy here: one who never bought stays a newcomer.
  const buyers = new Set(older.map((o) => o.memberId))
  const china = 8 * 3_600_000
  const todayStart = now - ((now + china) % DAY)
  const orders: DemoOrder[] = []
  for (const [guideId, days] of Object.entries(RECENT_SALES_DAYS)) {
    const book = members.filter((m) => buyers.has(m.id) && primaryOf.get(m.externalUserId) === guideId)
    if (book.length === 0) continue
    for (const [n, daysAgo] of days.entries()) {
      const member = book[(n * 7 + days.length) % book.length]!
      // Shop hours (10:00 to 22:00) of that day; today only up to now.
      const dayStart = todayStart - daysAgo * DAY
      const open = dayStart + 10 * 3_600_000
      const close = daysAgo === 0 ? Math.max(dayStart, now - 60_000) : dayStart + 22 * 3_600_000
      const purchasedAt = open < close ? rng.int(open, close) : close
      const crossStore = guideId === 'chenjing' && n === 2
      const items = Array.from({ length: rng.int(1, 2) }, () => {
        const product = rng.pick(variants)
        const size =
          product.category === 'shoes'
            ? member.sizes.shoes
            : product.category === 'bottom'
              ? member.sizes.bottom
              : product.category === 'bag' || product.category === 'accessory'
                ? '均码'
                : product.category === 'dress'
                  ? member.sizes.dress
                  : member.sizes.top
        return {
          productId: product.productId,
          name: product.name,
          color: product.color,
          size,
          quantity: 1,
          priceFen: product.priceFen,
          returned: false,
        }
      })
      orders.push({
        id: `R${member.id.slice(1)}${String(n).padStart(2, '0')}`,
        memberId: member.id,
        storeId: crossStore ? 'S001' : member.storeId,
        purchasedAt,
        guideUserId: crossStore ? 'lina' : n % 2 === 0 ? guideId : null,
        items,
      })
    }
  }
  return orders
}

/** Targets for the month `now` falls in (China time): each guide's, and each store's. */
function monthTargets(now: number): DemoTarget[] {
  const month = new Date(now + 8 * 3_600_000).toISOString().slice(0, 7)
  const guides: Record<string, number> = { wanglei: 8_000_000, lina: 6_000_000, chenjing: 5_000_000 }
  return [
    ...GUIDES.map((g) => ({ scope: 'guide' as const, scopeId: g.userId, month, amountFen: guides[g.userId] ?? 5_000_000 })),
    { scope: 'store', scopeId: 'S001', month, amountFen: 15_000_000 },
    { scope: 'store', scopeId: 'S002', month, amountFen: 6_000_000 },
  ]
}
