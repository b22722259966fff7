import { checkIdNumber, checkPhone, idNumberFacts, normalizeIdNumber, RESIDENT_STATUSES, RESIDENT_TAGS } from '@haitang/contracts';
import { Button, DatePicker, Drawer, Form, Grid, Input, Radio, Select, Space } from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { useEffect, useState } from 'react';
import { api, ApiError } from '../../api/client';
import type { Household, Page, ResidentView } from '../../api/types';
import { useI18n } from '../../i18n';
import { useLoad } from '../common/use-load';
import { useNotify } from '../common/use-notify';
import { OrgTreeSelect } from '../org/org-tree-select';
import { RESIDENT_ORG_KINDS, type OrgTreeNode } from '../org/use-org-tree';
import { tagLabel } from './resident-labels';

interface Props {
  open: boolean;
  /** The resident to edit; null to create one. */
  resident: ResidentView | null;
  tree: OrgTreeNode[];
  onClose: () => void;
  onSaved: (resident: ResidentView) => void;
  /** The stored record changed under us (version conflict): lists should reload. */
  onStale?: () => void;
}

interface Values {
  name: string;
  orgId?: number;
  householdId?: number | null;
  idNumber?: string;
  phone?: string;
  gender?: 'male' | 'female' | null;
  birthDate?: Dayjs | null;
  address?: string;
  relationToHead?: string;
  tags?: string[];
  note?: string;
  status?: string;
}

const blankToNull = (v: string | undefined) => (v && v.trim() ? v.trim() : null);

