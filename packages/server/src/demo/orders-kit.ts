import type { Channel, Role, Urgency } from '@haitang/contracts';
import { addWorkingMs, beijingDate, isWorkingDay, type WorkCalendar } from '../lib/working-time.js';
import type { SlaLimits } from '../modules/workorders/order.sla.js';
import { DEMO_ACCOUNTS } from './accounts.js';
import type { Box } from './geo.js';
import { pickSurname } from './names.js';
import type { DemoPlan, PlannedBuilding, PlannedOrg } from './plan.js';
import type { Rng } from './prng.js';
import { OrderSim, type ActorRef } from './orders-sim.js';
import { HONORIFICS } from './orders-text.js';

/** Shared by the generated orders (orders.ts) and the seed's cases (orders-cases.ts). */

export const MINUTE = 60_000;
export const HOUR = 3_600_000;
export const DAY = 86_400_000;
const BEIJING_OFFSET = 8 * HOUR;

/** The instant a Beijing day begins. */
export function beijingDayStart(ms: number): number {
  return Math.floor((ms + BEIJING_OFFSET) / DAY) * DAY - BEIJING_OFFSET;
}

/**
 * The demo clock: the start of the current Beijing day. The generated year ends there, so the
 * same seed on the same day gives the same orders, row for row.
 */
export function demoClock(nowMs: number): number {
  return beijingDayStart(nowMs);
}

export interface OrderInputs {
  plan: DemoPlan;
  cal: WorkCalendar;
  /** SLA limits of a category code and urgency, as the server resolves them (order.sla.ts slaLimits). */
  limits: (categoryCode: string, urgency: Urgency) => SlaLimits;
  clock: number;
  seed: number;
}

/** One planned order: what intake records, plus its played-forward story (sim). */
export interface PlannedOrder {
  /** Stable key: merges refer to their primary by it. */
  key: number;
  channel: Channel;
  categoryCode: string;
  urgency: Urgency;
  title: string;
  description: string;
  /** Org key of the place: a micro-grid, or a street for the 12345 cases of 吴江经济技术开发区. */
  orgKey: string;
  household: number | null;
  lng: number | null;
  lat: number | null;
  address: string | null;
  reporterResident: number | null;
  reporterName: string | null;
  /** Plain text in memory only: the writer stores it encrypted, hashed and masked. */
  reporterPhone: string | null;
  anonymous: boolean;
  /** Public reports get an access code; only its hash is stored. */
  accessCode: string | null;
  hotlineNumber: string | null;
  /** Username of the account that registered the order (staff intake). */
  createdBy: string | null;
  praise: { person: string; orgKey: string | null } | null;
  sim: OrderSim;
}

const HANDLER_ROLES: readonly Role[] = ['department_handler', 'grid_worker', 'community_staff'];
const PHONE_PREFIXES = ['133', '135', '136', '137', '138', '139', '150', '151', '152', '157', '158', '159', '180', '181', '187', '188', '189'];
const CODE_ALPHABET = 'ABCDEFGHJKLMNPQRSTUVWXYZ23456789';

/** Office hours of the community and the units: 8:30–12:00 and 13:30–17:30 on working days. */
const OFFICE: readonly (readonly [number, number])[] = [
  [8.5 * HOUR, 12 * HOUR],
  [13.5 * HOUR, 17.5 * HOUR],
];

export class Kit {
  readonly orgs: Map<string, PlannedOrg>;
  private nextKey = 1;
  private readonly phones = new Set<string>();
  private readonly hotlineNumbers = new Set<string>();
  readonly householdsByMicro = new Map<string, number[]>();
  readonly buildingsByMicro = new Map<string, number[]>();
  readonly residentsByHousehold = new Map<number, number[]>();

  constructor(
    readonly inp: OrderInputs,
    readonly rng: Rng,
  ) {
    const { plan } = inp;
    this.orgs = new Map(plan.orgs.map((o) => [o.key, o]));
    const add = <K, V>(m: Map<K, V[]>, k: K, v: V) => (m.get(k) ?? m.set(k, []).get(k)!).push(v);
    plan.households.forEach((h, i) => add(this.householdsByMicro, h.orgKey, i));
    plan.buildings.forEach((b, i) => add(this.buildingsByMicro, b.orgKey, i));
    plan.residents.forEach((r, i) => add(this.residentsByHousehold, r.household, i));
  }

  get plan(): DemoPlan {
    return this.inp.plan;
  }

  get cal(): WorkCalendar {
    return this.inp.cal;
  }

  get clock(): number {
    return this.inp.clock;
  }

  newSim(orgKey: string, categoryCode: string, urgency: Urgency): { key: number; sim: OrderSim } {
    return { key: this.nextKey++, sim: new OrderSim({ cal: this.cal, limits: this.inp.limits(categoryCode, urgency), clock: this.clock, orgKey }) };
  }

  org(key: string): PlannedOrg {
    const o = this.orgs.get(key);
    if (!o) throw new Error(`demo orders: no org ${key}`);
    return o;
  }

  /** The node and its ancestors, nearest first. */
  ancestors(key: string): PlannedOrg[] {
    const out: PlannedOrg[] = [];
    for (let o: PlannedOrg | undefined = this.org(key); o; o = o.parentKey ? this.orgs.get(o.parentKey) : undefined) out.push(o);
    return out;
  }

  ofKind(key: string, kind: PlannedOrg['kind']): PlannedOrg | null {
    return this.ancestors(key).find((o) => o.kind === kind) ?? null;
  }

  private account(orgKey: string, roles: readonly Role[]): ActorRef | null {
    const a = DEMO_ACCOUNTS.find((x) => x.orgKey === orgKey && roles.includes(x.role));
    return a ? { account: a.username } : null;
  }

