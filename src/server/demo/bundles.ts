/**
 * The demo's outfit bundles: twenty the brand's manager put together for every guide, and
 * two a guide keeps for herself. Pieces are named by style; each gets a colour from the
 * outfit's palette that the style comes in, and a middle size (M, 27, 37, 均码), preferring
 * a colour with that size in stock at the flagship store.
 */
import type { BundleItemInput, BundleScope } from '../../shared/bundles'
import type { ProductCategory } from '../../shared/catalog'
import { NEUTRALS, ONE_SIZE, type DemoProduct } from './catalog'

const DAY = 24 * 3600 * 1000
const FLAGSHIP = 'S001'

export interface DemoBundle {
  id: string
  scope: BundleScope
  /** The guide a personal bundle belongs to; null for the brand's. */
  ownerId: string | null
  title: string
  note: string
  items: BundleItemInput[]
  position: number
  createdAt: number
  updatedAt: number
}

interface Outfit {
  title: string
  note: string
  /** Colours in order of preference; a piece takes the first its style has, unused ones first. */
  palette: string[]
  pieces: string[]
}

const CORP_OUTFITS: Outfit[] = [
  {
    title: '本周主推 · 法式通勤',
    note: '方领露锁骨，烟管裤拉长腿型，短风衣不压个子：一身去上班，下班直接去吃饭。',
    palette: ['奶白', '燕麦色', '黑色', '焦糖'],
    pieces: ['法式方领上衣', '西装烟管裤', '短款风衣', '玛丽珍鞋', '腋下包'],
  },
  {
    title: '周末出游',
    note: '条纹T配直筒牛仔，小白鞋走一天不累，托特包装得下外套和水。',
    palette: ['藏青', '奶白', '雾霾蓝', '牛仔蓝'],
    pieces: ['棉质条纹T恤', '直筒牛仔裤', '小白鞋', '帆布托特包', '渔夫帽'],
  },
  {
    title: '约会晚餐',
    note: '缎面在灯光下有光泽，进餐厅披上开衫，猫跟走路也稳，珍珠耳环点亮脸色。',
    palette: ['酒红', '黑色', '奶白', '樱花粉'],
    pieces: ['缎面吊带裙', '短款针织开衫', '猫跟鞋', '迷你链条包', '珍珠耳环'],
  },
  {
    title: '早春叠穿',
    note: '衬衫外叠一件针织背心，早晚温差大时刚好；乐福鞋和琴谱包延续学院感。',
    palette: ['雾霾蓝', '燕麦色', '奶白', '焦糖'],
    pieces: ['条纹衬衫', '针织背心', '九分烟管裤', '马衔扣乐福鞋', '琴谱包'],
  },
  {
    title: '职场新人第一周',
    note: '白衬衫加西装外套最稳妥，铅笔裙后开衩好走路，托特包放得下电脑。',
    palette: ['奶白', '黑色', '浅灰', '藏青'],
    pieces: ['廓形白衬衫', '羊毛西装外套', '开衩铅笔裙', '尖头高跟鞋', '羊皮托特包'],
  },
  {
    title: '海边度假',
    note: '亚麻长裙透气不贴身，草编包和渔夫鞋一看就是假期，拍照很出片。',
    palette: ['奶白', '奶油黄', '燕麦色', '薄荷绿'],
    pieces: ['亚麻度假长裙', '编织渔夫鞋', '草编包', '渔夫帽'],
  },
  {
    title: '冬日通勤 · 羊毛大衣',
    note: '高领羊绒打底，羊毛阔腿裤不冷腿，大衣和短靴同色系，围巾提亮整身。',
    palette: ['驼色', '燕麦色', '浅灰', '黑色', '焦糖'],
    pieces: ['羊绒高领毛衣', '羊毛阔腿裤', '双面羊毛大衣', '方头踝靴', '羊绒围巾'],
  },
  {
    title: '极简黑白灰',
    note: '只用黑白灰三色，版型干净利落，小白鞋让通勤装也能走很多路。',
    palette: ['黑色', '浅灰', '奶白'],
    pieces: ['罗纹修身T恤', '西装烟管裤', '茧型羊毛大衣', '小白鞋', '月牙包'],
  },
  {
    title: '复古学院风',
    note: '娃娃领衬衫配格纹半裙，提花开衫和方头单鞋，马鞍包收尾。',
    palette: ['奶白', '焦糖', '藏青', '酒红', '咖啡'],
    pieces: ['娃娃领衬衫', '格纹羊毛半裙', '提花针织开衫', '方头单鞋', '马鞍包'],
  },
  {
    title: '温柔约会 · 碎花',
    note: '碎花茶歇裙外搭马海毛开衫，珍珠发夹和云朵包，温柔不费力。',
    palette: ['樱花粉', '奶白', '燕麦色', '丁香紫'],
    pieces: ['碎花茶歇裙', '马海毛开衫', '玛丽珍高跟鞋', '云朵包', '珍珠发夹'],
  },
  {
    title: '新中式雅集',
    note: '立领盘扣上衣配缎面半裙，芭蕾舞鞋和珍珠项链，喝茶看展都得体。',
    palette: ['奶白', '橄榄绿', '藏青', '燕麦色'],
    pieces: ['立领盘扣上衣', '缎面半身裙', '芭蕾舞鞋', '编织手提包', '珍珠项链'],
  },
  {
    title: '运动休闲日',
    note: '连帽卫衣配束脚裤，厚底运动鞋增高又舒服，双肩包解放双手。',
    palette: ['浅灰', '黑色', '奶白', '雾霾蓝'],
    pieces: ['连帽卫衣', '运动束脚裤', '厚底运动鞋', '双肩包'],
  },
  {
    title: '年会闪耀',
    note: '丝绒长袖裙自带光泽，小香风外套进出会场，信封包和珍珠项链刚好。',
    palette: ['酒红', '黑色', '藏青', '奶白'],
    pieces: ['丝绒长袖连衣裙', '小香风外套', '尖头高跟鞋', '信封包', '珍珠项链'],
  },
  {
    title: '周一例会',
    note: '半高领针织衫配羊毛西裤，双排扣西装外套显干练，乐福鞋开会站着也不累。',
    palette: ['浅灰', '藏青', '燕麦色', '黑色'],
    pieces: ['半高领针织衫', '羊毛西裤', '双排扣西装外套', '软皮乐福鞋', '羊皮托特包'],
  },
  {
    title: '秋日大地色',
    note: '麻花毛衣配灯芯绒半裙，长风衣和切尔西短靴，焦糖驼色一路叠上去。',
    palette: ['焦糖', '驼色', '咖啡', '卡其', '燕麦色'],
    pieces: ['麻花针织毛衣', '灯芯绒半裙', '长款风衣', '切尔西短靴', '水桶包'],
  },
  {
    title: '城市漫步',
    note: '重磅T恤配阔腿牛仔，落肩西装随性不拘谨，德训鞋和相机包适合走一下午。',
    palette: ['奶白', '牛仔蓝', '卡其', '浅灰'],
    pieces: ['重磅纯棉T恤', '阔腿牛仔裤', '落肩西装外套', '复古德训鞋', '斜挎相机包'],
  },
  {
    title: '亲子周末',
    note: '卫衣工装裤，蹲下跑动都方便，小白鞋好打理，托特包装得下孩子的水杯零食。',
    palette: ['燕麦色', '橄榄绿', '奶白', '浅灰'],
    pieces: ['圆领卫衣', '工装裤', '小白鞋', '帆布托特包'],
  },
  {
    title: '送她的礼物',
    note: '羊绒毛衣、围巾和珍珠项链，不用猜尺码也不会出错的一份心意。',
    palette: ['燕麦色', '驼色', '浅灰', '樱花粉'],
    pieces: ['羊绒圆领毛衣', '羊绒围巾', '珍珠项链'],
  },
  {
    title: '早春 · 风衣季',
    note: '真丝衬衫配高腰阔腿裤，军装风衣帅气利落，乐福鞋和托特包通勤刚好。',
    palette: ['卡其', '奶白', '燕麦色', '黑色'],
    pieces: ['真丝衬衫', '高腰阔腿裤', '军装风衣', '软皮乐福鞋', '托特包'],
  },
  {
    title: '冬季保暖不臃肿',
    note: '高领打底加针织阔腿裤，长羽绒过膝挡风，雪地靴和围巾，暖和又显瘦。',
    palette: ['黑色', '燕麦色', '浅灰', '奶白'],
    pieces: ['高领打底衫', '针织阔腿裤', '长款羽绒服', '雪地靴', '格纹围巾'],
  },
]

