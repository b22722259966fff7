import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { documentTerms, queryTerms } from './segment.js';

describe('search terms', () => {
  it('indexes the words and the shorter words inside long ones, once each, without stop words', () => {
    const terms = documentTerms('楼道堆放纸箱和旧家具,影响消防安全。楼道');
    for (const w of ['楼道', '堆放', '纸箱', '家具', '旧家具', '消防', '安全', '消防安全']) assert.ok(terms.includes(w), w);
    assert.ok(!terms.includes('和'), 'a stop word is not a term');
    assert.equal(terms.filter((t) => t === '楼道').length, 1);
    assert.ok(!terms.some((t) => /[,。\s]/.test(t)), 'punctuation and spaces are not terms');
  });

  it('lowers Latin letters, keeps digits and drops what holds no letter or digit', () => {
    const terms = documentTerms('WiFi 信号差 5G 基站 —— ~~ 11幢');
    assert.ok(terms.includes('wifi'));
    assert.ok(terms.includes('5g'));
    assert.ok(terms.includes('11'));
    assert.ok(!terms.some((t) => t !== t.trim() || t !== t.toLowerCase() || !/[\p{L}\p{N}]/u.test(t)));
  });

  it('a query matches the terms its document was indexed with', () => {
    const doc = new Set(documentTerms('小区路灯故障,晚上一片漆黑'));
    for (const q of ['路灯', '路灯故障', '漆黑']) for (const t of queryTerms(q)) assert.ok(doc.has(t), `${q} → ${t}`);
  });

  it('finds a dictionary word wherever it stands, also where search mode reads the text otherwise', () => {
    // Search mode reads 路面积水严重 as 路/面积/水/严重, 单元楼道 as 单元/单元楼/道; precise mode reads
    // the query 路面积水 as 路/面积/水.
    const cases: [string, string[]][] = [
      ['小区东门路面积水严重,老人出行不便', ['积水', '路面', '路面积水', '东门路面积水', '积水严重', '老人出行', '出行不便']],
      ['竹辉新村3单元楼道堆放杂物,影响消防安全', ['楼道', '单元楼道', '楼道杂物', '堆放杂物', '消防安全', '竹辉新村']],
      ['独居老人家中水管爆裂漏水严重', ['漏水', '水管爆裂', '爆裂漏水', '独居老人']],
    ];
    for (const [text, queries] of cases) {
      const doc = new Set(documentTerms(text));
      for (const q of queries) {
        assert.ok(queryTerms(q).length > 0, q);
        for (const t of queryTerms(q)) assert.ok(doc.has(t), `${q} → ${t} in ${text}`);
      }
    }
    // A word inside a longer one of the query is implied by it: one word stays one term.
    assert.deepEqual(queryTerms('垃圾桶'), ['垃圾桶']);
    assert.deepEqual(queryTerms('消防通道'), ['消防通道']);
    assert.deepEqual(queryTerms('单元楼道').sort(), ['单元楼', '楼道'].sort());
    // Mixed words keep their shorter words, as search mode gives them.
    assert.ok(documentTerms('T恤衫晾在楼道').includes('t恤'));
    // Still every word required: a word the text lacks finds nothing.
    assert.ok(queryTerms('路面塌陷').includes('塌陷'), 'the query requires 塌陷');
    assert.ok(!documentTerms('小区东门路面积水严重').includes('塌陷'), 'which the text lacks');
  });

  it('knows the words of community work that jieba reads differently by what stands around them', () => {
    // Before COMMUNITY_WORDS, 2号楼 missed 2号楼前… (read 2/号/楼前) and 盲道 missed 盲道口被占.
    const cases: [string, string][] = [
      ['2号楼前堆放垃圾', '2号楼'],
      ['7号楼顶水箱漏水', '7号楼'],
      ['3号楼漏水', '3号楼'],
      ['盲道口被占', '盲道'],
      ['电梯口飞线充电', '飞线充电'],
      ['5号楼群租房扰民', '群租房'],
      ['充电桩头损坏', '充电桩'],
      ['竹辉新村3单元楼道堆物', '楼道堆物'],
    ];
    for (const [text, q] of cases) {
      const doc = new Set(documentTerms(text));
      for (const t of queryTerms(q)) assert.ok(doc.has(t), `${q} → ${t} in ${text}`);
    }
    assert.ok(queryTerms('2号楼').includes('号楼'), 'a building is a word, not two characters');
  });

  it('words of rare CJK characters (extension A) count as words, too', () => {
    assert.deepEqual(documentTerms('㐀'), ['㐀']);
  });
});
