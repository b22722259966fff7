import type { OrgKind } from '@haitang/contracts';
import { TreeSelect } from 'antd';
import { useMemo } from 'react';
import { useI18n } from '../../i18n';
import type { OrgTreeNode } from './use-org-tree';

interface Props {
  tree: OrgTreeNode[];
  value?: number | null;
  onChange?: (value: number | undefined) => void;
  /** Only these kinds can be picked (others are shown but disabled). */
  selectableKinds?: readonly OrgKind[];
  /** These ids (and nothing below them) are hidden, e.g. a unit's own subtree when moving it. */
  excludeIds?: Set<number>;
  placeholder?: string;
  allowClear?: boolean;
  testId?: string;
  disabled?: boolean;
  style?: React.CSSProperties;
}

interface SelectNode {
  value: number;
  title: string;
  disabled: boolean;
  children: SelectNode[];
}

/** A searchable org-unit picker over the actor's tree. */
export function OrgTreeSelect({ tree, value, onChange, selectableKinds, excludeIds, placeholder, allowClear, testId, disabled, style }: Props) {
  const { td, t } = useI18n();
  const treeData = useMemo(() => {
    const map = (nodes: OrgTreeNode[]): SelectNode[] =>
      nodes
        .filter((n) => !excludeIds?.has(n.key) && n.unit.status !== 'retired')
        .map((n) => ({
          value: n.key,
          title: `${n.title} · ${td(`org.kind.${n.unit.kind}`)}`,
          disabled: !!selectableKinds && !selectableKinds.includes(n.unit.kind),
          children: map(n.children),
        }));
    return map(tree);
  }, [tree, selectableKinds, excludeIds, td]);

  return (
    <TreeSelect
      data-testid={testId}
      style={{ minWidth: 180, ...style }}
      treeData={treeData}
      value={value ?? undefined}
      onChange={(v: number | undefined) => onChange?.(v)}
      placeholder={placeholder ?? t('common.select')}
      allowClear={allowClear}
      disabled={disabled}
      showSearch={{ treeNodeFilterProp: 'title' }}
      treeDefaultExpandAll
      popupMatchSelectWidth={false}
    />
  );
}
