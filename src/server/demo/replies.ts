// Long: about 150 replies written out as data, group by group.
/**
 * The demo's reply library: about 150 replies in 12 groups (two with subgroups), every
 * kind of part, written as a fashion brand's guides would write them.
 */
import type { ReplyPart, ReplyStage } from '../../shared/replies'
import { careLabelPng, sizeChartPng, storeMapPng } from './art-png'

export interface DemoAsset {
  id: string
  filename: string
  bytes: Buffer
}

export interface DemoReplyGroup {
  id: string
  parentId: string | null
  name: string
}

export interface DemoReply {
  id: string
  groupId: string
  title: string
  parts: ReplyPart[]
  tags: string[]
  stages: ReplyStage[]
  /** A personal reply belongs to this guide; corporate when absent. */
  ownerId?: string
}

export interface DemoReplies {
  assets: DemoAsset[]
  groups: DemoReplyGroup[]
  personalGroups: (DemoReplyGroup & { ownerId: string })[]
  replies: DemoReply[]
}

const MINI_APPID = 'wx8a3f6b1c2d4e5f60'
const t = (text: string): ReplyPart => ({ type: 'text', text })
const img = (assetId: string): ReplyPart => ({ type: 'image', assetId })
const news = (title: string, desc: string, slug: string, cover: string): ReplyPart => ({
  type: 'news',
  title,
  desc,
  url: `https://m.qilan.example/${slug}`,
  coverUrl: cover,
})
const mini = (title: string, page: string, cover: string): ReplyPart => ({
  type: 'miniprogram',
  appid: MINI_APPID,
  page,
  title,
  coverUrl: cover,
})
const cover = (category: string, variant: number, hex: string) => `/media/demo/garment/${category}-${variant}-${hex}.svg`

