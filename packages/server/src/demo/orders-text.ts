import type { Urgency } from '@haitang/contracts';

/**
 * The wording of generated work orders: what residents report per category (codes of
 * reference-data.ts), what handlers reply, and the notes of the other steps. Placeholders:
 * {addr} the full address, {b} the building, {u} the unit, {estate} the estate, {person} a name.
 */

/** Where a problem is: inside a home, at a building (stairwell, door), or at an open spot. */
export type Where = 'home' | 'building' | 'spot';

export interface ProblemText {
  title: string;
  text: string;
  where: Where;
}

export interface CategoryText {
  /** Relative frequency among reported problems. */
  weight: number;
  /** Extra weight in June to September (rain, heat, insects, open windows). */
  summer?: number;
  problems: ProblemText[];
  replies: string[];
  /** Evidence notes of a grid worker who solves it at once; absent: never solved on the spot. */
  onSpot?: string[];
  /** Checklist of the complex variant (清单式逐项办理); absent: never complex. */
  checklist?: string[][];
  /** Seen on patrols (public places), not only reported from homes. */
  patrol?: boolean;
  urgencies: readonly (readonly [Urgency, number])[];
}

const NORMAL: CategoryText['urgencies'] = [['normal', 90], ['urgent', 10]];
const PRESSING: CategoryText['urgencies'] = [['normal', 72], ['urgent', 20], ['emergency', 8]];

