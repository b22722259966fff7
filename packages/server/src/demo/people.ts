import { idNumberCheckDigit, type ResidentTag } from '@haitang/contracts';
import { pickGivenName, pickSurname } from './names.js';
import type { Rng } from './prng.js';

/**
 * Generated people: households of realistic shapes, fake but valid-format ID numbers and phones,
 * and tags with roughly the shares a Suzhou old-town community has (elderly ≈ 20 %, living alone
 * ≈ 3 %, disabled ≈ 2 %, low income ≈ 2 %, children in difficulty ≈ 0.5 %, party members ≈ 8 %,
 * volunteers ≈ 10 %).
 */

/** Ages are as of this date, so that the data does not change with the day it is generated. */
export const AS_OF_YEAR = 2026;

export type Gender = 'male' | 'female';

export interface PersonSpec {
  name: string;
  gender: Gender;
  age: number;
  birthDate: string;
  idNumber: string;
  phone: string | null;
  relation: string;
  tags: ResidentTag[];
}

const PHONE_PREFIXES = [
  '130', '131', '132', '133', '135', '136', '137', '138', '139',
  '150', '151', '152', '155', '157', '158', '159', '180', '181', '182', '186', '187', '188', '189',
];

const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];
const pad = (n: number, w = 2) => String(n).padStart(w, '0');

/** Hands out unique ID numbers and phones. */
export class IdentityFactory {
  private readonly ids = new Set<string>();
  private readonly phones = new Set<string>();

  constructor(private readonly rng: Rng) {}

  /** A birth date that makes the person `age` years old on 1 January of AS_OF_YEAR. */
  birthDate(age: number): string {
    const year = AS_OF_YEAR - 1 - age;
    const month = this.rng.int(1, 12);
    const leap = month === 2 && year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0);
    const day = this.rng.int(1, DAYS_IN_MONTH[month - 1]! + (leap ? 1 : 0));
    return `${year}-${pad(month)}-${pad(day)}`;
  }

  /** GB 11643: region (6) + birth date (8) + sequence (3, odd for men) + check digit. */
  idNumber(region: string, birthDate: string, gender: Gender): string {
    for (;;) {
      const parity = this.rng.int(0, 4) * 2 + (gender === 'male' ? 1 : 0);
      const first17 = `${region}${birthDate.replaceAll('-', '')}${this.rng.digits(2)}${parity}`;
      const id = first17 + idNumberCheckDigit(first17);
      if (!this.ids.has(id)) {
        this.ids.add(id);
        return id;
      }
    }
  }

  phone(): string {
    for (;;) {
      const p = this.rng.pick(PHONE_PREFIXES) + this.rng.digits(8);
      if (!this.phones.has(p)) {
        this.phones.add(p);
        return p;
      }
    }
  }
}

interface Draft {
  gender: Gender;
  age: number;
  relation: string;
  surname: string;
  name?: string;
}

type HouseholdShape = 'elderly_alone' | 'elderly_couple' | 'young_family' | 'middle_family' | 'three_generations' | 'single' | 'couple';

const SHAPES: readonly (readonly [HouseholdShape, number])[] = [
  ['elderly_alone', 10],
  ['elderly_couple', 10],
  ['young_family', 27],
  ['middle_family', 17],
  ['three_generations', 25],
  ['single', 5],
  ['couple', 5],
];

const other = (g: Gender): Gender => (g === 'male' ? 'female' : 'male');
const clamp = (n: number, lo: number, hi: number) => Math.max(lo, Math.min(hi, n));

