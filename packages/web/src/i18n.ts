import { createContext, createElement, useCallback, useContext, useMemo, useState, type ReactNode } from 'react';
import { formatMessage, type Locale } from '@haitang/contracts';
import { FIELD_DICT } from './features/field/dict';
import { ORDERS_DICT } from './features/orders/dict';
import { ACTIVITIES_DICT } from './features/activities/dict';
import { WISHES_DICT } from './features/wishes/dict';

/**
 * A small UI dictionary: each key maps to [zh-CN, en]. Chinese is the default language;
 * the choice is kept in localStorage. Domain labels (tags, error codes) come from contracts.
 */
const DICT = {
  ...FIELD_DICT,
  ...ORDERS_DICT,
  ...ACTIVITIES_DICT,
  ...WISHES_DICT,
  'app.name': ['海棠 · 社区治理', 'Haitang Community'],
  'app.short': ['海棠', 'Haitang'],
  'common.ok': ['确定', 'OK'],
  'common.cancel': ['取消', 'Cancel'],
  'common.save': ['保存', 'Save'],
  'common.edit': ['编辑', 'Edit'],
  'common.create': ['新建', 'New'],
  'common.search': ['搜索', 'Search'],
  'common.reset': ['重置', 'Reset'],
  'common.refresh': ['刷新', 'Refresh'],
  'common.actions': ['操作', 'Actions'],
  'common.name': ['名称', 'Name'],
  'common.kind': ['类型', 'Kind'],
  'common.status': ['状态', 'Status'],
  'common.org': ['所属组织', 'Org unit'],
  'common.address': ['地址', 'Address'],
  'common.description': ['说明', 'Description'],
  'common.members': ['成员', 'Members'],
  'common.memberCount': ['人数', 'Members'],
  'common.remove': ['移除', 'Remove'],
  'common.add': ['添加', 'Add'],
  'common.total': ['共 {n} 条', '{n} in total'],
  'common.none': ['无', 'None'],
  'common.saved': ['已保存', 'Saved'],
  'common.required': ['必填', 'Required'],
  'common.all': ['全部', 'All'],
  'common.close': ['关闭', 'Close'],
  'common.loading': ['加载中…', 'Loading…'],
  'common.select': ['请选择', 'Select'],
  'common.forbiddenPage': ['您没有权限访问此页面', 'You are not allowed to see this page'],
  'common.network': ['无法连接服务器,请检查网络', 'Cannot reach the server'],
  'common.back': ['返回', 'Back'],

  'lang.switch': ['English', '中文'],
  'auth.title': ['登录', 'Sign in'],
  'auth.username': ['用户名', 'Username'],
  'auth.password': ['密码', 'Password'],
  'auth.submit': ['登录', 'Sign in'],
  'auth.logout': ['退出登录', 'Log out'],
  'auth.changePassword': ['修改密码', 'Change password'],
  'auth.currentPassword': ['当前密码', 'Current password'],
  'auth.newPassword': ['新密码', 'New password'],
  'auth.confirmPassword': ['确认新密码', 'Confirm new password'],
  'auth.passwordMin': ['密码至少 8 位', 'At least 8 characters'],
  'auth.passwordMismatch': ['两次输入的密码不一致', 'The passwords do not match'],
  'auth.passwordChanged': ['密码已修改', 'Password changed'],

  'nav.home': ['首页', 'Home'],
  'nav.org': ['组织架构', 'Organisation'],
  'nav.residents': ['居民', 'Residents'],
  'nav.import': ['导入居民', 'Import residents'],
  'nav.party': ['党组织', 'Party'],
  'nav.teams': ['队伍', 'Teams'],
  'nav.alliance': ['共建单位', 'Alliance'],
  'nav.audit': ['审计日志', 'Audit log'],
  'nav.menu': ['菜单', 'Menu'],

  'home.welcome': ['您好,{name}', 'Hello, {name}'],
  'home.intro': ['海棠平台帮助街道和社区管好网格、居民与组织。', 'Haitang helps streets and communities run their grids, residents and organisations.'],
  'home.communities': ['社区', 'Communities'],
  'home.grids': ['网格', 'Grids'],
  'home.microGrids': ['微网格', 'Micro-grids'],
  'home.households': ['户', 'Households'],
  'home.residents': ['居民', 'Residents'],
  'home.teams': ['队伍', 'Teams'],
  'home.noAccess': ['您的账号暂无可用的后台功能。', 'Your account has no console features.'],

  'org.kind.district': ['区', 'District'],
  'org.kind.street': ['街道', 'Street'],
  'org.kind.community': ['社区', 'Community'],
  'org.kind.grid': ['网格', 'Grid'],
  'org.kind.micro_grid': ['微网格', 'Micro-grid'],
  'org.kind.department': ['承办单位', 'Department'],
  'org.status.active': ['正常', 'Active'],
  'org.status.retired': ['已停用', 'Retired'],
  'org.code': ['编码', 'Code'],
  'org.parent': ['上级', 'Parent'],
  'org.addChild': ['添加下级', 'Add child'],
  'org.rename': ['重命名', 'Rename'],
  'org.move': ['移动', 'Move'],
  'org.retire': ['停用', 'Retire'],
  'org.retireConfirm': ['确定停用「{name}」吗?停用后不能再在其下新增数据。', 'Retire "{name}"? No new data can be added under it.'],
  'org.newParent': ['新的上级', 'New parent'],
  'org.selectHint': ['在左侧选择一个组织查看详情', 'Select an org unit on the left'],
  'org.noGeometry': ['该组织暂无边界数据', 'No boundary for this unit'],
  'org.geometry': ['边界 (GeoJSON)', 'Boundary (GeoJSON)'],
  'org.geometryInvalid': ['不是有效的 GeoJSON 多边形', 'Not a valid GeoJSON polygon'],
  'org.buildings': ['楼幢', 'Buildings'],
  'org.addBuilding': ['添加楼幢', 'Add building'],
  'org.households': ['住户', 'Households'],
  'org.addHousehold': ['添加住户', 'Add household'],
  'org.editBuilding': ['编辑楼幢', 'Edit building'],
  'org.editHousehold': ['编辑住户', 'Edit household'],
  'org.noBuilding': ['不属于楼幢', 'No building'],
  'org.noMembers': ['暂无登记成员', 'No members registered'],
  'org.unitLabel': ['单元', 'Unit'],
  'org.room': ['室', 'Room'],
  'org.building': ['楼幢', 'Building'],
  'org.showRetired': ['显示已停用', 'Show retired'],

  'resident.name': ['姓名', 'Name'],
  'resident.gender': ['性别', 'Gender'],
  'resident.gender.male': ['男', 'Male'],
  'resident.gender.female': ['女', 'Female'],
  'resident.birthDate': ['出生日期', 'Birth date'],
  'resident.idNumber': ['身份证号', 'ID number'],
  'resident.phone': ['联系电话', 'Phone'],
  'resident.tags': ['标签', 'Tags'],
  'resident.household': ['所属住户', 'Household'],
  'resident.relationToHead': ['与户主关系', 'Relation to head'],
  'resident.note': ['备注', 'Note'],
  'resident.status.active': ['在册', 'Active'],
  'resident.status.moved_out': ['已迁出', 'Moved out'],
  'resident.status.deceased': ['已故', 'Deceased'],
  'resident.searchPlaceholder': ['姓名 / 拼音首字母 / 电话 / 身份证号 / 地址', 'Name / pinyin initials / phone / ID / address'],
  'resident.add': ['新增居民', 'Add resident'],
  'resident.edit': ['编辑居民', 'Edit resident'],
  'resident.detail': ['居民详情', 'Resident'],
  'resident.reveal': ['查看完整信息', 'Show full details'],
  'resident.revealNote': ['查看完整信息的操作已记录在审计日志中。', 'Viewing full details has been recorded in the audit log.'],
  'resident.export': ['导出 Excel', 'Export Excel'],
  'resident.import': ['导入', 'Import'],
  'resident.idInvalid.format': ['身份证号格式错误(应为18位)', 'The ID number must have 18 characters'],
  'resident.idInvalid.birth_date': ['身份证号中的出生日期无效', 'The birth date inside the ID number is invalid'],
  'resident.idInvalid.check_digit': ['身份证号校验位错误', 'The ID number check digit is wrong'],
  'resident.phoneInvalid': ['手机号或电话号码格式不正确', 'Invalid phone number'],
  'resident.orgRequired': ['请选择所属网格或微网格', 'Choose a grid or micro-grid'],
  'resident.orgKindHint': ['只能选择网格或微网格', 'Only a grid or micro-grid can be chosen'],
  'resident.conflictReloaded': ['已重新加载最新数据', 'The latest data has been reloaded'],
  'resident.keepHint': ['当前:{masked},留空则不修改', 'Now {masked}; leave empty to keep'],
  'resident.searchPick': ['搜索居民姓名或电话', 'Search residents by name or phone'],

  'import.title': ['导入居民', 'Import residents'],
  'import.template': ['下载模板', 'Download template'],
  'import.upload': ['选择 Excel 文件 (.xlsx)', 'Choose an Excel file (.xlsx)'],
  'import.targetOrg': ['默认网格(可选)', 'Default grid (optional)'],
  'import.status.validating': ['正在校验…', 'Validating…'],
  'import.status.importing': ['正在导入…', 'Importing…'],
  'import.status.validated': ['校验完成', 'Validated'],
  'import.status.done': ['导入完成', 'Done'],
  'import.status.failed': ['导入失败', 'Failed'],
  'import.processed': ['已处理 {n} 行', '{n} rows processed'],
  'import.errorsDownload': ['下载错误清单', 'Download the errors'],
  'import.totalRows': ['总行数', 'Rows'],
  'import.validRows': ['有效行', 'Valid'],
  'import.errorRows': ['错误行', 'With errors'],
  'import.created': ['新增', 'Created'],
  'import.updated': ['更新', 'Updated'],
  'import.onlyValid': ['仅导入有效行', 'Import valid rows only'],
  'import.confirm': ['确认导入', 'Import'],
  'import.again': ['再导入一个文件', 'Import another file'],
  'import.row': ['行', 'Row'],
  'import.column': ['列', 'Column'],
  'import.value': ['内容', 'Value'],
  'import.reason': ['问题', 'Problem'],
  'import.xlsxOnly': ['请选择 .xlsx 文件', 'Choose an .xlsx file'],

  'party.kind.community_committee': ['社区大党委', 'Community Party committee'],
  'party.kind.grid_branch': ['网格党支部', 'Grid Party branch'],
  'party.kind.center_household': ['党员中心户', 'Party-member centre household'],
  'party.kind.action_branch': ['行动支部', 'Action branch'],
  'party.title': ['党组织', 'Party organisations'],
  'party.parent': ['上级党组织', 'Parent organisation'],
  'party.addMember': ['添加党员', 'Add member'],
  'party.role': ['职务', 'Role'],
  'party.rolePlaceholder': ['如:书记、委员、党员', 'e.g. secretary, member'],
  'party.secretary': ['书记', 'Secretary'],
  'party.role.secretary': ['书记', 'Secretary'],
  'party.role.deputy_secretary': ['副书记', 'Deputy secretary'],
  'party.role.committee_member': ['委员', 'Committee member'],
  'party.role.member': ['党员', 'Member'],
  'party.joinedAt': ['加入时间', 'Joined'],
  'party.removeConfirm': ['确定将 {name} 移出该党组织吗?', 'Remove {name} from this organisation?'],
  'org.kind.city': ['市', 'City'],
  'party.selectHint': ['在左侧选择一个党组织', 'Select a Party organisation on the left'],

  'team.kind.vanguard': ['先锋队', 'Vanguard team'],
  'team.kind.volunteer': ['志愿服务队', 'Volunteer team'],
  'team.kind.other': ['其他队伍', 'Other team'],
  'team.role.leader': ['队长', 'Leader'],
  'team.role.member': ['队员', 'Member'],
  'team.leader': ['队长', 'Leader'],
  'team.grid': ['负责网格', 'Grid'],
  'team.addMember': ['添加队员', 'Add member'],
  'team.removeConfirm': ['确定将 {name} 移出队伍吗?', 'Remove {name} from the team?'],

  'alliance.kind.property': ['物业', 'Property company'],
  'alliance.kind.co_building': ['共建单位', 'Co-building unit'],
  'alliance.kind.social_org': ['社会组织', 'Social organisation'],
  'alliance.contactName': ['联系人', 'Contact'],
  'alliance.contactPhone': ['联系电话', 'Contact phone'],
  'alliance.services': ['服务内容', 'Services'],
  'alliance.add': ['新增共建单位', 'Add alliance member'],

  'audit.at': ['时间', 'Time'],
  'audit.actor': ['操作人', 'Actor'],
  'audit.actorId': ['操作人 ID', 'Actor ID'],
  'audit.action': ['操作', 'Action'],
  'audit.entityType': ['对象类型', 'Entity type'],
  'audit.entityId': ['对象 ID', 'Entity ID'],
  'audit.ip': ['IP', 'IP'],
  'audit.before': ['修改前', 'Before'],
  'audit.after': ['修改后', 'After'],
  'audit.range': ['时间范围', 'Date range'],
  'audit.verify': ['校验哈希链', 'Verify hash chain'],
  'audit.verifyOk': ['哈希链完整,已校验 {n} 条记录', 'Chain intact; {n} records checked'],
  'audit.verifyBad': ['发现 {p} 处问题(已校验 {n} 条)', '{p} problems found ({n} records checked)'],

  'role.resident': ['居民', 'Resident'],
  'role.grid_worker': ['网格员', 'Grid worker'],
  'role.community_staff': ['社区工作者', 'Community staff'],
  'role.department_handler': ['承办单位', 'Department handler'],
  'role.street_leader': ['街道领导', 'Street leader'],
  'role.admin': ['管理员', 'Administrator'],
} as const satisfies Record<string, readonly [string, string]>;

