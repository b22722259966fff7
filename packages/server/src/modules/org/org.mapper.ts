import type { OrgUnit } from '@haitang/contracts';
import type { OrgUnitRow } from '../../db/schema.js';

export function mapOrgUnit(r: OrgUnitRow): OrgUnit {
  return {
    id: r.id,
    parentId: r.parent_id,
    kind: r.kind as OrgUnit['kind'],
    name: r.name,
    code: r.code,
    depth: r.depth,
    status: r.status as OrgUnit['status'],
    geometry: r.geometry ? JSON.parse(r.geometry) : null,
    version: r.version,
  };
}
