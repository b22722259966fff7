import type { AllianceKind, OrgKind } from '@haitang/contracts';
import { tileBox, type Box } from './geo.js';

/**
 * The demo world of the seed's news reports (../shared/seed): 苏州市 → 姑苏区 沧浪街道 竹辉社区 with
 * 4 grids and 16 micro-grids, 绿色时光社区, 金阊街道 桃花坞社区, 相城区 相城高新区 峰汇园社区, 黄桥街道
 * 司法所, 吴江经济技术开发区派出所. Pure data: seed.ts turns it into rows.
 */
export interface OrgSpec {
  /** Stable key used to refer to the node from other specs. */
  key: string;
  kind: OrgKind;
  name: string;
  code?: string;
  box?: Box;
  children?: OrgSpec[];
}

/** 姑苏区 320508, 相城区 320507, 吴江区 320509: the region codes of the fake ID numbers. */
export const REGION_CODES = { gusu: '320508', xiangcheng: '320507', wujiang: '320509' } as const;
export type RegionKey = keyof typeof REGION_CODES;

const GRID_ORDINALS = ['第一', '第二', '第三', '第四', '第五', '第六'];

/**
 * A community whose box is tiled into `gridCols × gridRows` grids, each tiled into
 * `microCols × microRows` micro-grids. Keys: `<key>.g<i>` and `<key>.g<i>.m<j>` (1-based).
 */
function community(
  key: string,
  name: string,
  gridPrefix: string,
  box: Box,
  [gridCols, gridRows]: [number, number],
  [microCols, microRows]: [number, number],
): OrgSpec {
  const grids = tileBox(box, gridCols, gridRows).map((gridBox, gi): OrgSpec => {
    const ord = GRID_ORDINALS[gi]!;
    return {
      key: `${key}.g${gi + 1}`,
      kind: 'grid',
      name: `${gridPrefix}${ord}网格`,
      code: `${key.toUpperCase()}-G${gi + 1}`,
      box: gridBox,
      children: tileBox(gridBox, microCols, microRows).map((microBox, mi) => ({
        key: `${key}.g${gi + 1}.m${mi + 1}`,
        kind: 'micro_grid' as const,
        name: `${ord}网格第${mi + 1}微网格`,
        code: `${key.toUpperCase()}-G${gi + 1}-M${mi + 1}`,
        box: microBox,
      })),
    };
  });
  return { key, kind: 'community', name, box, children: grids };
}

const dept = (key: string, name: string): OrgSpec => ({ key, kind: 'department', name });

export const ORG_TREE: OrgSpec = {
  key: 'suzhou',
  kind: 'city',
  name: '苏州市',
  code: '320500',
  children: [
    {
      key: 'gusu',
      kind: 'district',
      name: '姑苏区',
      code: REGION_CODES.gusu,
      children: [
        {
          key: 'canglang',
          kind: 'street',
          name: '沧浪街道',
          children: [
            community('zhuhui', '竹辉社区', '竹辉', { west: 120.62, south: 31.286, east: 120.632, north: 31.294 }, [2, 2], [2, 2]),
            community('lvsg', '绿色时光社区', '绿色时光', { west: 120.607, south: 31.286, east: 120.619, north: 31.293 }, [2, 2], [2, 1]),
            dept('canglang.police', '沧浪派出所'),
            dept('canglang.cityMgmt', '沧浪街道城管中队'),
            dept('zhuhui.property', '竹辉物业服务中心'),
          ],
        },
        {
          key: 'jinchang',
          kind: 'street',
          name: '金阊街道',
          children: [
            community('taohuawu', '桃花坞社区', '桃花坞', { west: 120.604, south: 31.315, east: 120.614, north: 31.321 }, [2, 1], [2, 1]),
          ],
        },
      ],
    },
    {
      key: 'xiangcheng',
      kind: 'district',
      name: '相城区',
      code: REGION_CODES.xiangcheng,
      children: [
        {
          key: 'xcHighTech',
          kind: 'street',
          name: '相城高新区',
          children: [
            community('fenghuiyuan', '峰汇园社区', '峰汇园', { west: 120.59, south: 31.398, east: 120.602, north: 31.405 }, [2, 1], [2, 1]),
          ],
        },
        { key: 'huangqiao', kind: 'street', name: '黄桥街道', children: [dept('huangqiao.justice', '黄桥街道司法所')] },
      ],
    },
    {
      key: 'wujiang',
      kind: 'district',
      name: '吴江区',
      code: REGION_CODES.wujiang,
      children: [
        {
          key: 'wjEtdz',
          kind: 'street',
          name: '吴江经济技术开发区',
          children: [dept('wjEtdz.police', '吴江经济技术开发区派出所')],
        },
      ],
    },
  ],
};

/** Residential estates: buildings 1幢…N幢 spread over a community's micro-grids, in order. */
export interface EstateSpec {
  community: string;
  region: RegionKey;
  estate: string;
  buildings: number;
  units: number;
  floors: number;
  roomsPerFloor: number;
  /** Share of rooms with a registered household. */
  occupancy: number;
}

