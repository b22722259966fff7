import { Select, Spin } from 'antd';
import { useEffect, useState } from 'react';
import { api } from '../../api/client';
import type { Page, ResidentView } from '../../api/types';
import { useI18n } from '../../i18n';
import { useDebounced } from '../common/use-debounced';

interface Props {
  value?: number;
  onChange?: (residentId: number | undefined, resident?: ResidentView) => void;
  /** Restrict the search to an org subtree. */
  orgId?: number;
  /** Label of the current value when it is not among the search results (e.g. a saved secretary). */
  valueLabel?: string | null;
  testId?: string;
}

/** Search residents by name, pinyin initials, phone or address and pick one. */
export function ResidentPicker({ value, onChange, orgId, valueLabel, testId }: Props) {
  const { t } = useI18n();
  const [search, setSearch] = useState('');
  const q = useDebounced(search, 300);
  const [options, setOptions] = useState<ResidentView[]>([]);
  const [loading, setLoading] = useState(false);

  useEffect(() => {
    let live = true;
    setLoading(true);
    api
      .get<Page<ResidentView>>('/api/residents', { q, orgId, pageSize: 20, status: 'active' })
      .then((page) => live && setOptions(page.items))
      .catch(() => live && setOptions([]))
      .finally(() => live && setLoading(false));
    return () => {
      live = false;
    };
  }, [q, orgId]);

  return (
    <Select
      data-testid={testId}
      showSearch={{ filterOption: false, onSearch: setSearch }}
      value={value}
      onChange={(id: number | undefined) => onChange?.(id, options.find((r) => r.id === id))}
      notFoundContent={loading ? <Spin size="small" /> : undefined}
      placeholder={t('resident.searchPick')}
      allowClear
      style={{ width: '100%' }}
      options={[
        ...(value !== undefined && valueLabel && !options.some((r) => r.id === value) ? [{ value, label: valueLabel }] : []),
        ...options.map((r) => ({
          value: r.id,
          label: [r.name, r.phoneMasked, r.orgName].filter(Boolean).join(' · '),
        })),
      ]}
    />
  );
}