/** A guide's own bundles, for customers she knows. */
const PERSONAL_OUTFITS: { ownerId: string; outfits: Outfit[] }[] = [
  {
    ownerId: 'lina',
    outfits: [
      {
        title: '老客回访 · 羊绒季',
        note: '给买过羊绒的老客：羊绒针织衫配阔腿裤和腋下包，上身就知道好。',
        palette: ['燕麦色', '浅灰', '奶白'],
        pieces: ['羊绒针织衫', '高腰阔腿裤', '腋下包'],
      },
      {
        title: '小个子显高',
        note: '短开衫提高腰线，喇叭裤盖住高跟鞋，整条腿都是裤子。',
        palette: ['黑色', '奶白', '藏青'],
        pieces: ['短款针织开衫', '高腰喇叭裤', '尖头高跟鞋'],
      },
    ],
  },
]

function middleSize(category: ProductCategory): string {
  switch (category) {
    case 'bottom':
      return '27'
    case 'shoes':
      return '37'
    case 'bag':
    case 'accessory':
      return ONE_SIZE
    default:
      return 'M'
  }
}

function pickItems(outfit: Outfit, byName: Map<string, DemoProduct>): BundleItemInput[] {
  const used = new Set<string>()
  return outfit.pieces.map((name) => {
    const product = byName.get(name)
    if (!product) throw new Error(`Demo bundle "${outfit.title}": no style named ${name}`)
    const size = middleSize(product.category)
    const inStock = new Set(product.stock.filter((s) => s.storeId === FLAGSHIP && s.quantity > 0).map((s) => s.skuId))
    const candidates = product.skus.filter((sku) => sku.size === size)
    // Colours of the outfit's palette first, then neutrals, then the rest; in stock at the
    // flagship before sold out; a colour not yet in the outfit before a repeat.
    const rank = (color: string) => {
      const inPalette = outfit.palette.indexOf(color)
      if (inPalette !== -1) return inPalette
      const neutral = NEUTRALS.indexOf(color)
      return neutral === -1 ? 100 : 50 + neutral
    }
    const tier = (color: string) => (outfit.palette.includes(color) ? 0 : NEUTRALS.includes(color) ? 1 : 2)
    candidates.sort(
      (a, b) =>
        tier(a.color) - tier(b.color) ||
        Number(!inStock.has(a.id)) - Number(!inStock.has(b.id)) ||
        Number(used.has(a.color)) - Number(used.has(b.color)) ||
        rank(a.color) - rank(b.color) ||
        a.position - b.position,
    )
    const sku = candidates[0]!
    used.add(sku.color)
    return { productId: product.id, skuId: sku.id }
  })
}

export function buildDemoBundles(products: DemoProduct[], now: number): DemoBundle[] {
  const byName = new Map(products.map((p) => [p.name, p]))
  const bundle = (outfit: Outfit, n: number, position: number, ownerId: string | null): DemoBundle => {
    // The newest first: the manager updates the week's pick, older ones were made earlier.
    const at = now - (n * 3 + 1) * DAY
    return {
      id: `b_demo_${String(n + 1).padStart(2, '0')}`,
      scope: ownerId === null ? 'corp' : 'personal',
      ownerId,
      title: outfit.title,
      note: outfit.note,
      items: pickItems(outfit, byName),
      position,
      createdAt: at,
      updatedAt: at,
    }
  }
  const bundles = CORP_OUTFITS.map((outfit, i) => bundle(outfit, i, i, null))
  for (const { ownerId, outfits } of PERSONAL_OUTFITS) {
    for (const [i, outfit] of outfits.entries()) bundles.push(bundle(outfit, bundles.length, i, ownerId))
  }
  return bundles
}
