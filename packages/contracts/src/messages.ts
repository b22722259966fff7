import type { ErrorCode } from './errors.js';
import { ACTION_LABELS, GUARD_LABELS, STATE_LABELS, type OrderAction, type OrderGuard, type OrderState } from './workflow.js';

export type Locale = 'zh-CN' | 'en';

/** Human messages for error codes; {name} placeholders are filled from error params. */
export const ERROR_MESSAGES: Record<Locale, Record<ErrorCode, string>> = {
  'zh-CN': {
    VALIDATION_FAILED: '填写的内容有误:{detail}',
    BAD_REQUEST: '请求无法处理:{detail}',
    INVALID_ID_NUMBER: '身份证号无效({reason})',
    INVALID_PHONE: '手机号或电话号码格式不正确',
    INVALID_GEOMETRY: '区域边界不是有效的多边形',
    INVALID_MOVE: '不能这样移动:{detail}',
    QR_EXPIRED: '签到码已失效,请扫描组织者屏幕上的最新二维码',
    UNAUTHENTICATED: '请先登录',
    INVALID_CREDENTIALS: '用户名或密码错误',
    CSRF_FAILED: '页面已过期,请刷新后重试',
    FORBIDDEN: '您没有权限进行此操作',
    NOT_FOUND: '找不到该记录,或不在您的管辖范围内',
    CONFLICT: '操作冲突:{detail}',
    VERSION_CONFLICT: '该记录已被他人修改,请刷新后再试',
    DUPLICATE: '已存在相同的记录:{detail}',
    HAS_HISTORY: '该节点下仍有数据,只能停用,不能删除',
    INVALID_TRANSITION: '工单当前状态为“{state}”,不能“{action}”{detail}',
    ACCOUNT_LOCKED: '登录失败次数过多,账号已锁定,请 {minutes} 分钟后再试',
    RATE_LIMITED: '操作太频繁,请稍后再试',
    PAYLOAD_TOO_LARGE: '文件太大',
    INTERNAL: '服务器出错了,请稍后再试',
    UNAVAILABLE: '暂时无法完成:{detail}',
  },
  en: {
    VALIDATION_FAILED: 'Some input is invalid: {detail}',
    BAD_REQUEST: 'The request cannot be processed: {detail}',
    INVALID_ID_NUMBER: 'Invalid ID number ({reason})',
    INVALID_PHONE: 'Invalid phone number',
    INVALID_GEOMETRY: 'The boundary is not a valid polygon',
    INVALID_MOVE: 'This move is not allowed: {detail}',
    QR_EXPIRED: 'This check-in code has expired; scan the latest QR code on the organiser\'s screen',
    UNAUTHENTICATED: 'Please log in',
    INVALID_CREDENTIALS: 'Wrong username or password',
    CSRF_FAILED: 'The page has expired; reload and try again',
    FORBIDDEN: 'You are not allowed to do this',
    NOT_FOUND: 'Not found, or outside your area',
    CONFLICT: 'Conflict: {detail}',
    VERSION_CONFLICT: 'Someone else changed this record; reload and try again',
    DUPLICATE: 'A record like this already exists: {detail}',
    HAS_HISTORY: 'This node has data under it; it can be retired but not deleted',
    INVALID_TRANSITION: 'The order is "{state}"; "{action}" is not possible now{detail}',
    ACCOUNT_LOCKED: 'Too many failed logins; the account is locked for {minutes} minutes',
    RATE_LIMITED: 'Too many requests; try again shortly',
    PAYLOAD_TOO_LARGE: 'The file is too large',
    INTERNAL: 'Server error; please try again later',
    UNAVAILABLE: 'Not available right now: {detail}',
  },
};

/** Reasons a spreadsheet row can be rejected, per column. */
export const IMPORT_REASONS = {
  required: { 'zh-CN': '必填', en: 'required' },
  id_format: { 'zh-CN': '身份证号格式错误(应为18位)', en: 'ID number must have 18 characters' },
  id_birth_date: { 'zh-CN': '身份证号中的出生日期无效', en: 'birth date inside the ID number is invalid' },
  id_check_digit: { 'zh-CN': '身份证号校验位错误', en: 'ID number check digit is wrong' },
  id_duplicate_in_file: { 'zh-CN': '与文件中第 {row} 行的身份证号重复', en: 'same ID number as row {row}' },
  phone_invalid: { 'zh-CN': '手机号格式错误', en: 'invalid phone number' },
  gender_invalid: { 'zh-CN': '性别应为 男 或 女', en: 'gender must be 男 or 女' },
  date_invalid: { 'zh-CN': '日期格式应为 YYYY-MM-DD', en: 'date must be YYYY-MM-DD' },
  grid_unknown: { 'zh-CN': '找不到该网格/微网格,或不在您的管辖范围内', en: 'unknown grid, or outside your area' },
  tag_unknown: { 'zh-CN': '未知标签:{tag}', en: 'unknown tag: {tag}' },
  too_long: { 'zh-CN': '内容过长', en: 'too long' },
  grid_ambiguous: { 'zh-CN': '有多个同名网格,请写成“网格名/微网格名”', en: 'several grids have this name; write "grid/micro-grid"' },
  household_incomplete: { 'zh-CN': '楼栋和房号须同时填写', en: 'building and room must be given together' },
  id_registered_elsewhere: {
    'zh-CN': '该身份证号的居民已登记在您管辖范围以外,请联系上级核实',
    en: 'a resident with this ID number is registered outside your area',
  },
  id_number_as_number: {
    'zh-CN': '身份证号被存成了数字,后几位已丢失;请把该列设为文本格式后重新填写',
    en: 'the ID number was stored as a number and lost digits; format the column as text',
  },
} as const;
export type ImportReason = keyof typeof IMPORT_REASONS;

export function formatMessage(template: string, params: Record<string, unknown> = {}): string {
  return template.replace(/\{(\w+)\}/g, (_, k: string) => (params[k] === undefined ? '' : String(params[k])));
}

export function errorMessage(code: ErrorCode, locale: Locale, params?: Record<string, unknown>): string {
  if (code === 'INVALID_TRANSITION' && params) {
    // params carry codes (state, action, guard); the message names them in the reader's language.
    const guard = GUARD_LABELS[params.guard as OrderGuard]?.[locale];
    params = {
      ...params,
      state: STATE_LABELS[params.state as OrderState]?.[locale] ?? params.state,
      action: ACTION_LABELS[params.action as OrderAction]?.[locale] ?? params.action,
      detail: guard ? (locale === 'en' ? ` (${guard})` : `(${guard})`) : '',
    };
  }
  return formatMessage(ERROR_MESSAGES[locale][code], params);
}

/** Display names of resident tags. */
export const TAG_LABELS: Record<string, Record<Locale, string>> = {
  elderly_alone: { 'zh-CN': '独居老人', en: 'Elderly living alone' },
  child_in_difficulty: { 'zh-CN': '困境儿童', en: 'Child in difficulty' },
  disabled: { 'zh-CN': '残疾人', en: 'Disabled' },
  low_income: { 'zh-CN': '低保', en: 'Low income' },
  party_member: { 'zh-CN': '党员', en: 'Party member' },
  volunteer: { 'zh-CN': '志愿者', en: 'Volunteer' },
  elderly: { 'zh-CN': '老年人', en: 'Elderly' },
  veteran: { 'zh-CN': '退役军人', en: 'Veteran' },
};
