import type { Building, Household } from '@haitang/contracts';
import type { BuildingRow, HouseholdRow } from './household.repository.js';

export function mapBuilding(r: BuildingRow): Building {
  return { id: r.id, orgId: r.org_id, orgName: r.org_name, name: r.name, address: r.address, lng: r.lng, lat: r.lat, version: r.version };
}

export function mapHousehold(r: HouseholdRow): Household {
  return {
    id: r.id,
    orgId: r.org_id,
    orgName: r.org_name,
    buildingId: r.building_id,
    buildingName: r.building_name,
    unitLabel: r.unit_label,
    room: r.room,
    address: r.address,
    memberCount: Number(r.member_count),
    version: r.version,
  };
}
