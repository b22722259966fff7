/**
 * Words of community work that jieba's dictionary lacks and that are not made of its words: jieba
 * reads them as single characters or guesses them (its HMM) depending on what stands around them,
 * so a search for 2号楼 missed 2号楼前堆放垃圾 (read 2/号/楼前). As dictionary words they are
 * indexed wherever they stand (lib/segment.ts, full mode) and a query requires them whole.
 *
 * Kept rare (a low frequency): they are found by full mode whatever their frequency, and a rare
 * word seldom changes how jieba cuts the rest of a text. Not words that common text holds across
 * its words (楼长 stands in every 3号楼长期漏水). Adding a word here changes what intake
 * indexes; orders already indexed need their terms computed again (see migration 019).
 */
export const COMMUNITY_WORDS = [
  // buildings and places
  '号楼', '幢楼', '楼栋', '盲道', '垃圾房', '快递柜', '充电桩', '楼道灯', '老小区',
  // problems
  '飞线', '群租', '群租房', '堆物', '毁绿', '狗绳', '流浪猫', '广场舞', '加梯',
  // people and services of the grid
  '网格员', '网格长', '微网格', '楼栋长', '助餐', '通办', '跨域通办', '微心愿', '微实事',
];
