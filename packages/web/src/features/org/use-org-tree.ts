import type { OrgKind } from '@haitang/contracts';
import { useMemo } from 'react';
import { api } from '../../api/client';
import type { OrgUnit } from '../../api/types';
import { useLoad } from '../common/use-load';

export interface OrgTreeNode {
  key: number;
  value: number;
  title: string;
  unit: OrgUnit;
  children: OrgTreeNode[];
}

/** Builds nested nodes from the flat list; units whose parent is outside the list become roots. */
export function buildOrgTree(units: OrgUnit[]): OrgTreeNode[] {
  const nodes = new Map<number, OrgTreeNode>();
  for (const unit of units) nodes.set(unit.id, { key: unit.id, value: unit.id, title: unit.name, unit, children: [] });
  const roots: OrgTreeNode[] = [];
  for (const node of nodes.values()) {
    const parent = node.unit.parentId === null ? undefined : nodes.get(node.unit.parentId);
    if (parent) parent.children.push(node);
    else roots.push(node);
  }
  const sort = (list: OrgTreeNode[]) => {
    list.sort((a, b) => (a.unit.code ?? a.title).localeCompare(b.unit.code ?? b.title, 'zh-CN'));
    list.forEach((n) => sort(n.children));
  };
  sort(roots);
  return roots;
}

/** The actor's org subtree, flat and nested, with lookups (retired units only on request). */
export function useOrgTree(options: { includeRetired?: boolean } = {}) {
  const includeRetired = options.includeRetired ?? false;
  const loaded = useLoad(
    () => api.get<{ nodes: OrgUnit[] }>('/api/org/tree', includeRetired ? { includeRetired: true } : undefined),
    [includeRetired],
  );
  const units = useMemo(() => loaded.data?.nodes ?? [], [loaded.data]);
  const byId = useMemo(() => new Map(units.map((u) => [u.id, u])), [units]);
  const tree = useMemo(() => buildOrgTree(units), [units]);
  return { ...loaded, units, byId, tree };
}

/** The ids of a unit and all its descendants. */
export function subtreeIds(units: OrgUnit[], rootId: number): Set<number> {
  const ids = new Set([rootId]);
  let grew = true;
  while (grew) {
    grew = false;
    for (const u of units) {
      if (u.parentId !== null && ids.has(u.parentId) && !ids.has(u.id)) {
        ids.add(u.id);
        grew = true;
      }
    }
  }
  return ids;
}

export const RESIDENT_ORG_KINDS: readonly OrgKind[] = ['grid', 'micro_grid'];
