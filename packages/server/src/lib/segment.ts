import { Jieba } from '@node-rs/jieba';
import { dict } from '@node-rs/jieba/dict.js';
import { COMMUNITY_WORDS } from './segment-words.js';

/**
 * Chinese word segmentation for search (design.md §6: FTS5 trigram finds nothing for 2-character
 * words, so documents are indexed as jieba words); a query's words must all match.
 *
 * A document's terms are search mode's words (路灯故障 → 路灯, 故障, 路灯故障; words outside the
 * dictionary that jieba's HMM finds, such as the estate 竹辉; mixed words such as T恤) and every
 * dictionary word of two or more ideographs that stands anywhere in its text (full mode). Search
 * mode alone reads 路面积水严重 as 路/面积/水/严重 and 单元楼道 as 单元/单元楼/道, so that neither
 * 积水 nor 楼道 found them. So a query's dictionary words are found wherever they stand in a text,
 * as a search for the characters would find them: 业主 also finds 物业主任 (the price of the
 * recall). The other words of a query (HMM words such as 号楼 in 3号楼, single characters) are found
 * only where jieba reads the document the same way.
 */
let jieba: Jieba | null = null;
function instance(): Jieba {
  if (!jieba) {
    jieba = Jieba.withDict(dict);
    jieba.loadDict(Buffer.from(COMMUNITY_WORDS.map((w) => `${w} 3 n`).join('\n')));
  }
  return jieba;
}

const STOP = new Set(['的', '了', '在', '是', '和', '有', '我', '也', '就', '都', '而', '及', '与', '着', '或', '一个', '没有', '我们', '你', '他', '她', '它', '这', '那', '请', '吗', '呢', '吧', '啊']);
const WORD = /[\p{L}\p{N}]/u;

/** Whether every character is a CJK ideograph (most words): nothing to trim, lower or check. */
function ideographs(w: string): boolean {
  for (let i = 0; i < w.length; i++) {
    const c = w.charCodeAt(i);
    if (c < 0x3400 || c > 0x9fff || (c > 0x4dbf && c < 0x4e00)) return false;
  }
  return w.length > 0;
}

function clean(words: string[]): string[] {
  const out = new Set<string>();
  for (const w of words) {
    if (w.length <= 32 && ideographs(w)) {
      if (!STOP.has(w)) out.add(w);
      continue;
    }
    const t = w.trim().toLowerCase();
    if (!t || !WORD.test(t) || STOP.has(t) || t.length > 32) continue;
    out.add(t);
  }
  return [...out];
}

/** The dictionary words of two or more ideographs anywhere in the text (jieba's full mode). */
function dictionaryWords(text: string): string[] {
  return instance().cutAll(text).filter((w) => w.length > 1 && ideographs(w));
}

/** The distinct index terms of a document. */
export function documentTerms(text: string): string[] {
  return clean([...instance().cutForSearch(text, true), ...dictionaryWords(text)]);
}

/**
 * The terms a query must all match: its dictionary words (which every document containing them has,
 * see above) and the other words jieba finds in it (HMM words such as 竹辉, numbers, Latin), leaving
 * out what a longer term implies: single ideographs that a dictionary word of the query holds
 * (路面积水 is 路/面积/水 to jieba, and a document says 路面积水 without 路 as a word of its own),
 * and dictionary words inside another term (垃圾桶 needs no 垃圾: a text with 垃圾桶 has it), so a
 * one-word query stays one term.
 */
export function queryTerms(text: string): string[] {
  const words = dictionaryWords(text);
  const held = new Set(words.join(''));
  const rest = instance()
    .cut(text, true)
    .filter((w) => !(w.length === 1 && held.has(w) && ideographs(w)));
  const terms = clean([...rest, ...words]);
  const dictionary = new Set(words);
  return terms.filter((t) => !(dictionary.has(t) && terms.some((u) => u !== t && u.includes(t))));
}
