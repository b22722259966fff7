import { Jieba } from '@node-rs/jieba';
import { dict } from '@node-rs/jieba/dict.js';

/**
 * Chinese word segmentation for search (design.md §6: FTS5 trigram finds nothing for 2-character
 * words, so documents are indexed as jieba words); a query's words must all match.
 *
 * A document's terms are the words jieba reads in it (with its HMM, which finds words outside the
 * dictionary such as the estate 竹辉) and every dictionary word of two or more ideographs that
 * stands anywhere in its text (full mode; search mode's shorter words inside long ones, 路灯故障 →
 * 路灯, 故障, are among them). Search mode alone reads 路面积水严重 as 路/面积/水/严重 and 单元楼道 as
 * 单元/单元楼/道, so that neither 积水 nor 楼道 would find them. A dictionary word of a query is
 * therefore found wherever the query's text stands in a document.
 */
let jieba: Jieba | null = null;
function instance(): Jieba {
  jieba ??= Jieba.withDict(dict);
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
  return clean([...instance().cut(text, true), ...dictionaryWords(text)]);
}

/**
 * The terms a query must all match: its dictionary words (as every document containing the query's
 * text has them) and the other words jieba finds in it (HMM words such as 竹辉, numbers, Latin),
 * leaving out single ideographs that a dictionary word of the query already holds: 路面积水 is
 * 路/面积/水 to jieba, and a document says 路面积水 without 路 as a word of its own.
 */
export function queryTerms(text: string): string[] {
  const words = dictionaryWords(text);
  const held = new Set(words.join(''));
  const rest = instance()
    .cut(text, true)
    .filter((w) => !(w.length === 1 && held.has(w) && ideographs(w)));
  return clean([...rest, ...words]);
}
