import { OrgTreeSelect } from '../org/org-tree-select';
import { useOrgTree } from '../org/use-org-tree';

interface Props {
  value?: number;
  onChange?: (id: number | undefined) => void;
  disabled?: boolean;
}

/** The place of a problem picked by hand (when the phone cannot tell it): a grid of the actor's area. */
export function GridSelect({ value, onChange, disabled }: Props) {
  const { tree, loading } = useOrgTree();
  return (
    <OrgTreeSelect
      tree={tree}
      value={value}
      onChange={onChange}
      disabled={disabled || loading}
      selectableKinds={['community', 'grid', 'micro_grid']}
      allowClear
      testId="field-grid"
      style={{ width: '100%' }}
    />
  );
}
