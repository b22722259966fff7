import type { Rng } from './prng.js';

/**
 * Chinese names for generated residents: common surnames (weighted, with those frequent in Suzhou
 * near the top) and given names whose style follows the decade of birth.
 */
const SURNAMES: readonly (readonly [string, number])[] = [
  ['陈', 60], ['王', 55], ['张', 50], ['李', 45], ['朱', 40], ['徐', 38], ['沈', 36], ['周', 35], ['吴', 34],
  ['顾', 32], ['陆', 30], ['钱', 26], ['杨', 26], ['刘', 25], ['孙', 24], ['蒋', 20], ['金', 20], ['黄', 19],
  ['许', 18], ['曹', 16], ['胡', 16], ['姚', 14], ['潘', 14], ['缪', 10], ['邹', 10], ['殷', 9], ['范', 12],
  ['薛', 10], ['马', 10], ['郁', 8], ['程', 9], ['汤', 9], ['袁', 9], ['任', 8], ['赵', 12], ['吕', 8],
  ['施', 10], ['唐', 9], ['严', 9], ['冯', 8], ['叶', 9], ['宋', 8], ['高', 9], ['倪', 7], ['俞', 8],
  ['戴', 7], ['蔡', 8], ['汪', 7], ['凌', 6], ['华', 6], ['谈', 5], ['季', 6], ['盛', 5], ['卢', 6],
  ['丁', 7], ['葛', 6], ['邱', 5], ['魏', 6], ['秦', 5], ['欧阳', 0.5], ['司马', 0.3],
];

type Era = 'old' | 'mid' | 'young';
type Gender = 'male' | 'female';

/** Whole given names typical of people born before about 1965. */
const OLD_GIVEN: Record<Gender, readonly string[]> = {
  male: [
    '建国', '建华', '国庆', '国强', '志明', '德明', '根生', '金海', '福根', '荣生', '永康', '桂林', '振华', '宝林',
    '正兴', '家兴', '阿大', '水根', '培元', '仁杰', '耀祖', '金宝', '文彬', '国良', '惠民', '关兴', '鸿生', '德兴',
    '春林', '卫东', '跃进', '援朝', '新民', '志刚', '长林', '金泉', '炳生', '鑫荣',
  ],
  female: [
    '秀英', '桂英', '玉珍', '凤英', '美华', '金娣', '月娥', '秀兰', '玉兰', '兰英', '素珍', '惠芬', '雪芬', '彩娣',
    '香梅', '菊英', '杏娣', '素娥', '雅琴', '巧珍', '根娣', '美娟', '琴芳', '爱华', '淑珍', '佩华', '小妹', '招娣',
    '凤珍', '秀珍', '惠英', '林娣', '美英', '红英',
  ],
};

/** First and second characters combined for people born from about 1965 to 1990. */
const MID_CHARS: Record<Gender, readonly [readonly string[], readonly string[]]> = {
  male: [
    ['伟', '建', '志', '晓', '海', '军', '勇', '斌', '春', '立', '明', '文', '国', '俊', '宏', '永', '卫', '锦', '振', '雪', '晨', '健', '剑', '红'],
    ['明', '华', '强', '军', '平', '东', '峰', '刚', '辉', '杰', '涛', '斌', '林', '波', '勇', '龙', '良', '栋', '清', '荣', '忠', '亮', '彬', '飞'],
  ],
  female: [
    ['丽', '晓', '红', '美', '秀', '雪', '春', '玉', '慧', '静', '燕', '海', '文', '亚', '桂', '月', '丹', '佳', '冬', '小', '金', '艳', '蕾', '琳'],
    ['华', '红', '芳', '娟', '萍', '英', '霞', '琴', '敏', '燕', '丽', '梅', '洁', '蓉', '玲', '静', '菁', '婷', '琳', '莉', '青', '雯', '珍', '艳'],
  ],
};

/** First and second characters combined for people born after about 1990. */
const YOUNG_CHARS: Record<Gender, readonly [readonly string[], readonly string[]]> = {
  male: [
    ['子', '浩', '宇', '俊', '思', '嘉', '博', '梓', '一', '睿', '家', '天', '明', '晨', '逸', '泽', '宏', '文', '皓', '昊', '奕', '铭', '锦', '亦'],
    ['轩', '宇', '涵', '睿', '杰', '航', '泽', '昊', '辰', '铭', '阳', '凯', '豪', '然', '哲', '恒', '宸', '霖', '瑞', '翔', '远', '川', '煜', '诚'],
  ],
  female: [
    ['欣', '梓', '雨', '思', '诗', '可', '佳', '子', '语', '若', '一', '心', '紫', '雅', '梦', '晓', '安', '依', '静', '书', '沐', '芷', '语', '嘉'],
    ['怡', '涵', '萱', '琪', '妍', '彤', '悦', '瑶', '晴', '雯', '婷', '琳', '然', '蕊', '菲', '宁', '卉', '玥', '桐', '岚', '熙', '诺', '溪', '颖'],
  ],
};

export function pickSurname(rng: Rng): string {
  return rng.weighted(SURNAMES);
}

function eraOf(birthYear: number): Era {
  if (birthYear < 1965) return 'old';
  if (birthYear <= 1990) return 'mid';
  return 'young';
}

/** A given name in the style of the birth decade; about one in ten has a single character. */
export function pickGivenName(rng: Rng, gender: Gender, birthYear: number): string {
  const era = eraOf(birthYear);
  if (era === 'old') return rng.pick(OLD_GIVEN[gender]);
  const [first, second] = (era === 'mid' ? MID_CHARS : YOUNG_CHARS)[gender];
  if (rng.chance(0.1)) return rng.pick(second);
  const a = rng.pick(first);
  let b = rng.pick(second);
  if (b === a) b = rng.pick(second);
  return a + b;
}