export function buildDemoReplies(): DemoReplies {
  const assets: DemoAsset[] = [
    { id: 'img_size_tops', filename: '上装尺码表.png', bytes: sizeChartPng('#8e6c8a') },
    { id: 'img_size_bottoms', filename: '下装尺码表.png', bytes: sizeChartPng('#5b8a72', 'bottoms') },
    { id: 'img_care_label', filename: '洗护标识.png', bytes: careLabelPng() },
    { id: 'img_map_s001', filename: '静安店位置.png', bytes: storeMapPng() },
  ]

  const groups: DemoReplyGroup[] = [
    { id: 'g_greeting', parentId: null, name: '开场问候' },
    { id: 'g_size', parentId: null, name: '尺码建议' },
    { id: 'g_size_tops', parentId: 'g_size', name: '上装与连衣裙' },
    { id: 'g_size_bottoms', parentId: 'g_size', name: '裤装与半裙' },
    { id: 'g_size_shoes', parentId: 'g_size', name: '鞋履' },
    { id: 'g_fabric', parentId: null, name: '面料与洗护' },
    { id: 'g_stock', parentId: null, name: '到货与预订' },
    { id: 'g_returns', parentId: null, name: '退换与售后' },
    { id: 'g_store', parentId: null, name: '门店与服务' },
    { id: 'g_new', parentId: null, name: '新品推荐' },
    { id: 'g_styling', parentId: null, name: '搭配建议' },
    { id: 'g_styling_work', parentId: 'g_styling', name: '通勤' },
    { id: 'g_styling_weekend', parentId: 'g_styling', name: '周末与度假' },
    { id: 'g_member', parentId: null, name: '会员权益' },
    { id: 'g_birthday', parentId: null, name: '生日与节日' },
    { id: 'g_promo', parentId: null, name: '活动与优惠' },
    { id: 'g_after', parentId: null, name: '购后关怀' },
  ]

  const replies: DemoReply[] = []
  let n = 0
  const add = (groupId: string, title: string, parts: ReplyPart[], extra: { tags?: string[]; stages?: ReplyStage[] } = {}) =>
    replies.push({
      id: `r_demo_${String(++n).padStart(3, '0')}`,
      groupId,
      title,
      parts,
      tags: extra.tags ?? [],
      stages: extra.stages ?? [],
    })

  // 开场问候
  add(
    'g_greeting',
    '初次添加问候',
    [t('{称呼}您好，我是绮澜{门店}的导购{导购}。以后尺码、到货、搭配有任何问题，直接在这里找我就好～')],
    { stages: ['new_customer'], tags: ['新客'] },
  )
  add('g_greeting', '到店后问候', [t('{称呼}，今天谢谢您来店里！试过的那几件我都记下了，有新款到了第一时间告诉您。')], {
    stages: ['new_customer'],
  })
  add('g_greeting', '久未联系问候', [t('{称呼}好久不见～最近店里到了不少新款，很适合您的风格，有空来试试？')], {
    tags: ['沉睡', '流失预警'],
  })
  add('g_greeting', '早安问候', [t('{称呼}早上好！今天降温，出门记得加件外套哦。')])
  add('g_greeting', '节后问候', [t('{称呼}假期过得开心吗？店里节后上新了一批早春款，给您留意着。')])
  add('g_greeting', '高净值客户问候', [t('{称呼}您好，作为我们的{会员等级}，本季新品您可以优先预约试穿，我帮您安排专属时段。')], {
    tags: ['高净值'],
  })
  add('g_greeting', '同事交接问候', [
    t('{称呼}您好，我是{门店}的{导购}，之后由我来为您服务，您之前的尺码和喜好我都了解了，有需要随时找我。'),
  ])
  add('g_greeting', '回复晚了致歉', [t('{称呼}不好意思刚才在接待客人，回复晚了～您刚才问的我这就帮您看。')])
  add('g_greeting', '晚间结束语', [t('好的{称呼}，那我明天一早再帮您确认，晚安～')])
  add('g_greeting', '感谢信任', [t('谢谢{称呼}一直以来的信任，有您这样的老顾客是我们最大的动力！')], { tags: ['复购'] })

  // 尺码建议
  add('g_size_tops', '上装尺码表', [
    t('{称呼}，这是我们上装的尺码表，标黄的一行是大多数客人穿的 M 码，您可以对照一下平时的胸围和肩宽：'),
    img('img_size_tops'),
  ])
  add('g_size_tops', '衬衫选码', [t('我们的衬衫是合身版，如果您喜欢宽松一点、或者想里面叠穿，建议比平时大一码。')])
  add('g_size_tops', '针织衫选码', [t('针织衫有弹性，按平时尺码选就好；羊绒款洗后会略微回缩，喜欢宽松的可以大一码。')])
  add('g_size_tops', '西装选码', [
    t('西装建议看肩宽：肩线刚好落在肩峰就是合适的。您平时穿{会员等级}档案里的尺码的话，这款选同码就好。'),
  ])
  add('g_size_tops', '连衣裙选码', [t('这款连衣裙是收腰设计，主要看腰围；胯比较宽的话可以大一码，腰部我们可以免费修改。')])
  add('g_size_tops', '大衣选码', [t('大衣是落肩宽松版，冬天里面要穿毛衣的话按平时尺码就够，不用再大一码。')])
  add('g_size_tops', '肩宽窄的客人', [t('您肩比较窄的话，落肩款会更好看，正肩西装可以选小一码再改袖长。')])
  add('g_size_tops', 'T恤选码', [t('T 恤是微宽松版型，按平时尺码就可以，想要 oversize 的效果可以大一到两码。')])
  add('g_size_tops', '尺码拿不准', [t('{称呼}如果拿不准尺码，可以两个码都帮您留着，来店里试穿后再决定～')])
  add('g_size_tops', '孕期选码', [t('孕期的话建议选 A 字或直筒的连衣裙，尺码按现在的胸围选，腰部不会有压迫感。')], {
    tags: ['孕期'],
  })

  add('g_size_bottoms', '下装尺码表', [t('{称呼}，这是裤装和半裙的尺码表（按腰围对照）：'), img('img_size_bottoms')])
  add('g_size_bottoms', '阔腿裤选码', [t('阔腿裤按腰围选就好，裤长偏长，个子不高的话我们可以免费改裤长。')])
  add('g_size_bottoms', '牛仔裤选码', [t('这款牛仔裤含少量弹力，会越穿越松一点，两个码之间建议选小的那个。')])
  add('g_size_bottoms', '臀围较宽', [t('臀围比较宽的话，建议看直筒或微喇的版型，选码以臀围为准，腰部可以收。')])
  add('g_size_bottoms', '半裙长度', [t('这款半裙长度到小腿中间，身高 160 左右穿刚好，矮一点的话可以改短 3–5 厘米。')])
  add('g_size_bottoms', '改裤长服务', [t('裤长可以免费修改，一般 2–3 天就能取，着急的话当天下午也可以。')])
  add('g_size_bottoms', '西装裤选码', [t('西装裤是高腰设计，腰头比普通裤子高 3 厘米，选码可以按平时的腰围。')])
  add('g_size_bottoms', '百褶裙选码', [t('百褶裙腰部是松紧设计，S 码适合腰围 60–66，M 码 66–72。')])

  add('g_size_shoes', '鞋码建议', [t('我们的鞋码是标准码，脚背高或者脚偏宽的话建议大半码。')])
  add('g_size_shoes', '靴子选码', [t('切尔西靴冬天可能穿厚袜子，建议选大半码；想穿得利落就选平时的码。')])
  add('g_size_shoes', '乐福鞋磨脚', [t('乐福鞋刚开始可能有点紧，皮面会随脚型慢慢变软，前两天可以先在室内穿一穿。')])
  add('g_size_shoes', '鞋子试穿', [t('鞋子最好下午来试，那时候脚会比早上大一点，选出来的码最准。')])
  add('g_size_shoes', '玛丽珍鞋', [t('玛丽珍鞋的搭扣可以调，脚背薄厚都能穿，按平时尺码就好。')])
  add('g_size_shoes', '鞋码与上次一致', [t('{称呼}您上次买的鞋穿着合适吗？这双是同一个楦头，选一样的码就可以。')], {
    stages: ['after_purchase'],
  })

  // 面料与洗护
  add('g_fabric', '洗护标识说明', [
    t('{称呼}，这是这件衣服的洗护标识，简单说就是：冷水手洗、不可漂白、平铺晾干、低温熨烫。'),
    img('img_care_label'),
  ])
  add('g_fabric', '羊绒洗护', [t('羊绒建议冷水手洗，用专用洗涤剂，轻按不要揉搓，洗完平铺晾干，不要挂着，否则会变形。')])
  add('g_fabric', '真丝洗护', [t('真丝建议干洗；在家洗的话用冷水和中性洗涤剂，不要拧干，阴凉处晾干，熨烫时垫一块布。')])
  add('g_fabric', '羊毛大衣保养', [t('双面羊毛大衣不建议水洗，平时用衣刷顺着纹理刷一刷就好，一季干洗一次。收纳时用宽肩衣架。')])
  add('g_fabric', '起球处理', [t('针织衫刚开始穿摩擦多的地方会有少量起球，用去球器轻轻推掉就好，一般穿几次之后就稳定了。')])
  add('g_fabric', '醋酸面料', [t('醋酸面料垂感好但怕高温，建议手洗或干洗，不要用烘干机。')])
  add('g_fabric', '亚麻褶皱', [t('亚麻天然会有一些褶皱，这是面料的特点；想平整一点可以喷水后挂着，或者中温熨烫。')])
  add('g_fabric', '牛仔褪色', [t('深色牛仔前几次洗可能会有一点浮色，建议单独反面冷水洗，可以加一勺盐固色。')])
  add('g_fabric', '皮鞋保养', [t('皮鞋建议每隔一两周用鞋油保养一次，淋雨后用干布擦干，塞上报纸自然阴干。')])
  add('g_fabric', '对羊毛过敏', [t('如果对羊毛过敏，推荐看我们的棉麻和真丝系列，贴身穿更舒服。')], { tags: ['在意面料'] })
  add('g_fabric', '面料成分查询', [t('这款的面料成分是 70% 羊毛、30% 羊绒，里衬是铜氨丝，吊牌上也有写。')])

  // 到货与预订
  add('g_stock', '帮您留货', [t('好的{称呼}，已经帮您把这件留好了，保留 3 天，来店里直接找我就可以。')])
  add('g_stock', '断码调货', [t('这个尺码门店暂时断码了，我帮您从其他门店调一件过来，大概 2–3 天到，到了第一时间通知您。')])
  add('g_stock', '预订新品', [t('这款下周二到店，我先帮您预订一件，到货后给您发消息。')])
  add('g_stock', '到货通知', [t('{称呼}，您之前问的那件到货啦！给您留了您的尺码，这周都可以来试。')])
  add('g_stock', '线上下单', [
    t('门店没有的话也可以在小程序下单，选择到店自提或者快递到家都可以：'),
    mini('绮澜官方商城', 'pages/index/index.html', cover('outerwear', 0, 'd8c8ae')),
  ])
  add('g_stock', '快递发货', [t('可以的，我这边帮您安排快递，今天下单明天发出，顺丰一般 1–2 天到。')])
  add('g_stock', '补货时间', [t('这款补货大概在两周后，我把您登记在到货提醒名单里了。')])
  add('g_stock', '售罄推荐替代', [t('这款已经售罄了，不过有一款版型很像、颜色更适合秋冬的，我拍给您看看？')])
  add('g_stock', '预约试穿', [t('{称呼}想哪天过来试穿？我提前帮您把尺码都准备好，来了直接试不用等。')])
  add('g_stock', '到店提醒', [t('{称呼}，给您留的衣服明天就到保留期了，如果这两天来不了告诉我，我帮您再延长几天～')])

  // 退换与售后
  add('g_returns', '退换政策', [t('我们支持 7 天无理由退换，吊牌完好、未洗涤即可，凭小票在任一门店办理。')])
  add('g_returns', '线上退换', [
    t('线上订单在小程序的“我的订单”里申请退换就可以：'),
    mini('申请退换', 'pages/order/refund.html', cover('bag', 0, 'c3c4c6')),
  ])
  add('g_returns', '质量问题', [
    t('非常抱歉给您带来不好的体验！质量问题我们包退包换，麻烦拍一下问题部位的照片给我，我马上帮您处理。'),
  ])
  add('g_returns', '修改服务', [t('裤长、袖长、腰围都可以免费修改，一般 3 天内完成。')])
  add('g_returns', '退款到账', [t('退款原路返回，微信支付一般 1–3 个工作日到账，银行卡 3–7 个工作日。')])
  add('g_returns', '换码流程', [t('换码的话直接拿到店里，或者寄回给我，我收到后当天把新尺码寄出。')])
  add('g_returns', '过了退换期', [t('已经过了 7 天退换期，不过我帮您问一下店长，看能不能特殊处理。')])
  add('g_returns', '售后安抚', [t('{称呼}，真的很抱歉让您跑了一趟，这次给您换的那件我亲自检查过了，有任何问题随时找我。')])
  add('g_returns', '发票开具', [t('发票可以在小程序订单里申请电子发票，或者把抬头和税号发给我，我帮您开。')])

  // 门店与服务
  add('g_store', '静安店地址', [
    t('我们在上海静安嘉里中心南区 L2，靠近 2 号门，地铁 2/7 号线静安寺站 11 号口出来走 5 分钟：'),
    img('img_map_s001'),
  ])
  add('g_store', '湖滨店地址', [t('我们在杭州湖滨银泰 in77 B 区 2 楼，地铁 1 号线龙翔桥站 C 口出来就是。')])
  add('g_store', '营业时间', [t('门店营业时间是每天 10:00–22:00，节假日照常营业。')])
  add('g_store', '停车信息', [t('商场地下有停车场，消费满 500 元可以免费停 2 小时，结账时告诉收银员车牌号就好。')])
  add('g_store', '预约专属试衣间', [t('{称呼}，周末人多，我帮您预约专属试衣间，来了不用排队。')], { tags: ['高净值'] })
  add('g_store', '上门试穿', [t('{会员等级}可以预约上门试穿服务，我带几件适合您的款过去，您在家慢慢试。')], { tags: ['高净值'] })
  add('g_store', '礼品包装', [t('需要礼品包装的话我们有免费的礼盒和手写卡片，您告诉我想写的祝福就好。')], { tags: ['送礼需求'] })
  add('g_store', '形象顾问服务', [t('我们每月第一个周六有形象顾问驻店，可以帮您做色彩和体型分析，需要的话我帮您预约。')])
  add('g_store', '寄存服务', [t('逛街东西多的话可以先寄存在店里，走的时候再来拿～')])

  // 新品推荐
  const arrivals: [string, string, string, string, string][] = [
    ['双面羊毛大衣', '燕麦色与焦糖色两款，落肩宽松版，轻而暖', 'outerwear', 'd8c8ae', 'coat-2026'],
    ['真丝衬衫', '19 姆米重磅真丝，通勤和约会都能穿', 'top', 'f1ebdf', 'silk-shirt'],
    ['高腰阔腿裤', '垂感醋酸面料，显高显瘦', 'bottom', '2f3d5c', 'wide-trousers'],
    ['碎花茶歇裙', '法式小碎花，度假必备', 'dress', 'e8bfc4', 'tea-dress'],
    ['羊绒针织衫', '100% 山羊绒，五色可选', 'top', '8fa3b8', 'cashmere'],
    ['切尔西短靴', '头层牛皮，防滑橡胶底', 'shoes', '6f7450', 'chelsea'],
    ['腋下包', '小巧百搭，可斜挎', 'bag', 'a8693b', 'baguette'],
    ['短款风衣', '防泼水面料，春秋都能穿', 'outerwear', 'c3c4c6', 'short-trench'],
    ['针织连衣裙', '修身不紧绷，一件穿出高级感', 'dress', '7c2f3a', 'knit-dress'],
    ['珍珠耳环', '淡水珍珠，配什么都好看', 'accessory', 'f1ebdf', 'pearls'],
  ]
  for (const [name, desc, category, hex, slug] of arrivals) {
    add(
      'g_new',
      `新品：${name}`,
      [
        t(`{称呼}，${name}到店了，${desc}，我觉得很适合您：`),
        news(`新品 | ${name}`, desc, `new/${slug}`, cover(category, 0, hex)),
      ],
      {
        tags: ['复购', '高净值'],
      },
    )
  }
  add(
    'g_new',
    '本周新品合集',
    [news('本周上新 | 秋冬通勤系列', '大衣、针织、阔腿裤，一次看全', 'new/week', cover('outerwear', 1, '6f7450'))],
    { tags: ['通勤'] },
  )
  add('g_new', '新品直播预告', [
    t('周四晚 8 点我们有新品直播，{称呼}有空可以来看看，直播间有专属优惠～'),
    mini('新品直播间', 'pages/live/index.html', cover('dress', 1, '2b2b2e')),
  ])

  // 搭配建议
  const workLooks: [string, string][] = [
    ['衬衫 + 阔腿裤', '真丝衬衫配高腰阔腿裤，腰线提高，腿显长，通勤很利落。'],
    ['针织衫 + 半裙', '羊绒针织衫配 A 字半裙，柔和又有精气神，适合开会的日子。'],
    ['西装 + 连衣裙', '针织连衣裙外搭西装外套，进可开会退可约会。'],
    ['大衣 + 烟管裤', '双面大衣配烟管裤和乐福鞋，冬天的通勤标配。'],
    ['风衣 + 牛仔裤', '短款风衣配直筒牛仔裤，周五也可以穿得轻松一点。'],
    ['同色系穿搭', '燕麦色大衣 + 奶白针织 + 浅灰西裤，同色系最显高级。'],
  ]
  for (const [title, text] of workLooks)
    add('g_styling_work', `通勤：${title}`, [t(`{称呼}，推荐一个搭配：${text}`)], { tags: ['通勤'] })
  const weekendLooks: [string, string][] = [
    ['茶歇裙 + 玛丽珍鞋', '碎花茶歇裙配玛丽珍鞋，周末约会很温柔。'],
    ['T恤 + 百褶裙', '条纹 T 恤配百褶裙和小白鞋，轻松又减龄。'],
    ['度假裙 + 草编包', '吊带裙外搭一件开衫，海边早晚温差也不怕。'],
    ['牛仔裤 + 羊羔毛', '羊羔毛夹克配直筒牛仔裤，冬天出游暖和又好看。'],
    ['亚麻西装 + 短裤', '亚麻西装配短裤和乐福鞋，夏天度假的松弛感。'],
    ['一身黑的变化', '全黑穿搭加一条真丝方巾，立刻有亮点。'],
  ]
  for (const [title, text] of weekendLooks)
    add('g_styling_weekend', `周末：${title}`, [t(`{称呼}，周末可以试试这样穿：${text}`)], { tags: ['度假', '休闲'] })
  add('g_styling', '根据已购搭配', [t('{称呼}，您上次买的那件和我们新到的一条半裙特别配，要不要我拍一张搭配照给您看看？')], {
    stages: ['after_purchase'],
    tags: ['复购'],
  })
  add('g_styling', '不穿亮色的搭配', [t('知道您不太穿亮色，这次给您配的是黑白灰和大地色系，很好搭。')], {
    tags: ['不穿亮色', '只要黑白灰'],
  })
  add('g_styling', '怕冷的搭配', [t('您怕冷的话，里面可以加一件薄款羊绒打底，外面大衣就不用太厚，进出商场也不闷。')], {
    tags: ['怕冷'],
  })
  add('g_styling', '爱穿裙子', [t('给爱穿裙子的您推荐一个冬天的穿法：针织连衣裙 + 长靴 + 大衣，暖和又有女人味。')], {
    tags: ['爱穿裙子'],
  })
  add('g_styling', '整套搭配图', [
    t('我按您的尺码搭了一整套，您看看喜不喜欢：'),
    news('为您搭配 | 秋冬通勤一周穿搭', '五套不重样，件件可混搭', 'looks/week', cover('outerwear', 0, '2f3d5c')),
  ])

  // 会员权益
  add(
    'g_member',
    '会员权益介绍',
    [
      t('{称呼}，成为绮澜会员可以享受积分抵现、生日礼、新品优先预约等权益：'),
      mini('会员中心', 'pages/member/index.html', cover('accessory', 0, 'e8bfc4')),
    ],
    { stages: ['new_customer'] },
  )
  add('g_member', '积分查询', [
    t('您的积分可以在会员中心查看，100 积分可以抵 1 元：'),
    mini('我的积分', 'pages/member/points.html', cover('accessory', 1, 'f1ebdf')),
  ])
  add('g_member', '会员升级', [t('{称呼}，您现在是{会员等级}，再消费一点就可以升级了，升级后生日礼和专属折扣都会更好～')])
  add(
    'g_member',
    '注册会员',
    [
      t('还没有注册会员的话，点这里 30 秒就能注册，今天消费就能积分：'),
      mini('注册会员', 'pages/member/register.html', cover('bag', 1, 'd8c8ae')),
    ],
    { stages: ['new_customer'], tags: ['新客'] },
  )
  add('g_member', '会员日', [t('每月 18 号是会员日，{会员等级}全场 9 折，积分双倍。')])
  add('g_member', '积分到期提醒', [t('{称呼}，您有一部分积分月底就要到期了，可以来店里抵现用掉哦～')])
  add('g_member', '铂金会员专属', [t('作为铂金会员，您可以享受免费上门试穿、终身免费修改和专属顾问服务。')], { tags: ['高净值'] })
  add('g_member', '会员绑定', [t('您把手机号告诉我，我帮您把会员卡和微信绑定，以后积分和订单在这里就能看到。')])

  // 生日与节日
  add('g_birthday', '生日祝福', [t('{称呼}生日快乐！🎂 绮澜为您准备了一份生日礼，这个月来店里就可以领取～')], {
    stages: ['birthday_month'],
  })
  add('g_birthday', '生日月专属优惠', [t('{称呼}，生日月您可以享受一次 8 折优惠，全场通用，祝您生日快乐！')], {
    stages: ['birthday_month'],
  })
  add(
    'g_birthday',
    '生日礼领取',
    [
      t('生日礼可以到店领取，也可以在小程序里选择快递到家：'),
      mini('领取生日礼', 'pages/member/birthday.html', cover('accessory', 1, 'e8bfc4')),
    ],
    { stages: ['birthday_month'] },
  )
  add(
    'g_birthday',
    '生日穿搭推荐',
    [
      t('生日那天想穿得特别一点吗？我给您挑了几件适合拍照的：'),
      news('生日穿搭 | 闪亮登场', '丝绒、珍珠、小黑裙', 'looks/birthday', cover('dress', 1, '7c2f3a')),
    ],
    { stages: ['birthday_month'] },
  )
  add('g_birthday', '春节问候', [t('{称呼}新年快乐！感谢这一年的陪伴，祝您新的一年万事顺意，每天都美美的～')])
  add('g_birthday', '妇女节问候', [t('{称呼}节日快乐！今天店里有鲜花相送，路过的话进来坐坐。')])
  add('g_birthday', '中秋问候', [t('中秋快乐{称呼}！月圆人团圆，祝您和家人幸福安康。')])
  add('g_birthday', '圣诞问候', [t('{称呼}圣诞快乐！店里的圣诞限定礼盒到了，送人自用都合适。')], { tags: ['送礼需求'] })
  add('g_birthday', '母亲节送礼', [t('母亲节快到了，送妈妈一条羊绒围巾或真丝方巾都很合适，需要的话我帮您包好。')], {
    tags: ['送礼需求'],
  })

  // 活动与优惠
  add('g_promo', '满减活动', [t('{称呼}，这周末全场满 2000 减 300，上次您看中的那件大衣正好可以用上。')])
  add('g_promo', '老客专享', [t('感谢{称呼}一直支持，我申请到一张老客专享券，这个月内都能用～')], { tags: ['复购', '高净值'] })
  add('g_promo', '换季折扣', [t('换季折扣开始了，部分秋冬款 7 折，您的尺码还有，要不要我先帮您留？')])
  add('g_promo', '沉睡客户唤醒', [t('{称呼}好久不见！这次回来给您准备了一份回归礼，到店消费就送精美丝巾一条。')], {
    tags: ['沉睡', '流失预警'],
  })
  add('g_promo', '直播专属价', [
    t('今晚直播间有专属价，比门店还优惠，链接发您：'),
    mini('直播间', 'pages/live/index.html', cover('top', 0, 'f1ebdf')),
  ])
  add('g_promo', '推荐有礼', [t('推荐朋友成为会员，您和朋友都可以得到 100 元无门槛券哦～')], { tags: ['老客推荐'] })
  add('g_promo', '活动规则', [
    news('活动规则 | 冬季会员月', '满减、积分、赠品，规则一览', 'events/winter', cover('outerwear', 0, '2b2b2e')),
  ])
  add('g_promo', '限时秒杀', [
    t('明天上午 10 点小程序限时秒杀，您关注的那款也在里面，定好闹钟哦！'),
    mini('限时秒杀', 'pages/flash/index.html', cover('shoes', 0, '2b2b2e')),
  ])

  // 购后关怀
  add('g_after', '购后第三天关怀', [t('{称呼}，新衣服穿着怎么样？有任何不合适的地方随时告诉我，7 天内都可以退换。')], {
    stages: ['after_purchase'],
  })
  add('g_after', '洗护提醒', [t('提醒一下{称呼}，这件第一次洗建议冷水手洗，平铺晾干，能穿得更久～'), img('img_care_label')], {
    stages: ['after_purchase'],
  })
  add('g_after', '搭配回访', [t('您买的那件外套，我想到一个新的搭法，配一条深色阔腿裤会很好看，发图给您参考？')], {
    stages: ['after_purchase'],
  })
  add(
    'g_after',
    '评价邀请',
    [
      t('{称呼}，如果您对这次购物满意，可以在小程序给我们一个评价吗？谢谢您！'),
      mini('写评价', 'pages/order/review.html', cover('top', 2, 'c3c4c6')),
    ],
    { stages: ['after_purchase'] },
  )
  add('g_after', '修改完成通知', [t('{称呼}，您改的裤长已经好了，这周都可以来取。')], { stages: ['after_purchase'] })
  add('g_after', '快递签收确认', [t('快递显示已经签收啦，{称呼}收到了吗？试穿后有任何问题随时找我。')], {
    stages: ['after_purchase'],
  })
  add('g_after', '一个月回访', [t('{称呼}，那件大衣穿了一个月了，有没有起球或者变形？羊毛大衣平时挂在宽肩衣架上就好。')], {
    stages: ['after_purchase'],
  })
  add('g_after', '退换后回访', [t('换的那件合适吗？这次的尺码有没有更舒服一些？')], { stages: ['after_purchase'] })
  add(
    'g_after',
    '复购推荐',
    [
      t('{称呼}，您上次买的那款出了新颜色，这次是雾霾蓝，很衬您的肤色：'),
      news('新色 | 雾霾蓝', '同款新色，限量到店', 'new/blue', cover('top', 1, '8fa3b8')),
    ],
    { stages: ['after_purchase'], tags: ['复购'] },
  )

  // A few more answers guides asked for after the first weeks.
  add('g_stock', '到货时间查询', [t('我帮{称呼}查了一下，这款仓库已经发货，预计周四到店，到了马上告诉您。')])
  add('g_returns', '换货邮寄地址', [t('寄回换货请寄到：上海静安嘉里中心南区 L2 绮澜门店 {导购} 收，运费到付就好。')])
  add('g_store', '门店导航', [
    t('这是门店的位置，导航搜“绮澜 {门店}”就能找到：'),
    news('绮澜门店导航', '营业时间 10:00–22:00 · 可预约试衣间', 'stores/nav', cover('bag', 1, 'd8c8ae')),
  ])
  add('g_size_shoes', '鞋码换算', [t('我们的鞋码是欧码，平时穿 37 的选 37，脚背偏高的建议大半码。')])
  add('g_fabric', '羊绒起球', [t('羊绒轻微起球是正常的，用羊绒梳顺着一个方向轻轻梳掉就好，越穿会越少。')], {
    stages: ['after_purchase'],
  })
  add('g_new', '本周新品合集', [
    t('{称呼}，这周新到的几款都在这里了，看看有没有喜欢的：'),
    mini('本周新品', 'pages/new/week.html', cover('dress', 2, 'c9a27e')),
  ])
  add('g_member', '积分查询', [t('{称呼}目前是{会员等级}，积分在小程序“我的”页面可以查到，100 积分抵 1 元。')])
  add('g_birthday', '生日当天祝福', [t('{称呼}生日快乐！🎂 今天来店里有专属生日礼，我给您准备好了。')], {
    stages: ['birthday_month'],
  })
  add('g_promo', '活动规则说明', [t('这次活动是满 1000 减 150，可以和会员折扣一起用，积分也照常累计。')])
  add('g_after', '穿着效果回访', [t('{称呼}，那件衣服穿出去效果怎么样？方便的话发张照片给我看看～')], {
    stages: ['after_purchase'],
  })

  // 李娜的个人话术
  const personalGroups = [{ id: 'g_lina_mine', parentId: null, name: '我的常用', ownerId: 'lina' }]
  let p = 0
  const mine = (title: string, text: string) =>
    replies.push({
      id: `r_lina_${String(++p).padStart(2, '0')}`,
      groupId: 'g_lina_mine',
      title,
      parts: [t(text)],
      tags: [],
      stages: [],
      ownerId: 'lina',
    })
  mine('我的开场白', '{称呼}您好呀，我是小娜～有什么想看的直接告诉我！')
  mine('周末在店', '我这周六周日都在店里，{称呼}过来的话提前说一声，我给您准备好试穿的衣服。')
  mine('帮拍实物图', '我这就去仓库拍实物图给您，稍等几分钟～')
  mine('休息日说明', '我明天休息哦，有急事可以找我同事王蕾，我已经跟她交代过您的尺码了。')

  return { assets, groups, personalGroups, replies }
}