export const ESTATES: EstateSpec[] = [
  // 24 buildings of 3 units × 6 floors × 2 rooms (101…602) over 竹辉's 16 micro-grids.
  { community: 'zhuhui', region: 'gusu', estate: '竹辉新村', buildings: 24, units: 3, floors: 6, roomsPerFloor: 2, occupancy: 0.99 },
  { community: 'lvsg', region: 'gusu', estate: '绿色时光花园', buildings: 8, units: 1, floors: 6, roomsPerFloor: 2, occupancy: 0.95 },
  { community: 'taohuawu', region: 'gusu', estate: '桃花坞新村', buildings: 4, units: 1, floors: 5, roomsPerFloor: 2, occupancy: 0.95 },
  { community: 'fenghuiyuan', region: 'xiangcheng', estate: '峰汇园', buildings: 4, units: 2, floors: 6, roomsPerFloor: 2, occupancy: 0.9 },
];

/** Named people of the seed who live in 竹辉新村 (杨先生 is anonymous; 曹金 is an auxiliary police officer, not a resident). */
export const NAMED_RESIDENTS = [
  // "竹辉新村居民刘香梅": the garden between 11幢 and 17幢.
  { name: '刘香梅', gender: 'female' as const, age: 63, building: 17, unit: 1, room: '302', tags: ['volunteer'] as const },
];

export interface TeamSpec {
  community: string;
  kind: 'vanguard' | 'volunteer';
  name: string;
  description: string;
  size: number;
  /** Vanguard: members per grid (each member looks after a grid). */
  perGrid?: number;
  /** Volunteer teams of 绿色时光: the grid each team cleans (分片包干). */
  grid?: number;
  womenOnly?: boolean;
}

export const TEAMS: TeamSpec[] = [
  { community: 'zhuhui', kind: 'vanguard', name: '海棠先锋队', description: '16人海棠先锋队伍，联合物业深入网格入户走访，简单问题现场处置，复杂问题清单式逐项办理', size: 16, perGrid: 4 },
  { community: 'zhuhui', kind: 'volunteer', name: '楼嫂志愿服务队', description: '为辖区老人开展陪聊、关爱走访', size: 12, womenOnly: true },
  { community: 'zhuhui', kind: 'volunteer', name: '便民服务队', description: '义诊、养老服务、便民维修', size: 10 },
  { community: 'zhuhui', kind: 'volunteer', name: '文化惠民服务队', description: '文艺活动联演、文化进社区', size: 10 },
  ...['一', '二', '三', '四'].map((n, i): TeamSpec => ({
    community: 'lvsg',
    kind: 'volunteer',
    name: `志愿服务${n}队`,
    description: `环境卫生整治分片包干：绿色时光${GRID_ORDINALS[i]}网格`,
    size: 8,
    grid: i + 1,
  })),
];

export interface AllianceSpec {
  community: string;
  kind: AllianceKind;
  name: string;
  contactName: string;
  contactPhone: string;
  address: string;
  services: string;
}

export const ALLIANCE: AllianceSpec[] = [
  { community: 'zhuhui', kind: 'property', name: '竹辉物业服务中心', contactName: '陆建平', contactPhone: '0512-65190101', address: '竹辉新村1幢底层', services: '物业服务、议事厅环境卫生轮值、入户走访' },
  { community: 'zhuhui', kind: 'co_building', name: '沧浪派出所', contactName: '沈国栋', contactPhone: '0512-65190110', address: '姑苏区竹辉路', services: '平安宣传、治安巡逻、户籍咨询' },
  { community: 'zhuhui', kind: 'co_building', name: '竹辉实验小学', contactName: '顾文静', contactPhone: '0512-65190233', address: '姑苏区竹辉路', services: '青少年课堂、假期托管' },
  { community: 'zhuhui', kind: 'social_org', name: '姑苏区乐龄社会工作服务中心', contactName: '钱晓燕', contactPhone: '0512-65190368', address: '姑苏区沧浪街道', services: '居家养老、陪聊义诊' },
  { community: 'zhuhui', kind: 'social_org', name: '沧浪街道文化艺术团', contactName: '朱美华', contactPhone: '0512-65190472', address: '竹辉社区活动室', services: '文艺演出、文化惠民' },
  { community: 'lvsg', kind: 'property', name: '绿色时光物业管理处', contactName: '吴永康', contactPhone: '0512-65180125', address: '绿色时光花园1幢', services: '物业服务、环境卫生整治' },
];

/** The three-level party chain and the other communities' party organisations. */
export const PARTY = {
  zhuhuiCommittee: '竹辉社区大党委',
  actionBranches: [
    { name: '微党课', description: '行动支部：微党课进网格、进楼道', size: 10 },
    { name: '竹韵家园', description: '行动支部：竹韵家园环境共治与议事', size: 12 },
  ],
  centerHouseholdsPerBranch: 3,
  otherCommittees: [
    { community: 'lvsg', name: '绿色时光社区党总支' },
    { community: 'taohuawu', name: '桃花坞社区党委' },
    { community: 'fenghuiyuan', name: '峰汇园社区党支部' },
  ],
} as const;
