import type { ActivityAudience, ActivityKind, ActivityStatus, ActivityView, Material, SignupStatus, SignupView } from '@haitang/contracts';
import { viewName, type NameViewer } from '../../lib/names.js';
import type { ActivityRow, SignupRow } from './activity.repository.js';

export function mapActivity(r: ActivityRow): ActivityView {
  return {
    id: r.id,
    orgId: r.org_id,
    orgName: r.org_name,
    teamId: r.team_id,
    teamName: r.team_name,
    organiser: r.organiser,
    kind: r.kind as ActivityKind,
    title: r.title,
    description: r.description,
    place: r.place,
    startsAt: r.starts_at,
    endsAt: r.ends_at,
    capacity: r.capacity,
    audience: r.audience as ActivityAudience,
    rules: { minSharePercent: r.min_share_percent, capMinutes: r.cap_minutes },
    status: r.status as ActivityStatus,
    cancelReason: r.cancel_reason,
    servedCount: r.served_count === null ? null : Number(r.served_count),
    seriesId: r.series_id,
    seriesTitle: r.series_title,
    materials: parseMaterials(r.materials),
    imageIds: parseIds(r.image_ids),
    confirmedCount: Number(r.confirmed_count),
    waitingCount: Number(r.waiting_count),
    version: r.version,
    updatedAt: r.updated_at,
  };
}

/** A sign-up; `waitingPosition` is its 1-based place among the waiting ones (given by the caller). */
export function mapSignup(r: SignupRow, viewer: NameViewer, waitingPosition: number | null = null): SignupView {
  return {
    id: r.id,
    activityId: r.activity_id,
    residentId: r.resident_id,
    name: viewName(r.name, viewer),
    status: r.status as SignupStatus,
    waitingPosition: r.status === 'waiting' ? waitingPosition : null,
    byProxy: r.proxy_account_id !== null,
    checkedInAt: r.checked_in_at,
    checkedOutAt: r.checked_out_at,
    computedMinutes: r.computed_minutes,
    confirmedMinutes: r.confirmed_minutes,
    confirmedAt: r.confirmed_at,
    correctionReason: r.correction_reason,
    createdAt: r.created_at,
    version: r.version,
  };
}

function parseIds(raw: string): number[] {
  try {
    const v = JSON.parse(raw);
    return Array.isArray(v) ? v.filter((x): x is number => Number.isInteger(x)) : [];
  } catch {
    return [];
  }
}

function parseMaterials(raw: string): Material[] {
  try {
    const v = JSON.parse(raw);
    return Array.isArray(v) ? v.filter((m): m is Material => typeof m?.title === 'string') : [];
  } catch {
    return [];
  }
}
