import { idNumberCheckDigit, RESIDENT_TAGS } from '@haitang/contracts';
import type { Kysely } from 'kysely';
import type { DB } from '../../packages/server/src/db/schema.js';
import type { PiiCrypto } from '../../packages/server/src/lib/pii-crypto.js';
import { mulberry32 } from '../../packages/server/src/demo/prng.js';
import { buildResidentRow } from '../../packages/server/src/modules/residents/resident.rows.js';

/** The demo data's deterministic PRNG: every run generates the same people. */
export const prng = mulberry32;

const SURNAMES = '王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤';
const GIVEN = '伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉兰萍红建国志文斌宇浩凯鹏飞俊晨欣怡梓涵子轩雨婷佳琪思远嘉怡晓梅香春燕海林德福荣';

export function fakeName(r: () => number): string {
  const s = SURNAMES[Math.floor(r() * SURNAMES.length)]!;
  const n = r() < 0.7 ? 2 : 1;
  let g = '';
  for (let i = 0; i < n; i++) g += GIVEN[Math.floor(r() * GIVEN.length)]!;
  return s + g;
}

/** A valid-format fake ID number: region, birth date, sequence (odd = male) and check digit. */
export function fakeIdNumber(r: () => number, region: string, serial: number): { id: string; gender: 'male' | 'female' } {
  const year = 1935 + Math.floor(r() * 85);
  const month = 1 + Math.floor(r() * 12);
  const day = 1 + Math.floor(r() * 28);
  // serial makes it unique: 3-digit sequence plus the year offset keeps collisions impossible per (birthdate, serial)
  const seq = String(serial % 1000).padStart(3, '0');
  const first17 = `${region}${year}${String(month).padStart(2, '0')}${String(day).padStart(2, '0')}${seq}`;
  const id = first17 + idNumberCheckDigit(first17);
  return { id, gender: Number(seq[2]) % 2 === 1 ? 'male' : 'female' };
}

/**
 * Inserts `count` residents spread over the given micro-grids, with tags, in batches.
 * ID numbers are unique because the (birth date, sequence) pair is drawn without repetition.
 */
export async function generateResidents(
  db: Kysely<DB>,
  crypto: PiiCrypto,
  orgIds: number[],
  count: number,
  seed = 42,
): Promise<void> {
  const r = prng(seed);
  const now = new Date().toISOString();
  const seen = new Set<string>();
  let batch: ReturnType<typeof buildResidentRow>[] = [];
  let tagsOf: string[][] = [];
  const flush = async () => {
    if (batch.length === 0) return;
    await db.transaction().execute(async (trx) => {
      const ids = await trx.insertInto('residents').values(batch).returning('id').execute();
      const tagRows = ids.flatMap((row, i) => tagsOf[i]!.map((tag) => ({ resident_id: row.id, tag })));
      for (let i = 0; i < tagRows.length; i += 2000) await trx.insertInto('resident_tags').values(tagRows.slice(i, i + 2000)).execute();
    });
    batch = [];
    tagsOf = [];
  };
  for (let i = 0; i < count; i++) {
    let idn: { id: string; gender: 'male' | 'female' };
    do idn = fakeIdNumber(r, '320508', Math.floor(r() * 1000));
    while (seen.has(idn.id));
    seen.add(idn.id);
    const tags = RESIDENT_TAGS.filter((_, k) => r() < [0.03, 0.005, 0.02, 0.02, 0.08, 0.1, 0.2, 0.01][k]!);
    const phone = `1${[3, 5, 8][Math.floor(r() * 3)]}${String(Math.floor(r() * 1e9)).padStart(9, '0')}`;
    batch.push(
      buildResidentRow(
        crypto,
        { name: fakeName(r), orgId: orgIds[i % orgIds.length]!, idNumber: idn.id, phone, address: `竹辉新村${1 + (i % 24)}幢${1 + (i % 3)}单元${101 + (i % 6) * 100}室`, tags },
        now,
      ),
    );
    tagsOf.push([...tags]);
    if (batch.length === 1000) await flush();
  }
  await flush();
}
