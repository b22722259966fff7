import { maskPhone, type AllianceKind, type AllianceMemberView, type LifecycleStatus } from '@haitang/contracts';
import type { AllianceRow } from './alliance.repository.js';

/** The contact phone is masked unless `fullPhone` (the detail view). */
export function mapAllianceMember(r: AllianceRow, opts: { fullPhone?: boolean } = {}): AllianceMemberView {
  return {
    id: r.id,
    orgId: r.org_id,
    orgName: r.org_name,
    kind: r.kind as AllianceKind,
    name: r.name,
    contactName: r.contact_name,
    contactPhone: r.contact_phone == null ? null : opts.fullPhone ? r.contact_phone : maskPhone(r.contact_phone),
    address: r.address,
    services: r.services,
    status: r.status as LifecycleStatus,
    version: r.version,
  };
}