  /** Who accepts, dispatches, verifies and calls back: the staff of the community (or street) of the place. */
  dispatcherOf(placeKey: string): ActorRef {
    for (const o of this.ancestors(placeKey)) {
      const acc = this.account(o.key, ['community_staff', 'street_leader']);
      if (acc) return acc;
      if (o.kind === 'community' || o.kind === 'street') return { name: `${o.name}工作人员` };
    }
    throw new Error(`demo orders: no dispatcher for ${placeKey}`);
  }

  /** Who supervises (督办): the leader of the street, where the demo has one. */
  supervisorOf(placeKey: string): ActorRef | null {
    const street = this.ofKind(placeKey, 'street');
    return street ? this.account(street.key, ['street_leader']) : null;
  }

  /** Who signs for and works an order dispatched to a unit. */
  handlerActor(key: string): ActorRef {
    const acc = this.account(key, HANDLER_ROLES);
    if (acc) return acc;
    const o = this.org(key);
    if (o.kind === 'micro_grid') return this.handlerActor(o.parentKey!);
    if (o.kind === 'grid') return { name: `${o.name}网格员` };
    if (o.kind === 'community') return { name: `${o.name}工作人员` };
    return { name: o.name };
  }

  /** Office time at or after t (with a little jitter when it has to wait for the next opening). */
  office(t: number, jitterMinutes = 40): number {
    let day = beijingDayStart(t);
    for (let i = 0; i < 60; i++, day += DAY) {
      if (!isWorkingDay(this.cal, beijingDate(day))) continue;
      for (const [from, to] of OFFICE) {
        if (t < day + from) return day + from + this.rng.int(0, jitterMinutes) * MINUTE;
        if (t < day + to) return t;
      }
    }
    throw new Error('demo orders: no office day within 60 days');
  }

  /** A step taken a few minutes (wall clock) later, in office hours. */
  later(t: number, minMinutes: number, maxMinutes: number): number {
    return this.office(t + this.rng.int(minMinutes, maxMinutes) * MINUTE);
  }

  /** A step taken after some working hours (weekends and holidays do not count), in office hours. */
  afterWorking(t: number, minHours: number, maxHours: number): number {
    return this.office(addWorkingMs(this.cal, t, (minHours + this.rng.next() * (maxHours - minHours)) * HOUR));
  }

  /** A step on duty: any time of day. */
  duty(t: number, minMinutes: number, maxMinutes: number): number {
    return t + this.rng.int(minMinutes, maxMinutes) * MINUTE;
  }

  /** The first working day at or after the day of t, at the given Beijing time of day. */
  workingDayAt(t: number, hour: number, minute = 0): number {
    let day = beijingDayStart(t);
    while (!isWorkingDay(this.cal, beijingDate(day))) day += DAY;
    return day + hour * HOUR + minute * MINUTE;
  }

  /** The n-th working day after the day of t, at the given time. */
  nthWorkingDay(t: number, n: number, hour: number, minute = 0): number {
    let day = beijingDayStart(t);
    for (let k = 0; k < n; ) {
      day += DAY;
      if (isWorkingDay(this.cal, beijingDate(day))) k++;
    }
    return day + hour * HOUR + minute * MINUTE;
  }

  isWorkingDay(t: number): boolean {
    return isWorkingDay(this.cal, beijingDate(t));
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

  /** A 12345 work-order number of the platform: date and a sequence. */
  hotlineNumber(at: number): string {
    for (;;) {
      const n = `SZ12345-${beijingDate(at).replaceAll('-', '')}-${this.rng.digits(4)}`;
      if (!this.hotlineNumbers.has(n)) {
        this.hotlineNumbers.add(n);
        return n;
      }
    }
  }

  accessCode(): string {
    let s = '';
    for (let i = 0; i < 8; i++) s += CODE_ALPHABET[this.rng.int(0, CODE_ALPHABET.length - 1)];
    return s;
  }

  /** How a 12345 caller is recorded: surname and 先生/女士. */
  callerName(resident: number | null): string {
    if (resident !== null) {
      const r = this.plan.residents[resident]!;
      return `${surnameOf(r.name)}${HONORIFICS[r.gender]}`;
    }
    return `${pickSurname(this.rng)}${this.rng.chance(0.5) ? HONORIFICS.male : HONORIFICS.female}`;
  }

  /** An adult of the household (the one who reports), or anyone if none is adult. */
  adultOf(household: number): number {
    const people = this.residentsByHousehold.get(household) ?? [];
    const adults = people.filter((i) => this.plan.residents[i]!.age >= 18);
    return this.rng.pick(adults.length ? adults : people);
  }

  building(i: number): PlannedBuilding {
    return this.plan.buildings[i]!;
  }

  /** A point inside the box, away from its edges (so it routes to the box's own grid). */
  pointIn(b: Box): { lng: number; lat: number } {
    const f = () => 0.08 + this.rng.next() * 0.84;
    const round6 = (x: number) => Math.round(x * 1e6) / 1e6;
    return { lng: round6(b.west + (b.east - b.west) * f()), lat: round6(b.south + (b.north - b.south) * f()) };
  }
}

const COMPOUND_SURNAMES = ['欧阳', '司马'];
export function surnameOf(name: string): string {
  return COMPOUND_SURNAMES.find((s) => name.startsWith(s)) ?? name.slice(0, 1);
}

/** The short building label of a building name: 竹辉新村11幢 → 11幢. */
export function shortBuilding(name: string): string {
  return /\d+幢$/.exec(name)?.[0] ?? name;
}