/** The people of one household, head first. */
export function generateHousehold(rng: Rng, idf: IdentityFactory, region: string): PersonSpec[] {
  const shape = rng.weighted(SHAPES);
  const drafts: Draft[] = [];
  const head = (gender: Gender, age: number): Draft => {
    const d = { gender, age, relation: '户主', surname: pickSurname(rng) };
    drafts.push(d);
    return d;
  };
  const spouseOf = (h: Draft): Draft => {
    const d = { gender: other(h.gender), age: clamp(h.age + (h.gender === 'male' ? -rng.int(-1, 5) : rng.int(-1, 5)), 20, 96), relation: '配偶', surname: pickSurname(rng) };
    drafts.push(d);
    return d;
  };
  const children = (h: Draft, s: Draft, count: number, minAge: number, maxAge: number) => {
    const father = h.gender === 'male' ? h : s;
    const mother = h.gender === 'male' ? s : h;
    const hi = Math.min(maxAge, mother.age - 22, father.age - 22);
    for (let i = 0; i < count && hi >= minAge; i++) {
      drafts.push({
        gender: rng.chance(0.51) ? 'male' : 'female',
        age: rng.int(minAge, hi),
        relation: '子女',
        surname: rng.chance(0.9) ? father.surname : mother.surname,
      });
    }
  };
  const parentsOf = (h: Draft, count: 1 | 2) => {
    const fatherAge = clamp(h.age + rng.int(24, 32), 50, 96);
    const withFather = count === 2 || rng.chance(0.4);
    const withMother = count === 2 || !withFather;
    if (withFather) drafts.push({ gender: 'male', age: fatherAge, relation: '父母', surname: h.surname });
    if (withMother) {
      drafts.push({ gender: 'female', age: clamp(fatherAge - rng.int(0, 4), 48, 96), relation: '父母', surname: pickSurname(rng) });
    }
  };

  switch (shape) {
    case 'elderly_alone':
      head(rng.chance(0.68) ? 'female' : 'male', rng.int(65, 93));
      break;
    case 'elderly_couple': {
      const h = head('male', rng.int(61, 88));
      spouseOf(h);
      break;
    }
    case 'young_family': {
      const h = head(rng.chance(0.8) ? 'male' : 'female', rng.int(28, 44));
      children(h, spouseOf(h), rng.chance(0.55) ? 2 : 1, 0, 17);
      break;
    }
    case 'middle_family': {
      const h = head(rng.chance(0.8) ? 'male' : 'female', rng.int(45, 63));
      children(h, spouseOf(h), 1, 16, 34);
      if (rng.chance(0.3)) parentsOf(h, 1);
      break;
    }
    case 'three_generations': {
      const h = head(rng.chance(0.8) ? 'male' : 'female', rng.int(33, 50));
      children(h, spouseOf(h), rng.chance(0.5) ? 2 : 1, 0, 17);
      parentsOf(h, rng.chance(0.35) ? 2 : 1);
      break;
    }
    case 'single':
      head(rng.chance(0.5) ? 'male' : 'female', rng.int(22, 58));
      break;
    case 'couple': {
      const h = head(rng.chance(0.8) ? 'male' : 'female', rng.int(25, 40));
      spouseOf(h);
      break;
    }
  }
  // Tenants and relatives registered at the address.
  if (shape !== 'elderly_alone' && rng.chance(0.1)) {
    drafts.push({ gender: rng.chance(0.5) ? 'male' : 'female', age: rng.int(20, 45), relation: '其他', surname: pickSurname(rng) });
  }
  return finishHousehold(rng, idf, region, drafts, shape === 'elderly_alone');
}

/** A household whose head is a named person of the seed (e.g. 刘香梅 of 竹辉新村), with a spouse. */
export function namedHousehold(
  rng: Rng,
  idf: IdentityFactory,
  region: string,
  person: { name: string; gender: Gender; age: number; tags: readonly ResidentTag[] },
): PersonSpec[] {
  const [surname] = [...person.name];
  const drafts: Draft[] = [
    { gender: person.gender, age: person.age, relation: '户主', surname: surname!, name: person.name },
    { gender: other(person.gender), age: person.age + 2, relation: '配偶', surname: pickSurname(rng) },
  ];
  const people = finishHousehold(rng, idf, region, drafts, false);
  const head = people[0]!;
  head.tags = [...new Set([...head.tags, ...person.tags])].sort();
  return people;
}

function finishHousehold(rng: Rng, idf: IdentityFactory, region: string, drafts: Draft[], livesAlone: boolean): PersonSpec[] {
  const lowIncome = rng.chance(0.016);
  return drafts.map((d) => {
    const birthDate = idf.birthDate(d.age);
    const name = d.name ?? d.surname + pickGivenName(rng, d.gender, AS_OF_YEAR - 1 - d.age);
    const phone = d.age < 14 || (d.age >= 85 && rng.chance(0.6)) ? null : idf.phone();
    return {
      name,
      gender: d.gender,
      age: d.age,
      birthDate,
      idNumber: idf.idNumber(region, birthDate, d.gender),
      phone,
      relation: d.relation,
      tags: tagsFor(rng, d.age, livesAlone, lowIncome),
    };
  });
}

function tagsFor(rng: Rng, age: number, livesAlone: boolean, lowIncome: boolean): ResidentTag[] {
  const tags: ResidentTag[] = [];
  if (age >= 60) tags.push('elderly');
  if (age >= 60 && livesAlone) tags.push('elderly_alone');
  if (rng.chance(age < 18 ? 0.006 : age < 60 ? 0.015 : 0.05)) tags.push('disabled');
  if (lowIncome) tags.push('low_income');
  if (age < 18 && rng.chance(lowIncome ? 0.25 : 0.01)) tags.push('child_in_difficulty');
  const party = age >= 18 && rng.chance(age < 35 ? 0.08 : age < 60 ? 0.11 : 0.15);
  if (party) tags.push('party_member');
  if (age >= 16 && age <= 80 && rng.chance(party ? 0.35 : 0.1)) tags.push('volunteer');
  return tags.sort();
}
