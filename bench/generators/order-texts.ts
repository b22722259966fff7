import { CATEGORY_TEXT, fill } from '../../packages/server/src/demo/orders-text.js';

const ESTATES = ['竹辉新村', '南园新村', '彩香一村', '三元二村', '杨枝新村', '桂花新村'];

/**
 * A generator of what people report, worded as the demo words it (`CATEGORY_TEXT`) with buildings,
 * units and rooms filled in at random: each call a problem of one of the categories that
 * `categoryIds` (code → id) holds, with its title and description.
 */
export function orderTexts(rnd: () => number, categoryIds: ReadonlyMap<string, number>): () => { categoryId: number; title: string; description: string } {
  const pick = <T>(a: readonly T[]): T => a[Math.floor(rnd() * a.length)]!;
  const problems = Object.entries(CATEGORY_TEXT).flatMap(([code, c]) => (categoryIds.has(code) ? c.problems.map((p) => ({ categoryId: categoryIds.get(code)!, ...p })) : []));
  if (!problems.length) throw new Error('orderTexts: none of the demo categories is in the database');
  return () => {
    const p = pick(problems);
    const b = `${1 + Math.floor(rnd() * 40)}幢`;
    const u = `${1 + Math.floor(rnd() * 4)}单元`;
    const v = { b, u, estate: pick(ESTATES), addr: `${b}${u}${1 + Math.floor(rnd() * 6)}0${1 + Math.floor(rnd() * 4)}室` };
    return { categoryId: p.categoryId, title: fill(p.title, v), description: fill(p.text, v) };
  };
}
