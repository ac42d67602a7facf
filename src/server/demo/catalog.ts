// Long: two hundred styles written out as data, one table a category.
/**
 * The demo catalogue: about two hundred styles (款), each in a few colours and its
 * category's sizes, one SKU per colour × size, a picture per colour plus a close-up, and
 * stock per store and SKU. The garments the demo's orders were bought from are the first
 * styles; everything else here comes from its own generator, so adding to the catalogue
 * never moves a customer, member or order of the demo.
 */
import type { ProductCategory } from '../../shared/catalog'
import { Random } from './random'

const CATALOG_SEED = 20261201
const DAY = 24 * 3600 * 1000

export interface DemoColor {
  name: string
  hex: string
}

export interface DemoSku {
  id: string
  color: string
  colorHex: string
  size: string
  position: number
}

export interface DemoProductImage {
  url: string
  /** The colour the picture shows; the close-up shows the first colour. */
  color: string | null
}

export interface DemoStock {
  storeId: string
  skuId: string
  quantity: number
}

/** One style (款): what the catalogue lists, with its SKUs, pictures and stock. */
export interface DemoProduct {
  id: string
  styleCode: string
  name: string
  category: ProductCategory
  priceFen: number
  /** '24W' … '26W': year and spring/summer or autumn/winter; sorts oldest to newest. */
  season: string
  tags: string[]
  description: string
  /** What it is made of, read from its name and copy (see `materialsFor`). */
  materials: string[]
  colors: DemoColor[]
  sizes: string[]
  skus: DemoSku[]
  images: DemoProductImage[]
  imageUrl: string
  stock: DemoStock[]
  createdAt: number
}

/** A style before its SKUs, pictures and stock are made. */
export interface DemoStyleSpec {
  styleCode: string
  name: string
  category: ProductCategory
  /** Which drawing of the category (see SHAPES in modules/media/demo-art.ts). */
  variant: number
  priceFen: number
  season: string
  tags: string[]
  description: string
  colors: DemoColor[]
}

export const COLORS: [string, string][] = [
  ['燕麦色', '#d8c8ae'],
  ['雾霾蓝', '#8fa3b8'],
  ['奶白', '#f1ebdf'],
  ['黑色', '#2b2b2e'],
  ['焦糖', '#a8693b'],
  ['酒红', '#7c2f3a'],
  ['橄榄绿', '#6f7450'],
  ['浅灰', '#c3c4c6'],
  ['藏青', '#2f3d5c'],
  ['樱花粉', '#e8bfc4'],
]

/** More colours for the styles beyond the orders' garments (COLORS itself must not change). */
const EXTRA_COLORS: [string, string][] = [
  ['卡其', '#b59b74'],
  ['咖啡', '#6b4a36'],
  ['驼色', '#c19a6b'],
  ['薄荷绿', '#a8cbb7'],
  ['奶油黄', '#efdca0'],
  ['砖红', '#b5523b'],
  ['丁香紫', '#b9a3c9'],
  ['牛仔蓝', '#5b7ea4'],
]

export const TOP_SIZES = ['XS', 'S', 'M', 'L', 'XL']
export const BOTTOM_SIZES = ['25', '26', '27', '28', '29', '30']
export const SHOE_SIZES = ['35', '36', '37', '38', '39']
export const ONE_SIZE = '均码'

export function sizesFor(category: ProductCategory): string[] {
  switch (category) {
    case 'bottom':
      return BOTTOM_SIZES
    case 'shoes':
      return SHOE_SIZES
    case 'bag':
    case 'accessory':
      return [ONE_SIZE]
    default:
      return TOP_SIZES
  }
}

export function garmentImageUrl(category: string, variant: number, hex: string, detail = false): string {
  return `/media/demo/garment/${category}-${variant}-${hex.slice(1)}${detail ? '-detail' : ''}.svg`
}

/** `QL26S301-0-M`: style, colour index, size (均码 as F, so ids stay ASCII). */
export function skuId(styleCode: string, colorIndex: number, size: string): string {
  return `${styleCode}-${colorIndex}-${size === ONE_SIZE ? 'F' : size}`
}

/**
 * Name, drawing, price in yuan, style tags, season ('W', 'S' or either), one line of copy,
 * and the colours when the name says them (小白鞋, 牛仔…); otherwise a neutral and a few more.
 */
