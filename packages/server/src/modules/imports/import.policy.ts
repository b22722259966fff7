import { requireInScope, requirePermission, type Actor } from '../../lib/actor.js';
import type { ImportJobRow } from './import.repository.js';

/**
 * Who may see or commit an import job: the account that uploaded it, or anyone holding
 * resident.import whose scope covers the job's org node. Anyone else gets 404 (no existence leak).
 */
export function authorizeImportJob(actor: Actor, job: ImportJobRow | undefined): ImportJobRow {
  requirePermission(actor, 'resident.import');
  if (job && job.account_id === actor.id) return job;
  requireInScope(actor, job?.org_path);
  return job!;
}
