import { createRequire } from 'node:module';
import type { Urgency } from '@haitang/contracts';

/** The two-level category taxonomy a new installation starts with (staff can change it). */
export const DEFAULT_CATEGORIES: { code: string; name: string; children: { code: string; name: string }[] }[] = [
  {
    code: 'sanitation',
    name: '环境卫生',
    children: [
      { code: 'garbage', name: '垃圾清运' },
      { code: 'corridor_clutter', name: '楼道堆物' },
      { code: 'greenery', name: '绿化养护' },
    ],
  },
  {
    code: 'municipal',
    name: '市政设施',
    children: [
      { code: 'road_damage', name: '道路破损' },
      { code: 'street_light', name: '路灯故障' },
      { code: 'drain_blocked', name: '下水道堵塞' },
    ],
  },
  {
    code: 'property',
    name: '物业管理',
    children: [
      { code: 'elevator', name: '电梯故障' },
      { code: 'water_leak', name: '房屋漏水' },
      { code: 'parking', name: '停车管理' },
    ],
  },
  {
    code: 'neighbour_dispute',
    name: '邻里纠纷',
    children: [
      { code: 'noise', name: '噪音扰民' },
      { code: 'dispute_other', name: '其他纠纷' },
    ],
  },
  {
    code: 'public_security',
    name: '治安',
    children: [
      { code: 'security_risk', name: '治安隐患' },
      { code: 'fire_risk', name: '消防隐患' },
    ],
  },
  {
    code: 'household_registration',
    name: '户籍',
    children: [
      { code: 'hukou_migration', name: '户口迁移' },
      { code: 'certificates', name: '证件办理' },
    ],
  },
  {
    code: 'elderly_care',
    name: '养老服务',
    children: [
      { code: 'home_care', name: '居家养老' },
      { code: 'meal_service', name: '助餐服务' },
    ],
  },
  { code: 'other', name: '其他', children: [{ code: 'praise', name: '表扬' }, { code: 'other_matters', name: '其他事项' }] },
];

/**
 * Default limits (design.md §3, from published provincial 12345 rules; all are settings):
 * handle within 5 working days, urgent within 2, emergencies within 2 hours.
 */
export const DEFAULT_SLA: { urgency: Urgency; signHours: number; handleLimit: number; handleUnit: 'working_days' | 'hours' }[] = [
  { urgency: 'normal', signHours: 24, handleLimit: 5, handleUnit: 'working_days' },
  { urgency: 'urgent', signHours: 4, handleLimit: 2, handleUnit: 'working_days' },
  { urgency: 'emergency', signHours: 1, handleLimit: 2, handleUnit: 'hours' },
];

/** Extension at most 10 working days in all; a return only within 2 working days of dispatch. */
export const MAX_EXTENSION_DAYS = 10;
export const RETURN_WINDOW_DAYS = 2;

/** The years the bundled chinese-days package knows (an admin adds later years in the console). */
export const BUNDLED_CALENDAR_YEARS = [2024, 2025, 2026];

/** Holidays and adjusted working days of a year from the chinese-days package, or null. */
export function bundledCalendar(year: number): { holidays: string[]; workdays: string[] } | null {
  const require = createRequire(import.meta.url);
  try {
    const data = require(`chinese-days/dist/years/${year}.json`) as { holidays: Record<string, string>; workdays: Record<string, string> };
    return { holidays: Object.keys(data.holidays).sort(), workdays: Object.keys(data.workdays).sort() };
  } catch {
    return null;
  }
}
