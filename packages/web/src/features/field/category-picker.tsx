import type { CategoryView } from '@haitang/contracts';
import { Alert, Button, Skeleton, Tag } from 'antd';
import { useState } from 'react';
import { useI18n } from '../../i18n';
import type { Categories } from '../orders/use-categories';

interface Props {
  /** From useCategories() (features/orders/use-categories.ts). */
  categories: Categories;
  value?: number;
  onChange?: (id: number | undefined) => void;
  disabled?: boolean;
}

/**
 * Two rows of large chips instead of a cascader (easier with a thumb): the top-level categories,
 * then the chosen one's sub-categories. A top-level category without children is itself a choice.
 */
export function CategoryPicker({ categories, value, onChange, disabled }: Props) {
  const { t } = useI18n();
  const [openTop, setOpenTop] = useState<number | undefined>(undefined);
  const { data, loading, error, reload, tops, childrenOf, byId } = categories;

  if (loading && !data) return <Skeleton active paragraph={{ rows: 2 }} title={false} />;
  if (error && !data) {
    return (
      <Alert
        type="error"
        showIcon
        title={t('field.cat.loadFailed')}
        description={error}
        action={
          <Button size="small" onClick={reload} data-testid="category-retry">
            {t('field.retry')}
          </Button>
        }
      />
    );
  }

  const chosen = value === undefined ? undefined : byId.get(value);
  const chosenTop = chosen ? (chosen.parentId !== null && byId.has(chosen.parentId) ? byId.get(chosen.parentId) : chosen) : undefined;
  const top = openTop !== undefined ? byId.get(openTop) : chosenTop;
  const pickTop = (c: CategoryView) => {
    if (disabled) return;
    setOpenTop(c.id);
    if (!childrenOf.has(c.id)) onChange?.(c.id);
    else if (value !== undefined && chosenTop?.id !== c.id) onChange?.(undefined);
  };
  const subs = top ? (childrenOf.get(top.id) ?? []) : [];

  return (
    <div data-testid="category-picker">
      <div className="ht-chips">
        {tops.map((c) => (
          <Tag.CheckableTag
            key={c.id}
            className="ht-chip"
            checked={top?.id === c.id}
            data-testid={`cat-${c.code}`}
            onChange={() => pickTop(c)}
          >
            {c.name}
          </Tag.CheckableTag>
        ))}
      </div>
      {top && subs.length > 0 && (
        <>
          <div className="ht-hint" style={{ margin: '8px 0 4px' }}>
            {t('field.cat.sub', { name: top.name })}
          </div>
          <div className="ht-chips ht-chips-sub">
            {subs.map((c) => (
              <Tag.CheckableTag
                key={c.id}
                className="ht-chip"
                checked={value === c.id}
                data-testid={`cat-${c.code}`}
                onChange={() => !disabled && onChange?.(c.id)}
              >
                {c.name}
              </Tag.CheckableTag>
            ))}
          </div>
        </>
      )}
    </div>
  );
}