export type MessageKey = keyof typeof DICT;
export type Translate = (key: MessageKey, params?: Record<string, unknown>) => string;

const STORAGE_KEY = 'haitang.locale';
let currentLocale: Locale = readStoredLocale();

function readStoredLocale(): Locale {
  try {
    return localStorage.getItem(STORAGE_KEY) === 'en' ? 'en' : 'zh-CN';
  } catch {
    return 'zh-CN';
  }
}

/** The UI language outside React (the API client sends it as Accept-Language). */
export function getLocale(): Locale {
  return currentLocale;
}

/** Translate a key in a given locale; unknown dynamic keys fall back to the key itself. */
export function translate(locale: Locale, key: string, params?: Record<string, unknown>): string {
  const entry = (DICT as Record<string, readonly [string, string]>)[key];
  if (!entry) return key;
  return formatMessage(locale === 'en' ? entry[1] : entry[0], params);
}

interface I18nValue {
  locale: Locale;
  setLocale: (locale: Locale) => void;
  t: Translate;
  /** Translate a key built at run time (e.g. `org.kind.${kind}`). */
  td: (key: string, params?: Record<string, unknown>) => string;
}

const I18nContext = createContext<I18nValue | null>(null);

export function I18nProvider({ children }: { children: ReactNode }) {
  const [locale, setLocaleState] = useState<Locale>(currentLocale);
  const setLocale = useCallback((next: Locale) => {
    currentLocale = next;
    try {
      localStorage.setItem(STORAGE_KEY, next);
    } catch {
      // private mode: the choice simply does not persist
    }
    document.documentElement.lang = next;
    setLocaleState(next);
  }, []);
  const value = useMemo<I18nValue>(
    () => ({
      locale,
      setLocale,
      t: (key, params) => translate(locale, key, params),
      td: (key, params) => translate(locale, key, params),
    }),
    [locale, setLocale],
  );
  return createElement(I18nContext.Provider, { value }, children);
}

export function useI18n(): I18nValue {
  const value = useContext(I18nContext);
  if (!value) throw new Error('useI18n outside I18nProvider');
  return value;
}

/** The translate function for the current UI language. */
export function useT(): Translate {
  return useI18n().t;
}
