import type { PartyMemberRole, TeamMemberRole } from '@haitang/contracts';
import type { DemoPlan, PlannedPartyOrg, PlannedResident, PlannedTeam } from './plan.js';
import type { Rng } from './prng.js';
import { PARTY, TEAMS, type TeamSpec } from './world.js';

/** Teams and the party chain, drawn from the planned residents (see plan.ts). */

const pad = (n: number) => String(n).padStart(2, '0');
const dateBetween = (rng: Rng, fromYear: number, toYear: number) =>
  `${rng.int(fromYear, toYear)}-${pad(rng.int(1, 12))}-${pad(rng.int(1, 28))}T00:00:00.000Z`;

type Pick = (r: PlannedResident) => boolean;

/** Residents (indices) matching `where`, those matching `prefer` first, each group shuffled. */
function candidates(rng: Rng, residents: PlannedResident[], where: Pick, prefer: Pick[] = []): number[] {
  const groups: number[][] = Array.from({ length: prefer.length + 1 }, () => []);
  residents.forEach((r, i) => {
    if (!where(r)) return;
    const g = prefer.findIndex((p) => p(r));
    groups[g === -1 ? prefer.length : g]!.push(i);
  });
  return groups.flatMap((g) => rng.shuffle(g));
}

const has = (tag: string): Pick => (r) => r.tags.includes(tag as never);
const aged = (lo: number, hi: number): Pick => (r) => r.age >= lo && r.age <= hi;

function addTag(r: PlannedResident, tag: 'volunteer'): void {
  if (!r.tags.includes(tag)) r.tags = [...r.tags, tag].sort();
}

/**
 * 海棠先锋队 (16: four per grid, one leader), the volunteer teams of 竹辉 and the four clean-up
 * teams of 绿色时光 (one per grid: 分片包干). Nobody is in two teams; members carry the volunteer tag.
 */
export function planTeams(rng: Rng, plan: DemoPlan): PlannedTeam[] {
  const used = new Set<number>();
  const { residents, orgs } = plan;
  const gridsOf = (community: string) => orgs.filter((o) => o.kind === 'grid' && o.parentKey === community).map((o) => o.key);
  const take = (list: number[], n: number) => {
    const out = list.filter((i) => !used.has(i)).slice(0, n);
    if (out.length < n) throw new Error(`demo world: not enough residents for a team (${out.length} < ${n})`);
    out.forEach((i) => used.add(i));
    return out;
  };

  return TEAMS.map((spec: TeamSpec): PlannedTeam => {
    const inCommunity: Pick = (r) => r.communityKey === spec.community;
    const eligible: Pick = spec.womenOnly ? (r) => r.gender === 'female' && aged(35, 70)(r) : aged(20, 68);
    let picked: { resident: number; gridKey: string | null }[];
    if (spec.kind === 'vanguard') {
      picked = gridsOf(spec.community).flatMap((gridKey) =>
        take(candidates(rng, residents, (r) => r.gridKey === gridKey && aged(25, 62)(r), [has('party_member'), has('volunteer')]), spec.perGrid!)
          .map((resident) => ({ resident, gridKey })),
      );
    } else {
      const gridKey = spec.grid ? gridsOf(spec.community)[spec.grid - 1]! : null;
      const where: Pick = (r) => inCommunity(r) && eligible(r) && (!gridKey || r.gridKey === gridKey);
      picked = take(candidates(rng, residents, where, [has('volunteer')]), spec.size).map((resident) => ({ resident, gridKey }));
    }
    if (picked.length !== spec.size) throw new Error(`demo world: ${spec.name} has ${picked.length} members, expected ${spec.size}`);
    picked.forEach((p) => addTag(residents[p.resident]!, 'volunteer'));
    return {
      orgKey: spec.community,
      kind: spec.kind,
      name: spec.name,
      description: spec.description,
      members: picked.map((p, i) => ({ ...p, role: (i === 0 ? 'leader' : 'member') as TeamMemberRole, joinedAt: dateBetween(rng, 2021, 2025) })),
    };
  });
}

/**
 * 竹辉社区大党委 → one 网格党支部 per grid (网格党支部全覆盖) → 党员中心户 linked to households;
 * the action branches 微党课 and 竹韵家园; the other communities' committees.
 */
export function planParty(rng: Rng, plan: DemoPlan): PlannedPartyOrg[] {
  const { residents, orgs } = plan;
  const out: PlannedPartyOrg[] = [];
  const member = (resident: number, role: PartyMemberRole) => ({ resident, role, joinedAt: dateBetween(rng, 2019, 2025) });
  const partyIn = (p: Pick) => candidates(rng, residents, (r) => has('party_member')(r) && p(r), [aged(35, 62)]);

  const committee = out.push({
    kind: 'community_committee', name: PARTY.zhuhuiCommittee, orgKey: 'zhuhui', parent: null, household: null,
    secretary: null, description: '社区大党委—网格党支部—党员中心户三级党建组织链条', members: [],
  }) - 1;
  const branchSecretaries: number[] = [];

  for (const grid of orgs.filter((o) => o.kind === 'grid' && o.parentKey === 'zhuhui')) {
    const members = partyIn((r) => r.gridKey === grid.key);
    const secretary = members[0]!;
    branchSecretaries.push(secretary);
    const branch = out.push({
      kind: 'grid_branch', name: `${grid.name}党支部`, orgKey: grid.key, parent: committee, household: null, secretary,
      description: null, members: members.map((m, i) => member(m, i === 0 ? 'secretary' : 'member')),
    }) - 1;

    const heads = candidates(rng, residents, (r) => r.gridKey === grid.key && r.relation === '户主' && has('party_member')(r) && aged(40, 80)(r));
    for (const head of heads.slice(0, PARTY.centerHouseholdsPerBranch)) {
      const h = residents[head]!;
      const housemates = residents.flatMap((r, i) => (r.household === h.household && i !== head && has('party_member')(r) ? [i] : []));
      out.push({
        kind: 'center_household', name: `${h.name}党员中心户`, orgKey: h.orgKey, parent: branch, household: h.household,
        secretary: head, description: `${h.address}，联系周边楼道住户`,
        members: [member(head, 'secretary'), ...housemates.map((m) => member(m, 'member'))],
      });
    }
  }

  // The committee: a secretary and a deputy from the community, the four branch secretaries as members.
  const taken = new Set(branchSecretaries.map((i) => residents[i]));
  const [secretary, deputy] = partyIn((r) => r.communityKey === 'zhuhui' && !taken.has(r));
  out[committee]!.secretary = secretary!;
  out[committee]!.members = [
    member(secretary!, 'secretary'),
    member(deputy!, 'deputy_secretary'),
    ...branchSecretaries.map((s) => member(s, 'committee_member')),
  ];

  for (const ab of PARTY.actionBranches) {
    const members = partyIn((r) => r.communityKey === 'zhuhui').slice(0, ab.size);
    out.push({
      kind: 'action_branch', name: ab.name, orgKey: 'zhuhui', parent: committee, household: null, secretary: members[0]!,
      description: ab.description, members: members.map((m, i) => member(m, i === 0 ? 'secretary' : 'member')),
    });
  }

  for (const c of PARTY.otherCommittees) {
    const members = partyIn((r) => r.communityKey === c.community);
    out.push({
      kind: 'community_committee', name: c.name, orgKey: c.community, parent: null, household: null, secretary: members[0] ?? null,
      description: null, members: members.map((m, i) => member(m, i === 0 ? 'secretary' : 'member')),
    });
  }
  return out;
}