type ExtraStyle = [string, number, number, string, '' | 'W' | 'S', string, string?]

const EXTRA_STYLES: Record<ProductCategory, ExtraStyle[]> = {
  top: [
    ['针织背心', 3, 499, '通勤 复古', 'W', 'V领麻花纹，叠在衬衫外就有层次。'],
    ['高领打底衫', 1, 359, '极简 通勤', 'W', '莫代尔混纺贴身不起球，大衣里的万能内搭。'],
    ['真丝吊带背心', 3, 699, '法式 优雅', 'S', '重磅真丝垂坠，单穿或搭西装都好看。'],
    ['泡泡袖衬衫', 0, 659, '甜美 法式', 'S', '肩部微泡，腰线收得刚好，人显得很精神。'],
    ['牛津纺衬衫', 0, 499, '通勤 休闲', '', '挺括的牛津纺，越洗越软。'],
    ['亚麻短袖衬衫', 0, 559, '度假 休闲', 'S', '透气亚麻，海边和城市都合适。', '奶白 燕麦色 雾霾蓝'],
    ['雪纺飘带衬衫', 0, 699, '优雅 法式', 'S', '领口飘带可系蝴蝶结，也能随意垂下。'],
    ['廓形白衬衫', 0, 599, '极简 通勤', '', '落肩宽松版型，下摆可塞可放。', '奶白'],
    ['条纹衬衫', 0, 529, '通勤 法式', 'S', '细条纹，配牛仔裤或西裤都利落。'],
    ['马海毛开衫', 1, 999, '甜美 优雅', 'W', '轻盈蓬松的马海毛，颜色温柔。'],
    ['羊绒圆领毛衣', 1, 1599, '极简 优雅', 'W', '山羊绒贴身穿也不扎，轻而暖。'],
    ['麻花针织毛衣', 1, 899, '休闲 复古', 'W', '粗棒针麻花纹，厚实保暖。'],
    ['短款针织开衫', 1, 699, '法式 甜美', 'S', '短款提高腰线，配高腰裙刚好。'],
    ['半高领针织衫', 1, 799, '通勤 极简', 'W', '半高领修饰脖颈，西装内搭不臃肿。'],
    ['蝙蝠袖毛衣', 1, 899, '休闲', 'W', '宽松蝙蝠袖遮手臂，慵懒又好搭。'],
    ['罗纹修身T恤', 2, 259, '极简 休闲', '', '罗纹弹力修身，单穿叠穿都不出错。'],
    ['重磅纯棉T恤', 2, 299, '休闲 极简', '', '重磅纯棉，领口洗多了也不变形。'],
    ['法式印花T恤', 2, 329, '法式 休闲', 'S', '胸前小字印花，松弛感刚好。'],
    ['运动速干T恤', 2, 299, '运动 休闲', 'S', '速干面料，瑜伽跑步都能穿。'],
    ['泡泡袖T恤', 2, 299, '甜美 休闲', 'S', '小泡泡袖修饰肩线，显瘦。'],
    ['蕾丝拼接上衣', 0, 759, '优雅 甜美', 'S', '领口蕾丝拼接，精致不繁复。'],
    ['一字领针织衫', 1, 699, '法式 优雅', 'S', '一字领露出锁骨，温柔有女人味。'],
    ['缎面背心', 3, 459, '优雅 法式', 'S', '缎面光泽，外搭西装就能去约会。'],
    ['羊毛西装马甲', 3, 899, '通勤 复古', '', '西装面料马甲，单穿叠穿都有态度。'],
    ['针织吊带背心', 3, 359, '休闲 度假', 'S', '罗纹针织吊带，夏天单穿清爽。'],
    ['连帽卫衣', 2, 499, '休闲 运动', 'W', '加绒连帽，周末出门最省心。'],
    ['圆领卫衣', 2, 459, '休闲 运动', '', '纯棉毛圈，宽松不挑身材。'],
    ['摇粒绒套头衫', 2, 529, '休闲 运动', 'W', '轻暖摇粒绒，户外通勤都合适。'],
    ['醋酸印花衬衫', 0, 799, '度假 复古', 'S', '复古印花，垂感好不易皱。'],
    ['真丝印花衬衫', 0, 1399, '优雅 复古', 'S', '手绘花卉印花，真丝光泽柔和。'],
    ['立领盘扣上衣', 0, 899, '优雅 复古', '', '新中式立领盘扣，端庄不老气。'],
    ['荷叶边衬衫', 0, 599, '甜美 法式', 'S', '领口荷叶边，温柔减龄。'],
    ['灯笼袖衬衫', 0, 629, '法式 优雅', '', '灯笼袖很出片，袖口收紧不碍事。'],
    ['羊毛混纺打底衫', 1, 459, '通勤 极简', 'W', '薄羊毛混纺，保暖又不显厚。'],
    ['桑蚕丝针织T恤', 2, 699, '优雅 通勤', 'S', '丝棉混纺针织，凉爽有光泽。'],
    ['露肩针织上衣', 1, 599, '度假 甜美', 'S', '露肩设计，度假拍照很出片。'],
    ['娃娃领衬衫', 0, 529, '甜美 复古', '', '圆娃娃领，配针织背心很学院。'],
    ['亚麻背心', 3, 399, '度假 休闲', 'S', '亚麻透气，夏天单穿或叠穿。', '奶白 燕麦色'],
    ['提花针织开衫', 1, 1099, '复古 优雅', 'W', '复古提花图案，配贝母扣。'],
    ['羊绒高领毛衣', 1, 1899, '极简 优雅', 'W', '高领羊绒，冬天里最暖的一件。'],
    ['插肩袖棒球T恤', 2, 329, '休闲 运动', '', '撞色插肩袖，活力十足。'],
    ['抽绳短款上衣', 2, 359, '运动 休闲', 'S', '下摆抽绳可调，配高腰裤显腿长。'],
    ['褶皱垂感上衣', 0, 659, '优雅 通勤', '', '胸前褶皱设计，垂感好不贴身。'],
    ['无袖真丝衬衫', 3, 899, '通勤 优雅', 'S', '无袖真丝，外搭西装进会议室。'],
  ],
  bottom: [
    ['灯芯绒半裙', 1, 599, '复古 休闲', 'W', '灯芯绒A字裙，秋冬配靴子刚好。'],
    ['缎面半身裙', 2, 759, '优雅 法式', '', '缎面光泽随步伐流动，配针织最温柔。'],
    ['羊毛西裤', 0, 999, '通勤 极简', 'W', '羊毛混纺，挺括不起皱。'],
    ['九分烟管裤', 0, 659, '通勤 极简', '', '九分长度露脚踝，显高显瘦。'],
    ['高腰喇叭裤', 0, 599, '复古 通勤', '', '微喇裤脚修饰腿型，配高跟更显腿长。'],
    ['阔腿牛仔裤', 0, 599, '休闲 复古', '', '高腰阔腿，复古水洗。', '牛仔蓝 雾霾蓝 黑色'],
    ['微喇牛仔裤', 0, 559, '休闲 通勤', '', '弹力牛仔，微喇版型不挑腿型。', '牛仔蓝 黑色'],
    ['小脚牛仔裤', 0, 499, '休闲', '', '高弹小脚，配长款外套利落。', '牛仔蓝 黑色 浅灰'],
    ['亚麻阔腿裤', 0, 599, '度假 休闲', 'S', '亚麻透气，夏天穿着凉快。', '奶白 燕麦色 卡其'],
    ['运动束脚裤', 0, 459, '运动 休闲', '', '束脚设计，配运动鞋很精神。'],
    ['瑜伽阔腿裤', 0, 399, '运动 休闲', '', '高弹面料，居家运动两不误。'],
    ['百褶长裙', 1, 699, '优雅 法式', '', '细密百褶，走起路来很灵动。'],
    ['包臀针织半裙', 2, 559, '通勤 优雅', 'W', '针织罗纹包臀，配同色毛衣成套。'],
    ['开衩铅笔裙', 2, 629, '通勤 优雅', '', '后开衩方便走路，职场必备。'],
    ['碎花半身长裙', 1, 599, '度假 甜美', 'S', '碎花雪纺，出游很出片。'],
    ['牛仔半身裙', 2, 459, '休闲 复古', '', 'A字牛仔裙，配T恤就很好看。', '牛仔蓝 雾霾蓝'],
    ['皮质半身裙', 2, 1299, '复古 优雅', 'W', '小羊皮半裙，秋冬有质感。'],
    ['格纹羊毛半裙', 1, 899, '复古 通勤', 'W', '英伦格纹，配乐福鞋很学院。'],
    ['鱼尾半身裙', 2, 699, '优雅 法式', '', '鱼尾下摆，显腰臀曲线。'],
    ['蛋糕裙', 1, 559, '甜美 度假', 'S', '层层荷叶，轻盈可爱。'],
    ['工装裤', 0, 559, '休闲 运动', '', '多口袋工装裤，宽松舒适。'],
    ['西装短裤', 0, 499, '通勤 度假', 'S', '西装面料短裤，夏天通勤也能穿。'],
    ['高腰纸袋裤', 0, 629, '法式 通勤', '', '腰间褶皱纸袋设计，收腹显瘦。'],
    ['醋酸垂感阔腿裤', 0, 759, '优雅 通勤', 'S', '醋酸垂坠，走路带风。'],
    ['羊毛阔腿裤', 0, 1099, '通勤 优雅', 'W', '双面呢阔腿，冬天不冷腿。'],
    ['针织阔腿裤', 0, 499, '休闲 极简', 'W', '软糯针织，居家出街都舒服。'],
    ['灯芯绒阔腿裤', 0, 599, '复古 休闲', 'W', '复古灯芯绒，暖和又有质感。'],
    ['雪纺百褶半裙', 1, 559, '甜美 法式', 'S', '双层雪纺不透，飘逸轻盈。'],
    ['羊毛直筒半裙', 2, 799, '极简 通勤', 'W', '直筒及膝，利落干练。'],
    ['丝绒半身裙', 2, 799, '复古 优雅', 'W', '丝绒光泽，节日聚会很出彩。'],
  ],
  dress: [
    ['法式碎花连衣裙', 0, 999, '法式 甜美', 'S', 'V领碎花，收腰显瘦。'],
    ['缎面吊带裙', 1, 999, '优雅 法式', '', '缎面光泽，外搭针织开衫更日常。'],
    ['针织背心裙', 1, 799, '通勤 复古', 'W', '内搭衬衫或高领，秋冬叠穿。'],
    ['羊毛针织长裙', 2, 1399, '极简 优雅', 'W', '修身不紧绷，外搭大衣很高级。'],
    ['衬衫式长裙', 0, 899, '通勤 极简', '', '系带收腰，一件搞定通勤。'],
    ['亚麻度假长裙', 0, 899, '度假 休闲', 'S', '亚麻透气，海边拍照很出片。', '奶白 燕麦色 薄荷绿'],
    ['小礼服裙', 2, 1599, '优雅', '', '经典及膝，晚宴和酒会都得体。'],
    ['方领泡泡袖连衣裙', 0, 899, '甜美 法式', 'S', '方领露锁骨，泡泡袖减龄。'],
    ['西装连衣裙', 2, 1299, '通勤 优雅', '', '西装领设计，干练又有女人味。'],
    ['一字肩连衣裙', 0, 999, '度假 优雅', 'S', '一字肩露出肩颈线条。'],
    ['旗袍式连衣裙', 2, 1599, '优雅 复古', '', '改良立领盘扣，日常也能穿。'],
    ['蕾丝连衣裙', 0, 1299, '优雅 甜美', 'S', '蕾丝镂空，配内衬不透。'],
    ['卫衣连衣裙', 2, 559, '休闲 运动', 'W', '宽松卫衣裙，配靴子很随性。'],
    ['牛仔连衣裙', 0, 699, '休闲 复古', '', '复古水洗牛仔，腰带可拆。', '牛仔蓝 藏青'],
    ['真丝印花连衣裙', 0, 1899, '优雅 法式', 'S', '真丝印花，轻薄垂坠。'],
    ['吊带雪纺长裙', 1, 799, '度假 甜美', 'S', '雪纺吊带，度假必备。'],
    ['高领针织连衣裙', 2, 1199, '极简 通勤', 'W', '高领修身，外搭大衣很有气质。'],
    ['裹身连衣裙', 0, 1099, '优雅 通勤', '', '裹身系带，随身形调节。'],
    ['波点连衣裙', 0, 799, '复古 甜美', 'S', '复古波点，约会很加分。'],
    ['格纹连衣裙', 0, 899, '复古 通勤', 'W', '英伦格纹，秋冬配长靴。'],
    ['挂脖连衣裙', 1, 899, '度假 优雅', 'S', '挂脖露背，夏日约会很出彩。'],
    ['丝绒长袖连衣裙', 2, 1499, '优雅 复古', 'W', '丝绒质感，节日聚会首选。'],
    ['棉麻娃娃裙', 0, 699, '甜美 休闲', 'S', '宽松娃娃裙，遮肉又减龄。'],
    ['针织Polo连衣裙', 2, 899, '休闲 运动', 'S', 'Polo领针织，利落又休闲。'],
    ['灯芯绒背带裙', 1, 659, '复古 休闲', 'W', '灯芯绒背带裙，内搭毛衣暖和。'],
    ['绑带茶歇裙', 0, 1099, '法式 优雅', 'S', '后背绑带，法式慵懒。'],
  ],
  outerwear: [
    ['羊毛西装外套', 1, 1999, '通勤 极简', '', '挺括肩线，内搭针织或衬衫都利落。'],
    ['长款风衣', 0, 1899, '通勤 法式', 'S', '经典双排扣，腰带系出腰线。'],
    ['双排扣西装外套', 1, 1699, '通勤 复古', '', '复古双排扣，搭西裤或牛仔裤都好看。'],
    ['茧型羊毛大衣', 0, 2999, '极简 优雅', 'W', '茧型廓形，不挑身材。'],
    ['双面羊绒大衣', 0, 3999, '优雅 极简', 'W', '双面羊绒手工缝制，轻而暖。'],
    ['短款羽绒服', 2, 1299, '休闲 运动', 'W', '白鸭绒填充，短款显腿长。'],
    ['长款羽绒服', 2, 1999, '通勤 休闲', 'W', '过膝长款，冬天出门不怕冷。'],
    ['牛仔夹克', 1, 699, '休闲 复古', '', '复古水洗，四季都能穿。', '牛仔蓝 雾霾蓝 奶白'],
    ['皮衣夹克', 1, 2499, '复古 休闲', 'W', '小羊皮机车夹克，越穿越有味道。'],
    ['小香风外套', 1, 1599, '优雅 法式', '', '粗花呢小香风，通勤约会都合适。'],
    ['长款针织外套', 0, 1099, '休闲 极简', 'W', '长款针织，秋天一件就能出门。'],
    ['防晒风衣', 1, 599, '运动 度假', 'S', '轻薄防晒，出游随身带。'],
    ['轻暖棉服', 2, 999, '休闲', 'W', '轻薄棉服，机洗不变形。'],
    ['羊毛短大衣', 1, 1899, '通勤 优雅', 'W', '短款大衣，配裙装刚好。'],
    ['落肩西装外套', 1, 1299, '通勤 休闲', '', '落肩宽松，休闲感西装。'],
    ['斗篷大衣', 0, 2599, '优雅 复古', 'W', '斗篷式廓形，自带气场。'],
    ['派克大衣', 0, 1899, '休闲', 'W', '可拆卸内胆，一衣多穿。'],
    ['夹棉马甲', 2, 599, '休闲 运动', 'W', '夹棉马甲，叠穿保暖。'],
    ['亚麻衬衫外套', 1, 799, '度假 休闲', 'S', '空调房里随手披一件。'],
    ['羊羔毛大衣', 0, 1999, '休闲 甜美', 'W', '羊羔毛蓬松暖和，可爱又保暖。'],
    ['双面呢短外套', 1, 1599, '通勤 极简', 'W', '双面呢无里布，轻薄不臃肿。'],
    ['翻领羊羔绒外套', 1, 1399, '休闲 复古', 'W', '翻领羊羔绒，保暖又有型。'],
    ['雪纺防晒开衫', 1, 399, '度假', 'S', '轻薄雪纺，夏天披着防晒。'],
    ['格纹西装外套', 1, 1499, '复古 通勤', '', '英伦格纹，配半裙很学院。'],
    ['军装风衣', 0, 1699, '复古 通勤', '', '肩章设计，帅气利落。'],
  ],
  shoes: [
    ['马衔扣乐福鞋', 0, 899, '通勤 复古', '', '经典马衔扣，舒适百搭。'],
    ['尖头高跟鞋', 2, 999, '优雅 通勤', '', '6厘米细跟，通勤站一天也不累。'],
    ['猫跟鞋', 2, 859, '法式 优雅', '', '3厘米猫跟，优雅又好走。'],
    ['小白鞋', 3, 599, '休闲 运动', '', '真皮小白鞋，配什么都好看。', '奶白 黑色'],
    ['复古德训鞋', 3, 699, '休闲 复古', '', '麂皮拼接，复古又舒适。'],
    ['厚底运动鞋', 3, 799, '运动 休闲', '', '厚底增高，走路有弹性。'],
    ['过膝长靴', 1, 1699, '优雅', 'W', '弹力靴筒，显腿长。'],
    ['马丁靴', 1, 1199, '休闲 复古', 'W', '八孔马丁靴，帅气耐穿。'],
    ['方头踝靴', 1, 1099, '通勤 极简', 'W', '方头粗跟，配裤装利落。'],
    ['方头单鞋', 0, 799, '法式 复古', '', '方头低跟，舒适好走。'],
    ['芭蕾舞鞋', 0, 699, '甜美 法式', '', '软底芭蕾鞋，柔软如袜。'],
    ['一字带凉鞋', 2, 699, '度假 优雅', 'S', '一字带细跟，夏日约会。'],
    ['穆勒鞋', 0, 659, '休闲 法式', 'S', '后空设计，一脚蹬很方便。'],
    ['编织渔夫鞋', 0, 559, '度假 休闲', 'S', '草编鞋底，度假感十足。', '燕麦色 奶白 黑色'],
    ['绒面踝靴', 1, 1299, '复古 优雅', 'W', '麂皮绒面，质感高级。'],
    ['雪地靴', 1, 899, '休闲', 'W', '羊毛内里，冬天脚不冷。', '燕麦色 驼色 黑色'],
    ['玛丽珍高跟鞋', 2, 899, '甜美 复古', '', '玛丽珍搭带加高跟，复古甜美。'],
  ],
  bag: [
    ['链条包', 2, 1299, '优雅 法式', '', '菱格链条包，可斜挎可肩背。'],
    ['水桶包', 3, 999, '休闲 复古', '', '抽绳水桶包，容量大。'],
    ['马鞍包', 0, 1199, '复古 休闲', '', '马鞍造型，复古又实用。'],
    ['法棍包', 0, 899, '法式 复古', '', '细长法棍包，夹在腋下很精致。'],
    ['帆布托特包', 1, 399, '休闲 度假', '', '厚帆布，通勤上课装电脑都行。', '奶白 燕麦色 黑色'],
    ['羊皮托特包', 1, 1999, '通勤 极简', '', '软羊皮大托特，放得下A4文件。'],
    ['云朵包', 0, 1099, '甜美 休闲', '', '褶皱云朵包，软软的很可爱。'],
    ['草编包', 3, 459, '度假', 'S', '手工草编，海边度假必备。', '燕麦色 奶油黄'],
    ['迷你链条包', 2, 899, '甜美 优雅', '', '迷你尺寸，装口红手机刚好。'],
    ['信封包', 2, 799, '优雅 通勤', '', '信封手拿包，晚宴也能用。'],
    ['双肩包', 1, 899, '休闲 运动', '', '轻便双肩包，出游通勤都行。'],
    ['月牙包', 0, 999, '极简 法式', '', '月牙弧线，简约耐看。'],
    ['饺子包', 0, 899, '休闲 甜美', '', '软皮饺子包，褶皱可爱。'],
    ['琴谱包', 1, 1599, '通勤 复古', '', '硬挺琴谱包，装得下笔记本。'],
    ['斜挎相机包', 2, 699, '休闲 运动', '', '小巧相机包，出游解放双手。'],
    ['编织手提包', 3, 1299, '优雅 度假', '', '皮革编织，手工感强。'],
    ['丝巾链条包', 2, 1099, '法式 优雅', '', '丝巾缠绕链条，可拆换。'],
    ['枕头包', 0, 1099, '复古 休闲', '', '枕头造型，容量友好。'],
  ],
  accessory: [
    ['珍珠发夹', 2, 199, '甜美 法式', '', '一排淡水珍珠，随手一夹就精致。', '奶白 樱花粉 黑色'],
    ['羊毛贝雷帽', 4, 299, '法式 复古', 'W', '羊毛贝雷帽，秋冬出片必备。'],
    ['针扣皮带', 3, 399, '通勤 极简', '', '头层牛皮，配西裤或牛仔裤都行。'],
    ['细腰带', 3, 299, '优雅 法式', '', '细腰带收出腰线，配连衣裙和大衣。'],
    ['羊绒围巾', 0, 899, '优雅 极简', 'W', '纯羊绒，柔软保暖。'],
    ['真丝长巾', 0, 399, '优雅 法式', '', '细长丝巾可系包，也可系在颈间。'],
    ['珍珠项链', 5, 599, '优雅 法式', '', '淡水珍珠项链，通勤约会都合适。', '奶白 樱花粉'],
    ['锁骨链', 5, 399, '极简 通勤', '', '细锁骨链，日常叠戴。'],
    ['水滴耳环', 1, 259, '优雅 甜美', '', '水滴造型，修饰脸型。', '奶白 焦糖'],
    ['渔夫帽', 4, 259, '休闲 度假', 'S', '宽檐渔夫帽，防晒显脸小。'],
    ['大号抓夹', 2, 199, '休闲 甜美', '', '大号抓夹，一秒盘发。'],
    ['格纹围巾', 0, 459, '复古 休闲', 'W', '英伦格纹羊毛围巾。'],
    ['链条腰带', 3, 459, '复古 优雅', '', '金属链条腰带，配连衣裙更精致。'],
  ],
}

