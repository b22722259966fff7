import { hasPermission, maskName } from '@haitang/contracts';
import type { Actor } from './actor.js';

/**
 * Residents' names show as surname + * (design.md §5) to roles without the permission to see full
 * personal data (resident.reveal). One rule for every module that shows a resident's name.
 */
export type NameViewer = { readonly fullName: boolean };

/** Audit images record whom a change concerned: full names (numbers stay masked). */
export const AUDIT_VIEWER: NameViewer = { fullName: true };

export function nameViewer(actor: Actor): NameViewer {
  return { fullName: hasPermission(actor.role, 'resident.reveal') };
}

export function viewName<T extends string | null>(name: T, viewer: NameViewer): T {
  return (name === null || viewer.fullName ? name : maskName(name)) as T;
}
