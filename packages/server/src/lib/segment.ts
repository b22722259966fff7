import { Jieba } from '@node-rs/jieba';
import { dict } from '@node-rs/jieba/dict.js';

/**
 * Chinese word segmentation for search (design.md §6: FTS5 trigram finds nothing for 2-character
 * words, so documents are indexed as jieba words). Documents use search mode, which also emits the
 * shorter words inside long ones (路灯故障 → 路灯, 故障, 路灯故障); a query's words must all match.
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

/** The distinct index terms of a document. */
export function documentTerms(text: string): string[] {
  return clean(instance().cutForSearch(text, true));
}

/** The terms a query must all match: the words jieba finds in it, as indexed. */
export function queryTerms(text: string): string[] {
  return clean(instance().cut(text, true));
}
