import type { CategoryView } from '@haitang/contracts';
import { useMemo } from 'react';
import { useLoad } from '../common/use-load';
import { ordersApi } from './orders-api';

export interface CategoryNode {
  value: number;
  title: string;
  label: string;
  children: CategoryNode[];
}

/**
 * The active two-level problem categories, for the console's tree selects and the phone's chip
 * picker alike. The endpoint is public: the residents' report page loads them without an account.
 * `data` stays undefined until the first answer; then the list is also given by id, as the top level
 * with each one's children, and as a tree (top level first, then its children).
 */
export function useCategories() {
  const loaded = useLoad(() => ordersApi.categories().then((r) => r.items), []);
  const items = useMemo<CategoryView[]>(() => loaded.data ?? [], [loaded.data]);
  const byId = useMemo(() => new Map(items.map((c) => [c.id, c])), [items]);
  const { tops, childrenOf, tree } = useMemo(() => {
    // A category whose parent is not (or no longer) active counts as a top-level one.
    const tops = items.filter((c) => c.parentId === null || !byId.has(c.parentId));
    const childrenOf = new Map<number, CategoryView[]>();
    for (const c of items) {
      if (c.parentId !== null && byId.has(c.parentId)) childrenOf.set(c.parentId, [...(childrenOf.get(c.parentId) ?? []), c]);
    }
    const node = (c: CategoryView, children: CategoryNode[] = []): CategoryNode => ({ value: c.id, title: c.name, label: c.name, children });
    const tree = tops.map((top) => node(top, (childrenOf.get(top.id) ?? []).map((c) => node(c))));
    return { tops, childrenOf, tree };
  }, [items, byId]);
  /** "环境卫生 / 楼道堆物" */
  const pathName = (id: number): string => {
    const c = byId.get(id);
    if (!c) return '';
    const parent = c.parentId === null ? undefined : byId.get(c.parentId);
    return parent ? `${parent.name} / ${c.name}` : c.name;
  };
  return { ...loaded, items, byId, tops, childrenOf, tree, pathName };
}

export type Categories = ReturnType<typeof useCategories>;