/**
 * Fibres named by a style's name or copy, most specific first: '羊毛混纺' is wool, '丝棉'
 * is silk and cotton. A style that names none gets its category's usual fabric, so every
 * demo style says what it is made of (and 不穿的面料 has something to leave out).
 */
const MATERIAL_WORDS: [RegExp, string][] = [
  [/羊绒/, '羊绒'],
  [/羊毛|马海毛|双面呢|粗花呢|呢|羊羔毛|贝雷帽/, '羊毛'],
  [/真丝|桑蚕丝|丝棉|丝巾|长巾/, '真丝'],
  [/亚麻|棉麻/, '亚麻'],
  [/纯棉|棉质|棉麻|丝棉|牛仔|帆布|牛津纺|灯芯绒|卫衣|T恤|毛圈|条纹衬衫|娃娃领|白衬衫/, '棉'],
  [/醋酸/, '醋酸'],
  [/莫代尔|垂感|褶皱/, '粘胶'],
  [/雪纺|缎面|速干|防晒|羽绒|棉服|夹棉|摇粒绒|派克|丝绒/, '涤纶'],
  [/瑜伽|运动|速干|抽绳/, '锦纶'],
  [/皮|麂|小白鞋|乐福|马丁|德训/, '皮革'],
]

const USUAL_MATERIAL: Record<ProductCategory, string> = {
  top: '棉',
  bottom: '涤纶',
  dress: '涤纶',
  outerwear: '涤纶',
  shoes: '皮革',
  bag: '皮革',
  accessory: '涤纶',
}