export const CATEGORY_TEXT: Record<string, CategoryText> = {
  garbage: {
    weight: 14,
    summer: 4,
    patrol: true,
    urgencies: NORMAL,
    problems: [
      { title: '{b}旁垃圾桶满溢未及时清运', text: '{b}旁边的垃圾桶已经满了两天，垃圾散落在地上，天热有异味，希望尽快清运。', where: 'spot' },
      { title: '{b}楼下堆放装修垃圾', text: '{b}楼下堆了很多装修垃圾，占了通道，不知道是哪户的，请物业处理。', where: 'building' },
      { title: '垃圾分类投放点周边脏乱', text: '{estate}{b}附近的垃圾分类投放点周边地面很脏，湿垃圾桶盖子坏了，蚊蝇很多。', where: 'spot' },
      { title: '大件垃圾长期未清运', text: '{b}旁有旧沙发、旧床垫等大件垃圾放了一个多星期，请安排清运。', where: 'spot' },
      { title: '绿化带内有积存垃圾', text: '{estate}{b}旁绿化带里有不少塑料袋、饮料瓶等积存垃圾，请安排清理。', where: 'spot' },
    ],
    replies: [
      '已联系保洁人员将垃圾清运完毕，并对周边地面进行了冲洗。',
      '已清运，后续将加强巡查，督促保洁人员按时清运。',
      '装修垃圾已由业主清运，物业已告知装修垃圾须袋装并到指定地点堆放。',
      '大件垃圾已预约清运，现场已清理干净。',
    ],
    onSpot: ['现场联系保洁人员清运，垃圾已清理干净。', '网格员现场清理散落垃圾，并提醒住户定时定点投放。'],
  },
  corridor_clutter: {
    weight: 10,
    patrol: true,
    urgencies: NORMAL,
    problems: [
      { title: '{b}{u}楼道堆放杂物', text: '{b}{u}楼道里堆了纸板箱、旧家具，影响通行，也有消防隐患。', where: 'building' },
      { title: '楼道内停放电动车', text: '{b}{u}一楼楼道里停着电动车，还有人在楼道里充电，存在安全隐患。', where: 'building' },
      { title: '楼道堆放腌菜缸和花盆', text: '{b}{u}楼梯转角放了腌菜缸和很多花盆，老人上下楼不方便。', where: 'building' },
    ],
    replies: [
      '已上门劝导住户清理楼道杂物，现楼道已畅通。',
      '已告知车主电动车不得进楼道停放充电，车辆已移至集中充电点。',
      '物业已会同网格员清理楼道堆物，并张贴了楼道禁止堆物的提示。',
    ],
    onSpot: ['现场劝导住户搬离楼道杂物，楼道已恢复畅通。', '现场联系车主将电动车移至集中充电点。'],
  },
  greenery: {
    weight: 6,
    summer: 3,
    patrol: true,
    urgencies: NORMAL,
    problems: [
      { title: '{b}前树枝遮挡窗户', text: '{addr}窗前的树长得太高，树枝挡住了窗户，影响采光，希望修剪。', where: 'home' },
      { title: '绿化带杂草丛生', text: '{estate}{b}旁绿化带里杂草很多，夏天蚊虫多，请安排除草。', where: 'spot' },
      { title: '树木倾斜有倒伏风险', text: '{b}旁边一棵树向楼房倾斜，刮风时担心倒下，请派人查看。', where: 'spot' },
      { title: '公共绿地被毁种菜', text: '{b}旁的公共绿地被人开垦种菜，还浇粪水，气味难闻。', where: 'spot' },
    ],
    replies: ['已安排绿化养护人员修剪树枝。', '已完成除草和绿化带清理。', '已对倾斜树木进行加固支撑，后续持续观察。', '已劝导住户清除菜地，绿地已补种草皮。'],
    onSpot: ['网格员现场清理了绿化带内的枯枝杂草。'],
    checklist: [['现场查看树木倾斜情况', '联系园林养护单位评估', '实施修剪加固', '复查加固效果']],
  },
  road_damage: {
    weight: 6,
    patrol: true,
    urgencies: NORMAL,
    problems: [
      { title: '小区道路路面坑洼', text: '{estate}{b}门口路面有坑，下雨就积水，老人走路容易摔倒。', where: 'spot' },
      { title: '人行道地砖松动', text: '{b}附近人行道地砖松动翘起，晚上看不清容易绊倒。', where: 'spot' },
      { title: '窨井盖破损', text: '{b}旁边道路上的窨井盖有裂缝，车开过去晃动，担心塌陷。', where: 'spot' },
    ],
    replies: ['已对破损路面进行修补。', '松动地砖已重新铺设。', '已更换窨井盖，并设置了临时警示标志直至养护完成。'],
    checklist: [['现场查看破损范围', '设置警示标志', '路面修补施工', '施工完成后复查']],
  },
  street_light: {
    weight: 6,
    patrol: true,
    urgencies: NORMAL,
    problems: [
      { title: '{b}附近路灯不亮', text: '{b}旁边的路灯坏了好几天，晚上漆黑一片，出行不安全。', where: 'spot' },
      { title: '楼道感应灯损坏', text: '{b}{u}楼道感应灯不亮，老人晚上上下楼看不清。', where: 'building' },
      { title: '路灯白天常亮', text: '{estate}{b}附近有几盏路灯白天也一直亮着，浪费电。', where: 'spot' },
    ],
    replies: ['已更换灯具，路灯恢复正常照明。', '已维修楼道感应灯。', '已调整路灯控制开关，恢复按时开关。'],
  },
  drain_blocked: {
    weight: 6,
    summer: 6,
    patrol: true,
    urgencies: PRESSING,
    problems: [
      { title: '下水道堵塞污水外溢', text: '{b}门口窨井堵塞，污水冒出来，气味很大。', where: 'spot' },
      { title: '雨后积水排不出去', text: '下雨后{b}旁道路积水严重，雨水井可能堵了。', where: 'spot' },
      { title: '{b}{u}污水管堵塞', text: '{b}{u}的公共污水管堵了，一楼住户家里地漏返水。', where: 'building' },
    ],
    replies: ['已疏通管道，污水已清理。', '已清掏雨水井，积水已排除。', '已疏通公共污水管，并对一楼住户家中进行了清洁消毒。'],
    checklist: [['管道疏通', '清理外溢污水并消毒', '检查排水管网是否破损', '复查排水情况']],
  },
  elevator: {
    weight: 1,
    urgencies: PRESSING,
    problems: [
      { title: '{b}{u}加装电梯停运', text: '{b}{u}加装的电梯停了两天，家里有老人，上下楼很困难。', where: 'building' },
      { title: '加装电梯运行有异响', text: '{b}{u}加装电梯运行时有异响，住户担心安全。', where: 'building' },
    ],
    replies: ['已联系电梯维保单位检修，电梯已恢复运行。', '维保单位已检修并更换部件，异响已消除。'],
  },
  water_leak: {
    weight: 7,
    summer: 3,
    urgencies: PRESSING,
    problems: [
      { title: '楼上渗水导致天花板发霉', text: '{addr}卫生间天花板渗水，怀疑楼上防水层坏了，和楼上沟通没有结果，请帮忙协调。', where: 'home' },
      { title: '顶楼屋面漏水', text: '{addr}在顶楼，下雨天屋顶漏水，墙面大片发霉。', where: 'home' },
      { title: '外墙渗水', text: '{addr}靠外墙一侧渗水，墙皮脱落。', where: 'home' },
      { title: '公共水管爆裂', text: '{b}{u}楼道里的公共水管爆了，水流到楼梯上，请马上处理。', where: 'building' },
    ],
    replies: [
      '已协调楼上住户修复防水层，渗水问题已解决。',
      '物业已对屋面进行防水修补，经雨天检验不再渗漏。',
      '已完成外墙防水修补。',
      '已关闭阀门并更换破损水管，楼道积水已清理。',
    ],
    checklist: [
      ['现场查看确认渗漏点', '协调楼上住户同意入户维修', '修复防水层', '雨后复查渗漏情况'],
      ['现场查看屋面破损情况', '申请维修资金', '屋面防水维修施工', '雨后复查'],
    ],
  },
  parking: {
    weight: 8,
    patrol: true,
    urgencies: NORMAL,
    problems: [
      { title: '非机动车乱停放堵塞通道', text: '{estate}{b}门口电动车、自行车乱停，堵住了消防通道。', where: 'spot' },
      { title: '外来车辆占用小区通道', text: '有外来车辆长期停在{b}旁通道里，影响通行。', where: 'spot' },
      { title: '僵尸自行车长期占用车棚', text: '{b}车棚里有很多破旧自行车多年没人骑，占了位置，请清理。', where: 'spot' },
    ],
    replies: ['已组织清理，车辆已规范停放到非机动车棚。', '已联系车主挪车，并在通道处设置了禁停标识。', '已张贴认领公告，到期后清理无主车辆若干辆。'],
    onSpot: ['现场将乱停的非机动车整理进车棚。', '现场联系车主挪走车辆，通道已畅通。'],
    checklist: [['张贴认领公告', '登记无主车辆', '公告期满集中清理', '重新划定停车位']],
  },
  noise: {
    weight: 8,
    summer: 3,
    urgencies: NORMAL,
    problems: [
      { title: '夜间装修噪音扰民', text: '{addr}楼上晚上十点以后还在装修，噪音很大，影响休息。', where: 'home' },
      { title: '广场舞音响声音过大', text: '晚上{estate}空地上广场舞音响声音太大，希望调低音量、缩短时间。', where: 'spot' },
      { title: '邻居家狗叫扰民', text: '{addr}隔壁邻居家的狗经常叫，晚上也叫，影响休息。', where: 'home' },
      { title: '空调外机噪音大', text: '{addr}楼下住户的空调外机噪音很大，晚上开着睡不着。', where: 'home' },
    ],
    replies: [
      '已上门告知住户装修时间规定，住户表示配合。',
      '已与广场舞队伍负责人沟通，音量已调低，活动时间缩短到晚上九点前。',
      '已上门调解，养犬户表示会加强管理。',
      '已协调住户对空调外机加装减震垫。',
    ],
    onSpot: ['现场与装修住户沟通，住户同意按规定时间施工。', '现场与广场舞负责人沟通，音量已调低。'],
  },
  dispute_other: {
    weight: 4,
    urgencies: NORMAL,
    problems: [
      { title: '邻里因公共区域使用产生纠纷', text: '{addr}与对门邻居因楼道公共区域放置物品发生矛盾，希望社区调解。', where: 'home' },
      { title: '晾晒衣物滴水纠纷', text: '楼上晾晒衣物滴水到{addr}阳台，多次沟通无果。', where: 'home' },
      { title: '一楼住户占用公共绿地', text: '{b}一楼住户把门前公共绿地围起来当自家院子，其他居民有意见。', where: 'building' },
    ],
    replies: ['网格员已组织双方调解，达成一致意见。', '已上门沟通，双方各退一步，矛盾已化解。', '经调解，住户已拆除围栏，绿地恢复公共使用。'],
    onSpot: ['网格员现场组织双方沟通，达成一致。'],
    checklist: [['分别听取双方意见', '组织双方调解', '拆除违规围栏', '回访双方']],
  },
  security_risk: {
    weight: 4,
    patrol: true,
    urgencies: PRESSING,
    problems: [
      { title: '单元门门禁损坏', text: '{b}{u}单元门门禁坏了，陌生人随便进出，担心安全。', where: 'building' },
      { title: '陌生人上门推销保健品', text: '最近有陌生人在{estate}挨家挨户推销保健品，专门找老人，担心受骗。', where: 'spot' },
      { title: '围墙破损有人翻越', text: '{estate}{b}后面的围墙破了个口子，经常有人从这里进出。', where: 'spot' },
    ],
    replies: ['已维修单元门禁。', '民警已到场处置，并在小区开展防诈骗宣传。', '已修补围墙破口，并加强夜间巡逻。'],
  },
  fire_risk: {
    weight: 5,
    patrol: true,
    urgencies: PRESSING,
    problems: [
      { title: '飞线充电', text: '{b}有住户从楼上拉电线下来给电动车充电，存在火灾隐患。', where: 'building' },
      { title: '消防通道被占用', text: '{estate}{b}旁的消防通道被杂物和车辆占用。', where: 'spot' },
      { title: '楼道灭火器过期', text: '{b}{u}楼道里的灭火器过期了，请更换。', where: 'building' },
    ],
    replies: ['已拆除飞线，并告知住户到集中充电点充电。', '已清理消防通道，并设置禁停标识。', '已更换楼道灭火器。'],
    onSpot: ['现场劝导住户拆除飞线，改到集中充电点充电。', '现场清理了消防通道内的杂物。'],
    checklist: [['排查楼栋飞线充电情况', '拆除飞线', '增设集中充电桩', '开展消防安全宣传']],
  },
  hukou_migration: {
    weight: 1,
    urgencies: NORMAL,
    problems: [
      { title: '咨询户口迁移办理材料', text: '想把户口迁到{estate}，咨询需要准备哪些材料、到哪里办理。', where: 'home' },
      { title: '子女户口随迁咨询', text: '{addr}住户咨询子女户口随迁需要的证明材料。', where: 'home' },
    ],
    replies: ['已电话告知办理所需材料及户籍窗口办理时间。', '已告知随迁所需证明材料，住户已预约到户籍窗口办理。'],
  },
  certificates: {
    weight: 2,
    urgencies: NORMAL,
    problems: [
      { title: '咨询居住证办理', text: '租住在{addr}，咨询居住证办理流程和需要的材料。', where: 'home' },
      { title: '老人身份证过期行动不便', text: '{addr}老人身份证过期了，腿脚不便没法去窗口，咨询能否上门办理。', where: 'home' },
    ],
    replies: ['已告知办理流程及所需材料。', '已预约民警上门为老人采集信息，办理身份证换领。'],
  },
  home_care: {
    weight: 4,
    urgencies: NORMAL,
    problems: [
      { title: '独居老人需要上门照料', text: '{addr}的独居老人行动不便，希望社区安排居家养老上门服务。', where: 'home' },
      { title: '申请适老化改造', text: '家里老人年纪大了，{addr}卫生间想加装扶手，咨询适老化改造政策。', where: 'home' },
      { title: '老人需要陪同就医', text: '{addr}老人子女在外地，需要定期去医院配药，希望有志愿者陪同。', where: 'home' },
    ],
    replies: ['已对接居家养老服务中心，安排每周上门服务。', '已登记并安排评估人员上门，扶手已安装。', '已安排楼嫂志愿服务队志愿者定期陪同就医。'],
    checklist: [['上门评估老人需求', '对接居家养老服务机构', '确定服务内容和频次', '首次上门服务后回访']],
  },
  meal_service: {
    weight: 3,
    urgencies: NORMAL,
    problems: [
      { title: '老人助餐服务咨询', text: '咨询社区助餐点的用餐时间和补贴标准。', where: 'home' },
      { title: '希望助餐送餐上门', text: '{addr}老人腿脚不便，希望助餐能送餐上门。', where: 'home' },
    ],
    replies: ['已告知助餐点用餐时间和补贴政策。', '已为老人开通送餐上门服务。'],
  },
  praise: {
    weight: 1.5,
    urgencies: [['normal', 1]],
    problems: [
      { title: '表扬网格员热心服务', text: '{person}多次上门帮忙解决问题，服务热情周到，特此表扬。', where: 'home' },
      { title: '感谢网格员及时处理问题', text: '反映的问题{person}当天就来处理了，效率很高，特此感谢。', where: 'home' },
    ],
    replies: ['已收到表扬，感谢居民的认可，将继续做好服务。'],
  },
  other_matters: {
    weight: 5,
    urgencies: NORMAL,
    problems: [
      { title: '咨询社区活动报名', text: '想报名参加社区组织的活动，咨询报名方式。', where: 'home' },
      { title: '建议增设休闲座椅', text: '建议在{estate}{b}附近增设几张休闲座椅，方便老人休息。', where: 'spot' },
      { title: '快递乱堆放', text: '{b}楼下快递堆放在地上，经常有丢失，建议设置快递柜。', where: 'building' },
      { title: '宣传栏破损', text: '{estate}{b}旁的宣传栏玻璃破了，有安全隐患。', where: 'spot' },
    ],
    replies: ['已告知报名方式。', '建议已收悉，社区将结合居民意见统筹考虑。', '已协调快递公司设置临时投递点。', '已更换宣传栏玻璃。'],
  },
};

