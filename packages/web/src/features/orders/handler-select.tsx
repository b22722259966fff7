import type { OrgUnit } from '@haitang/contracts';
import { useEffect, useMemo } from 'react';
import { api } from '../../api/client';
import { useLoad } from '../common/use-load';
import { OrgTreeSelect } from '../org/org-tree-select';
import { buildOrgTree } from '../org/use-org-tree';

interface Props {
  orderId: number;
  value?: number;
  onChange?: (v: number | undefined) => void;
  disabled?: boolean;
}

/**
 * The units an order can be dispatched to, as the server lists them for that order: the
 * departments attached along its place (e.g. the street's 派出所, outside a community's own tree)
 * and the units of the actor's area. The category's usual unit is picked when nothing is yet.
 */
export function HandlerSelect({ orderId, value, onChange, disabled }: Props) {
  const loaded = useLoad(() => api.get<{ items: OrgUnit[]; suggestedId: number | null }>(`/api/orders/${orderId}/handlers`), [orderId]);
  const tree = useMemo(() => buildOrgTree(loaded.data?.items ?? []), [loaded.data]);
  const suggested = loaded.data?.suggestedId ?? null;
  useEffect(() => {
    if (value === undefined && suggested !== null) onChange?.(suggested);
    // Only when the list arrives: a unit the user cleared stays cleared.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [suggested]);
  return (
    <OrgTreeSelect
      tree={tree}
      value={value}
      onChange={onChange}
      disabled={disabled || loaded.loading}
      selectableKinds={['community', 'grid', 'micro_grid', 'department']}
      testId="action-handler"
      style={{ width: '100%' }}
    />
  );
}