export function materialsFor(name: string, description: string, category: ProductCategory): string[] {
  const text = `${name} ${description}`
  const found = [...new Set(MATERIAL_WORDS.filter(([pattern]) => pattern.test(text)).map(([, material]) => material))]
  // Jewellery, straw and the like are not fabrics at all.
  if (found.length === 0 && /珍珠|链|草编|编织|发夹|抓夹|耳环/.test(text)) return []
  return found.length ? found.slice(0, 2) : [USUAL_MATERIAL[category]]
}

/** Days since a season's styles arrived, so "new" sorts by season and then by arrival. */
const SEASON_AGE_DAYS: Record<string, number> = { '24W': 790, '25S': 610, '25W': 430, '26S': 250, '26W': 10 }

/** Colours most styles come in, so an outfit can be put together in any of them. */
export const NEUTRALS = ['黑色', '奶白', '燕麦色', '浅灰', '藏青', '驼色', '卡其']

function extraSpecs(rng: Random): DemoStyleSpec[] {
  const palette = [...COLORS, ...EXTRA_COLORS]
  const hexOf = new Map(palette)
  const specs: DemoStyleSpec[] = []
  for (const [category, styles] of Object.entries(EXTRA_STYLES) as [ProductCategory, ExtraStyle[]][]) {
    for (const [name, variant, yuan, tags, half, description, named] of styles) {
      const season =
        half === 'W'
          ? rng.weighted([
              ['26W', 3],
              ['25W', 1],
            ] as const)
          : half === 'S'
            ? rng.weighted([
                ['26S', 3],
                ['25S', 1],
              ] as const)
            : rng.pick(['25S', '25W', '26S', '26W'])
      // A neutral first, then others (drawn from all, so a second neutral is fine).
      const count = category === 'bag' || category === 'accessory' ? rng.int(1, 3) : rng.int(2, 4)
      const neutral = rng.pick(NEUTRALS)
      const others = rng.sample(palette, count).map(([colorName]) => colorName)
      const colors = named ? named.split(' ') : [...new Set([neutral, ...others])].slice(0, count)
      specs.push({
        styleCode: `QL${season}${String(300 + specs.length).padStart(3, '0')}`,
        name,
        category,
        variant,
        priceFen: yuan * 100,
        season,
        tags: tags.split(' '),
        description,
        colors: colors.map((colorName) => ({ name: colorName, hex: hexOf.get(colorName)! })),
      })
    }
  }
  return specs
}