/** Add or edit a resident with the same ID-number and phone rules the server applies. */
export function ResidentFormDrawer({ open, resident, tree, onClose, onSaved, onStale }: Props) {
  const { t, td, locale } = useI18n();
  const { ok, fail } = useNotify();
  const screens = Grid.useBreakpoint();
  const [form] = Form.useForm<Values>();
  const [busy, setBusy] = useState(false);
  const [current, setCurrent] = useState<ResidentView | null>(resident);
  const orgId = Form.useWatch('orgId', form);
  const isEdit = !!current;

  const households = useLoad(
    orgId ? () => api.get<Page<Household>>('/api/households', { orgId, pageSize: 200 }) : null,
    [orgId],
  );

  const fill = (r: ResidentView | null) => {
    form.resetFields();
    if (!r) return;
    form.setFieldsValue({
      name: r.name,
      orgId: r.orgId,
      householdId: r.householdId,
      gender: r.gender,
      birthDate: r.birthDate ? dayjs(r.birthDate) : null,
      address: r.address ?? '',
      relationToHead: r.relationToHead ?? '',
      tags: r.tags,
      note: r.note ?? '',
      status: r.status,
    });
  };

  useEffect(() => {
    if (!open) return;
    setCurrent(resident);
    fill(resident);
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [open, resident]);

  // A valid ID number tells the birth date and gender: fill them when still empty.
  const onIdNumberBlur = () => {
    const raw = form.getFieldValue('idNumber') as string | undefined;
    if (!raw || checkIdNumber(raw) !== null) return;
    const facts = idNumberFacts(normalizeIdNumber(raw));
    if (!form.getFieldValue('birthDate')) form.setFieldValue('birthDate', dayjs(facts.birthDate));
    if (!form.getFieldValue('gender')) form.setFieldValue('gender', facts.gender);
  };

  const submit = async () => {
    // Invalid fields are already shown next to the inputs.
    const v = await form.validateFields().catch(() => null);
    if (!v) return;
    const body: Record<string, unknown> = {
      name: v.name.trim(),
      gender: v.gender ?? null,
      birthDate: v.birthDate ? v.birthDate.format('YYYY-MM-DD') : null,
      address: blankToNull(v.address),
      relationToHead: blankToNull(v.relationToHead),
      tags: v.tags ?? [],
      note: blankToNull(v.note),
    };
    // A name shown masked (surname + *) is sent only when the user actually changed it.
    if (current && body.name === current.name) delete body.name;
    if (v.orgId !== undefined) body.orgId = v.orgId;
    body.householdId = v.householdId ?? null;
    // Masked values are never sent back: an empty field on edit means "unchanged".
    if (v.idNumber?.trim()) body.idNumber = normalizeIdNumber(v.idNumber);
    else if (!isEdit) body.idNumber = null;
    if (v.phone?.trim()) body.phone = v.phone.trim();
    else if (!isEdit) body.phone = null;
    setBusy(true);
    try {
      const saved = current
        ? await api.patch<ResidentView>(`/api/residents/${current.id}`, { ...body, version: current.version, status: v.status })
        : await api.post<ResidentView>('/api/residents', body);
      ok(t('common.saved'));
      onSaved(saved);
    } catch (error) {
      fail(error);
      if (error instanceof ApiError && error.code === 'VERSION_CONFLICT' && current) {
        // Someone else saved first: load their version so the user can redo the edit on top of it.
        onStale?.();
        try {
          const fresh = await api.get<ResidentView>(`/api/residents/${current.id}`);
          setCurrent(fresh);
          fill(fresh);
          ok(t('resident.conflictReloaded'));
        } catch (reloadError) {
          fail(reloadError);
        }
      }
    } finally {
      setBusy(false);
    }
  };

  const idRule = {
    validator: (_: unknown, value: string | undefined) => {
      if (!value || !value.trim()) return Promise.resolve();
      const problem = checkIdNumber(value);
      return problem ? Promise.reject(new Error(td(`resident.idInvalid.${problem}`))) : Promise.resolve();
    },
  };
  const phoneRule = {
    validator: (_: unknown, value: string | undefined) =>
      !value || !value.trim() || checkPhone(value) ? Promise.resolve() : Promise.reject(new Error(t('resident.phoneInvalid'))),
  };

  return (
    <Drawer
      open={open}
      onClose={onClose}
      title={isEdit ? t('resident.edit') : t('resident.add')}
      size={screens.md ? 560 : '100%'}
      destroyOnHidden
      extra={
        <Space>
          <Button onClick={onClose}>{t('common.cancel')}</Button>
          <Button type="primary" onClick={submit} loading={busy} data-testid="resident-save">
            {t('common.save')}
          </Button>
        </Space>
      }
    >
      <Form form={form} layout="vertical" data-testid="resident-form">
        <Form.Item name="name" label={t('resident.name')} rules={[{ required: true, whitespace: true, message: t('common.required') }, { max: 40 }]}>
          <Input data-testid="resident-name" />
        </Form.Item>
        <Form.Item name="orgId" label={t('common.org')} extra={t('resident.orgKindHint')} rules={[{ required: true, message: t('resident.orgRequired') }]}>
          <OrgTreeSelect tree={tree} selectableKinds={RESIDENT_ORG_KINDS} testId="resident-org" onChange={() => form.setFieldValue('householdId', null)} />
        </Form.Item>
        <Form.Item name="householdId" label={t('resident.household')}>
          <Select
            allowClear
            showSearch={{ optionFilterProp: 'label' }}
            loading={households.loading}
            options={(households.data?.items ?? []).map((h) => ({
              value: h.id,
              label: [h.buildingName, h.unitLabel, h.room].filter(Boolean).join(' ') || h.address,
            }))}
          />
        </Form.Item>
        <Form.Item
          name="idNumber"
          label={t('resident.idNumber')}
          rules={[idRule]}
          extra={isEdit && current?.idNumberMasked ? t('resident.keepHint', { masked: current.idNumberMasked }) : undefined}
        >
          <Input maxLength={18} onBlur={onIdNumberBlur} data-testid="resident-id-number-input" autoComplete="off" />
        </Form.Item>
        <Form.Item
          name="phone"
          label={t('resident.phone')}
          rules={[phoneRule]}
          extra={isEdit && current?.phoneMasked ? t('resident.keepHint', { masked: current.phoneMasked }) : undefined}
        >
          <Input maxLength={20} data-testid="resident-phone-input" autoComplete="off" />
        </Form.Item>
        <Space wrap size="large">
          <Form.Item name="gender" label={t('resident.gender')}>
            <Radio.Group
              options={[
                { value: 'male', label: t('resident.gender.male') },
                { value: 'female', label: t('resident.gender.female') },
              ]}
            />
          </Form.Item>
          <Form.Item name="birthDate" label={t('resident.birthDate')}>
            <DatePicker disabledDate={(d) => d.isAfter(dayjs())} data-testid="resident-birth-date" />
          </Form.Item>
        </Space>
        <Form.Item name="address" label={t('common.address')} rules={[{ max: 200 }]}>
          <Input data-testid="resident-address" />
        </Form.Item>
        <Form.Item name="relationToHead" label={t('resident.relationToHead')} rules={[{ max: 20 }]}>
          <Input />
        </Form.Item>
        <Form.Item name="tags" label={t('resident.tags')}>
          <Select mode="multiple" data-testid="resident-tags" options={RESIDENT_TAGS.map((tag) => ({ value: tag, label: tagLabel(tag, locale) }))} />
        </Form.Item>
        {isEdit && (
          <Form.Item name="status" label={t('common.status')}>
            <Select options={RESIDENT_STATUSES.map((s) => ({ value: s, label: td(`resident.status.${s}`) }))} />
          </Form.Item>
        )}
        <Form.Item name="note" label={t('resident.note')} rules={[{ max: 500 }]}>
          <Input.TextArea rows={2} />
        </Form.Item>
      </Form>
    </Drawer>
  );
}