/** The 12345-style names of callers who do not give their full name. */
export const HONORIFICS = { male: '先生', female: '女士' } as const;

export const REJECT_NOTES = [
  '诉求内容不明确，多次联系反映人未接通，不予受理。',
  '反映事项属于民事合同纠纷，已告知通过法律途径解决，不予受理。',
  '反映地点不在本社区辖区，已告知向所在社区反映。',
];

export const RETURN_NOTES = [
  '经核实，该问题不属于本单位职责范围，请重新派遣。',
  '反映地点不在本单位负责区域，请改派。',
  '该事项需由物业或社区先行处置，请改派。',
];

export const EXTENSION_NOTES = [
  '需要协调相关住户入户维修，申请延期。',
  '维修材料需要订购，到货后施工，申请延期。',
  '连续阴雨无法施工，申请延期。',
  '涉及多户居民，需要逐户沟通，申请延期。',
];

export const DENY_NOTES = ['问题处置难度不大，请在原期限内办结。', '延期理由不充分，请抓紧办理。'];

export const SEND_BACK_NOTES = ['现场核查问题仍未解决，请继续办理。', '回复内容不完整，请补充处理情况并上传照片。', '居民反映问题依旧存在，请再次处理。'];

export const REOPEN_NOTES = ['回访居民不满意：问题反复出现，需重新处理。', '回访居民不满意：处理不彻底，请重新办理。'];

export const SUPERVISE_NOTES = ['该工单已临近办理时限，请加快办理并及时回复。', '居民多次来电反映，请抓紧办理。', '该工单已超期，请说明原因并尽快办结。'];

export const CALLBACK_NOTES: Record<'satisfied' | 'basically_satisfied' | 'dissatisfied', string[]> = {
  satisfied: ['电话回访，居民表示满意。', '上门回访，居民对处理结果满意。'],
  basically_satisfied: ['电话回访，居民表示基本满意，希望今后加强巡查。', '回访居民，表示基本满意。'],
  dissatisfied: ['电话回访，居民表示问题没有彻底解决。', '回访居民不满意，反映问题再次出现。'],
};

export const ITEM_DONE_NOTES = ['已完成。', '已办结，现场已拍照留存。', '已落实到位。'];

export const ITEM_WAIVED_NOTE = '经现场核实无需办理。';

/** A template with its placeholders filled in. */
export function fill(template: string, v: { addr: string; b: string; u: string; estate: string; person?: string }): string {
  return template
    .replaceAll('{addr}', v.addr)
    .replaceAll('{b}', v.b)
    .replaceAll('{u}', v.u)
    .replaceAll('{estate}', v.estate)
    .replaceAll('{person}', v.person ?? '');
}
