import type { Household } from '@haitang/contracts';
import { Select, Spin } from 'antd';
import { useEffect, useState } from 'react';
import { api } from '../../api/client';
import type { Page } from '../../api/types';
import { useI18n } from '../../i18n';
import { useDebounced } from '../common/use-debounced';

interface Props {
  value?: number | null;
  onChange?: (householdId: number | undefined, household?: Household) => void;
  testId?: string;
}

/** Search the households of the actor's area by address and pick one (the place of an order). */
export function HouseholdPicker({ value, onChange, testId = 'order-household' }: Props) {
  const { t } = useI18n();
  const [search, setSearch] = useState('');
  const q = useDebounced(search.trim(), 300);
  const [options, setOptions] = useState<Household[]>([]);
  const [loading, setLoading] = useState(false);

  useEffect(() => {
    let live = true;
    setLoading(true);
    api
      .get<Page<Household>>('/api/households', { q, pageSize: 20 })
      .then((page) => live && setOptions(page.items))
      .catch(() => live && setOptions([]))
      .finally(() => live && setLoading(false));
    return () => {
      live = false;
    };
  }, [q]);

  return (
    <Select
      data-testid={testId}
      showSearch={{ filterOption: false, onSearch: setSearch }}
      value={value ?? undefined}
      onChange={(id: number | undefined) => onChange?.(id, options.find((h) => h.id === id))}
      notFoundContent={loading ? <Spin size="small" /> : undefined}
      placeholder={t('orders.form.householdSearch')}
      allowClear
      style={{ width: '100%' }}
      options={options.map((h) => ({ value: h.id, label: `${h.address} · ${h.orgName}` }))}
    />
  );
}
