import { AutoComplete, Button, DatePicker, Form, Input } from 'antd';
import type { Dayjs } from 'dayjs';
import { useI18n } from '../../i18n';

export interface AuditFilterValues {
  action?: string;
  entityType?: string;
  entityId?: string;
  actorId?: string;
  from?: string;
  to?: string;
}

interface FormValues {
  action?: string;
  entityType?: string;
  entityId?: string;
  actorId?: string;
  range?: [Dayjs | null, Dayjs | null] | null;
}

/** Action prefixes worth offering; the filter still takes any text (the server matches by prefix). */
const ACTION_PREFIXES = [
  'auth.login',
  'org.',
  'resident.',
  'resident.reveal',
  'resident.export',
  'resident.import',
  'import.',
  'party.',
  'team.',
  'alliance.',
  'account.',
];

const ACTION_OPTIONS = ACTION_PREFIXES.map((value) => ({ value }));

/** The audit log's filter bar; the date range covers whole days in local time. */
export function AuditFilters({ onChange }: { onChange: (filters: AuditFilterValues) => void }) {
  const { t } = useI18n();
  const [form] = Form.useForm<FormValues>();

  const apply = (v: FormValues) => {
    const [start, end] = v.range ?? [];
    onChange({
      action: v.action?.trim() || undefined,
      entityType: v.entityType?.trim() || undefined,
      entityId: v.entityId?.trim() || undefined,
      actorId: v.actorId?.trim() || undefined,
      from: start ? start.startOf('day').toISOString() : undefined,
      to: end ? end.endOf('day').toISOString() : undefined,
    });
  };

  return (
    <Form form={form} layout="inline" onFinish={apply} style={{ rowGap: 8, marginBottom: 12 }}>
      <Form.Item name="action">
        {/* A custom input child, so the test id lands on the <input> itself (fill() needs it there). */}
        <AutoComplete
          options={ACTION_OPTIONS}
          filterOption={(text, option) => !!option && option.value.toLowerCase().includes(text.trim().toLowerCase())}
          popupMatchSelectWidth={false}
          style={{ width: 170 }}
        >
          <Input placeholder={t('audit.action')} allowClear data-testid="audit-filter-action" />
        </AutoComplete>
      </Form.Item>
      <Form.Item name="entityType">
        <Input placeholder={t('audit.entityType')} allowClear style={{ width: 130 }} data-testid="audit-filter-entity-type" />
      </Form.Item>
      <Form.Item name="entityId">
        <Input placeholder={t('audit.entityId')} allowClear style={{ width: 110 }} data-testid="audit-filter-entity-id" />
      </Form.Item>
      <Form.Item name="actorId">
        <Input placeholder={t('audit.actorId')} allowClear style={{ width: 110 }} data-testid="audit-filter-actor-id" />
      </Form.Item>
      <Form.Item name="range">
        <DatePicker.RangePicker data-testid="audit-filter-range" />
      </Form.Item>
      <Form.Item>
        <Button type="primary" htmlType="submit" data-testid="audit-search">
          {t('common.search')}
        </Button>
      </Form.Item>
      <Form.Item>
        <Button
          onClick={() => {
            form.resetFields();
            onChange({});
          }}
        >
          {t('common.reset')}
        </Button>
      </Form.Item>
    </Form>
  );
}
