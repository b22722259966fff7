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

/** The two-level problem categories, flat and as a tree (top level first, then its children). */
export function useCategories() {
  const loaded = useLoad(() => ordersApi.categories(), []);
  const items = useMemo<CategoryView[]>(() => loaded.data?.items ?? [], [loaded.data]);
  const byId = useMemo(() => new Map(items.map((c) => [c.id, c])), [items]);
  const tree = useMemo<CategoryNode[]>(() => {
    const node = (c: CategoryView): CategoryNode => ({ value: c.id, title: c.name, label: c.name, children: [] });
    const roots = items.filter((c) => c.parentId === null || !byId.has(c.parentId)).map(node);
    const rootById = new Map(roots.map((r) => [r.value, r]));
    for (const c of items) {
      if (c.parentId !== null && rootById.has(c.parentId)) rootById.get(c.parentId)!.children.push(node(c));
    }
    return roots;
  }, [items, byId]);
  /** "环境卫生 / 楼道堆物" */
  const pathName = (id: number): string => {
    const c = byId.get(id);
    if (!c) return '';
    const parent = c.parentId === null ? undefined : byId.get(c.parentId);
    return parent ? `${parent.name} / ${c.name}` : c.name;
  };
  return { ...loaded, items, byId, tree, pathName };
}
