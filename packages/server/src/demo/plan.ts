import { canBeChild, type OrgKind, type PartyMemberRole, type PartyOrgKind, type TeamMemberRole } from '@haitang/contracts';
import { pointIn, tileBox, type Box } from './geo.js';
import { generateHousehold, IdentityFactory, namedHousehold, type PersonSpec } from './people.js';
import { createRng, type Rng } from './prng.js';
import { planParty, planTeams } from './plan-groups.js';
import { ALLIANCE, ESTATES, NAMED_RESIDENTS, ORG_TREE, REGION_CODES, type AllianceSpec, type OrgSpec } from './world.js';

/**
 * The whole demo world computed in memory from one seed, before anything touches a database:
 * the same seed gives the same plan, row for row. Rows refer to each other by array index or
 * org key; write.ts turns those into database ids.
 */
export const DEMO_SEED = 20_221_204;

export interface PlannedOrg {
  key: string;
  parentKey: string | null;
  kind: OrgKind;
  name: string;
  code: string | null;
  depth: number;
  sortOrder: number;
  box: Box | null;
}

export interface PlannedBuilding {
  orgKey: string;
  name: string;
  address: string;
  lng: number;
  lat: number;
}

export interface PlannedHousehold {
  building: number;
  orgKey: string;
  unitLabel: string;
  room: string;
  address: string;
}

export interface PlannedResident extends PersonSpec {
  household: number;
  orgKey: string;
  gridKey: string;
  communityKey: string;
  address: string;
}

export interface PlannedPartyOrg {
  kind: PartyOrgKind;
  name: string;
  orgKey: string;
  /** Index of the parent in DemoPlan.partyOrgs (always earlier in the list). */
  parent: number | null;
  household: number | null;
  secretary: number | null;
  description: string | null;
  members: { resident: number; role: PartyMemberRole; joinedAt: string }[];
}

export interface PlannedTeam {
  orgKey: string;
  kind: 'vanguard' | 'volunteer';
  name: string;
  description: string;
  members: { resident: number; role: TeamMemberRole; gridKey: string | null; joinedAt: string }[];
}

export interface DemoPlan {
  orgs: PlannedOrg[];
  buildings: PlannedBuilding[];
  households: PlannedHousehold[];
  residents: PlannedResident[];
  partyOrgs: PlannedPartyOrg[];
  teams: PlannedTeam[];
  alliance: AllianceSpec[];
  /** Index of each named person of the seed (刘香梅...) in residents. */
  named: Record<string, number>;
  /** The PRNG seed the plan was drawn from (the work orders draw from it too). */
  seed: number;
}

export function planDemoWorld(seed = DEMO_SEED): DemoPlan {
  const rng = createRng(seed);
  const orgs = flattenOrgTree(ORG_TREE);
  const { buildings, households, residents, named } = planEstates(rng, orgs);
  const plan: DemoPlan = {
    orgs,
    buildings,
    households,
    residents,
    partyOrgs: [],
    teams: [],
    alliance: ALLIANCE,
    named,
    seed,
  };
  plan.teams = planTeams(rng, plan);
  plan.partyOrgs = planParty(rng, plan);
  return plan;
}

/** Pre-order (parents first), checking every edge against ORG_CHILD_KINDS. */
function flattenOrgTree(root: OrgSpec): PlannedOrg[] {
  const out: PlannedOrg[] = [];
  const visit = (node: OrgSpec, parent: OrgSpec | null, depth: number, sortOrder: number) => {
    if (parent && !canBeChild(parent.kind, node.kind)) throw new Error(`demo world: ${node.kind} ${node.name} under ${parent.kind}`);
    out.push({
      key: node.key,
      parentKey: parent?.key ?? null,
      kind: node.kind,
      name: node.name,
      code: node.code ?? null,
      depth,
      sortOrder,
      box: node.box ?? null,
    });
    (node.children ?? []).forEach((child, i) => visit(child, node, depth + 1, i + 1));
  };
  visit(root, null, 0, 0);
  return out;
}

/** Buildings 1幢…N幢 spread in order over the community's micro-grids, then units, rooms and families. */
function planEstates(rng: Rng, orgs: PlannedOrg[]) {
  const idf = new IdentityFactory(rng);
  const buildings: PlannedBuilding[] = [];
  const households: PlannedHousehold[] = [];
  const residents: PlannedResident[] = [];
  const named: Record<string, number> = {};
  const boxOf = new Map(orgs.map((o) => [o.key, o.box]));

  for (const estate of ESTATES) {
    const region = REGION_CODES[estate.region];
    const micros = orgs.filter((o) => o.kind === 'micro_grid' && o.key.startsWith(`${estate.community}.`));
    const microOf = (b: number) => micros[Math.floor((b * micros.length) / estate.buildings)]!.key;
    for (let b = 0; b < estate.buildings; b++) {
      const orgKey = microOf(b);
      const gridKey = orgKey.slice(0, orgKey.lastIndexOf('.'));
      // Buildings of a micro-grid stand in a row across its middle.
      const siblings = Array.from({ length: estate.buildings }, (_, i) => i).filter((i) => microOf(i) === orgKey);
      const spot = tileBox(boxOf.get(orgKey)!, siblings.length, 1)[siblings.indexOf(b)]!;
      const name = `${estate.estate}${b + 1}幢`;
      const building = buildings.push({ orgKey, name, address: name, ...pointIn(spot, 0.5, 0.5) }) - 1;

      for (let unit = 1; unit <= estate.units; unit++) {
        for (let floor = 1; floor <= estate.floors; floor++) {
          for (let r = 1; r <= estate.roomsPerFloor; r++) {
            const room = `${floor}0${r}`;
            const person = estate.community === 'zhuhui'
              ? NAMED_RESIDENTS.find((n) => n.building === b + 1 && n.unit === unit && n.room === room)
              : undefined;
            if (!person && !rng.chance(estate.occupancy)) continue;
            const address = `${name}${unit}单元${room}室`;
            const household = households.push({ building, orgKey, unitLabel: `${unit}单元`, room, address }) - 1;
            const people = person ? namedHousehold(rng, idf, region, person) : generateHousehold(rng, idf, region);
            if (person) named[person.name] = residents.length;
            for (const p of people) residents.push({ ...p, household, orgKey, gridKey, communityKey: estate.community, address });
          }
        }
      }
    }
  }
  return { buildings, households, residents, named };
}