/**
 * Stock for one colour at one store: now and then a colour is gone from a store, the end
 * sizes run out first, and about a fifth of all SKUs are at zero.
 */
function stockForColour(rng: Random, sizes: string[]): number[] {
  const gone = rng.chance(0.05)
  return sizes.map((_, i) => {
    const edge = sizes.length > 1 && (i === 0 || i === sizes.length - 1)
    const zero = rng.chance(sizes.length === 1 ? 0.15 : edge ? 0.28 : 0.08)
    if (gone || zero) return 0
    return edge ? rng.int(1, 4) : rng.int(1, 8)
  })
}

function buildStyle(spec: DemoStyleSpec, rng: Random, storeIds: string[], now: number): DemoProduct {
  const sizes = sizesFor(spec.category)
  const skus: DemoSku[] = spec.colors.flatMap((color, c) =>
    sizes.map((size) => ({ id: skuId(spec.styleCode, c, size), color: color.name, colorHex: color.hex, size, position: 0 })),
  )
  skus.forEach((sku, position) => (sku.position = position))
  const first = spec.colors[0]!
  const images: DemoProductImage[] = [
    ...spec.colors.map((color) => ({ url: garmentImageUrl(spec.category, spec.variant, color.hex), color: color.name })),
    { url: garmentImageUrl(spec.category, spec.variant, first.hex, true), color: first.name },
  ]
  const stock: DemoStock[] = storeIds.flatMap((storeId) =>
    spec.colors.flatMap((_, c) =>
      stockForColour(rng, sizes).map((quantity, s) => ({ storeId, skuId: skus[c * sizes.length + s]!.id, quantity })),
    ),
  )
  const ageDays = (SEASON_AGE_DAYS[spec.season] ?? 900) + rng.int(0, 40)
  return {
    id: `P${spec.styleCode}`,
    styleCode: spec.styleCode,
    name: spec.name,
    category: spec.category,
    priceFen: spec.priceFen,
    season: spec.season,
    tags: spec.tags,
    description: spec.description,
    materials: materialsFor(spec.name, spec.description, spec.category),
    colors: spec.colors,
    sizes,
    skus,
    images,
    imageUrl: images[0]!.url,
    stock,
    createdAt: now - ageDays * DAY,
  }
}

/**
 * The whole catalogue: the given styles (the garments the orders were bought from) first,
 * then the rest, all with SKUs, pictures and stock at every store.
 */
export function buildDemoCatalog(styles: DemoStyleSpec[], storeIds: string[], now: number): DemoProduct[] {
  const rng = new Random(CATALOG_SEED)
  const specs = [...styles, ...extraSpecs(rng)]
  return specs.map((spec) => buildStyle(spec, rng, storeIds, now))
}
