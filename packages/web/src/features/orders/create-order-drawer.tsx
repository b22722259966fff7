import { CHANNELS, URGENCIES, type Channel, type CreateOrderBody, type OrgKind, type PhotoInput, type Urgency } from '@haitang/contracts';
import { Button, Checkbox, Col, Drawer, Form, Grid, Input, Radio, Row, Space, Switch, TreeSelect, Typography } from 'antd';
import { useEffect, useMemo, useState } from 'react';
import { useNavigate } from 'react-router-dom';
import { ApiError } from '../../api/client';
import type { OrgUnit } from '../../api/types';
import { useI18n } from '../../i18n';
import { useSession } from '../auth/session';
import { useDebounced } from '../common/use-debounced';
import { useNotify } from '../common/use-notify';
import { OrgTreeSelect } from '../org/org-tree-select';
import type { OrgTreeNode } from '../org/use-org-tree';
import { DuplicateHints } from './duplicate-hints';
import { HouseholdPicker } from './household-picker';
import { channelLabel, urgencyLabel } from './labels';
import { OrderMap, type Point } from './order-map';
import { ordersApi } from './orders-api';
import { PhotoPicker } from './photo-picker';
import type { CategoryNode } from './use-categories';

type PlaceMode = 'household' | 'point' | 'org';

interface Values {
  channel: Channel;
  hotlineNumber?: string;
  categoryId?: number;
  urgency: Urgency;
  title: string;
  description: string;
  placeMode: PlaceMode;
  householdId?: number;
  orgId?: number;
  address?: string;
  reporterName?: string;
  reporterPhone?: string;
  anonymous: boolean;
  photos: PhotoInput[];
  resolveOnSpot: boolean;
  resolveNote?: string;
  praise: boolean;
  praisePerson?: string;
  praiseOrgId?: number;
}

/** Intake channels staff register by hand (Open311 orders arrive through the API). */
const STAFF_CHANNELS = CHANNELS.filter((c) => c !== 'open311');
const PLACE_ORG_KINDS: readonly OrgKind[] = ['community', 'grid', 'micro_grid'];

interface Props {
  open: boolean;
  onClose: () => void;
  orgTree: OrgTreeNode[];
  orgUnits: OrgUnit[];
  categories: CategoryNode[];
  tileUrl: string | null;
}

/** The intake form of staff, grid workers and hotline operators (CreateOrderBody). */
export function CreateOrderDrawer({ open, onClose, orgTree, orgUnits, categories, tileUrl }: Props) {
  const { t, locale } = useI18n();
  const { can } = useSession();
  const { ok, fail } = useNotify();
  const navigate = useNavigate();
  const isPhone = !Grid.useBreakpoint().md;
  const [form] = Form.useForm<Values>();
  const [point, setPoint] = useState<Point | null>(null);
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    if (!open) return;
    form.resetFields();
    setPoint(null);
  }, [open, form]);

  const channel = Form.useWatch('channel', form);
  const placeMode = Form.useWatch('placeMode', form);
  const resolveOnSpot = Form.useWatch('resolveOnSpot', form);
  const praise = Form.useWatch('praise', form);
  const categoryId = Form.useWatch('categoryId', form);
  const householdId = Form.useWatch('householdId', form);
  const description = useDebounced((Form.useWatch('description', form) ?? '').trim(), 600);

  const categoryTree = useMemo(
    () => categories.map((c) => ({ ...c, selectable: c.children.length === 0, children: c.children.map((k) => ({ ...k, selectable: true })) })),
    [categories],
  );

  const submit = async () => {
    const v = await form.validateFields().catch(() => null);
    if (!v) return;
    if (v.placeMode === 'point' && !point) {
      fail(new Error(t('orders.form.pointHint')));
      return;
    }
    const body: CreateOrderBody = {
      channel: v.channel,
      categoryId: v.categoryId!,
      urgency: v.urgency,
      title: v.title.trim(),
      description: v.description.trim(),
      address: v.address?.trim() || null,
      reporterName: v.reporterName?.trim() || null,
      reporterPhone: v.reporterPhone?.trim() || null,
      anonymous: v.anonymous,
      photos: v.photos?.length ? v.photos : undefined,
    };
    if (v.channel === 'hotline' && v.hotlineNumber?.trim()) body.hotlineNumber = v.hotlineNumber.trim();
    if (v.placeMode === 'household') body.householdId = v.householdId ?? null;
    if (v.placeMode === 'point' && point) Object.assign(body, { lng: point.lng, lat: point.lat });
    if (v.orgId !== undefined) body.orgId = v.orgId;
    if (v.praise && v.praisePerson?.trim()) body.praise = { person: v.praisePerson.trim(), orgId: v.praiseOrgId ?? null };
    if (v.resolveOnSpot) body.resolveOnSpot = { note: (v.resolveNote ?? '').trim() };
    setBusy(true);
    try {
      const created = await ordersApi.create(body);
      ok(t('orders.form.created', { number: created.number }));
      onClose();
      navigate(`/orders/${created.id}`);
    } catch (error) {
      fail(error);
      if (error instanceof ApiError && error.details && typeof error.details === 'object' && 'field' in error.details) {
        const field = String((error.details as { field: unknown }).field);
        if (field in (form.getFieldsValue(true) as object)) form.setFields([{ name: field as keyof Values, errors: [error.message] }]);
      }
    } finally {
      setBusy(false);
    }
  };

  const required = { required: true, message: t('common.required') };

  return (
    <Drawer
      open={open}
      onClose={onClose}
      title={t('orders.create')}
      size={isPhone ? '100%' : 720}
      destroyOnHidden
      extra={
        <Button type="primary" onClick={submit} loading={busy} data-testid="order-create-submit">
          {t('orders.form.submit')}
        </Button>
      }
    >
      <Form<Values>
        form={form}
        layout="vertical"
        initialValues={{ channel: 'visit', urgency: 'normal', placeMode: 'household', anonymous: false, photos: [], resolveOnSpot: false, praise: false }}
      >
        <Row gutter={12}>
          <Col xs={24}>
            <Form.Item name="channel" label={t('orders.channel')} rules={[required]}>
              <Radio.Group
                optionType="button"
                size="small"
                data-testid="order-channel"
                options={STAFF_CHANNELS.map((c) => ({ value: c, label: channelLabel(c, locale) }))}
              />
            </Form.Item>
          </Col>
          {channel === 'hotline' && (
            <Col xs={24} sm={12}>
              <Form.Item
                name="hotlineNumber"
                label={t('orders.hotlineNumber')}
                rules={[required, { pattern: /^[0-9A-Za-z-]{4,40}$/, message: t('orders.form.hotlinePattern') }]}
              >
                <Input placeholder="12345-2026-000001" data-testid="order-hotline-number" />
              </Form.Item>
            </Col>
          )}
        </Row>
        <Row gutter={12}>
          <Col xs={24} sm={14}>
            <Form.Item name="categoryId" label={t('orders.category')} rules={[required]}>
              <TreeSelect
                treeData={categoryTree}
                showSearch={{ treeNodeFilterProp: 'title' }}
                treeDefaultExpandAll={false}
                placeholder={t('common.select')}
                data-testid="order-category"
                popupMatchSelectWidth={false}
              />
            </Form.Item>
          </Col>
          <Col xs={24} sm={10}>
            <Form.Item name="urgency" label={t('orders.urgency')}>
              <Radio.Group optionType="button" options={URGENCIES.map((u) => ({ value: u, label: urgencyLabel(u, locale) }))} data-testid="order-urgency" />
            </Form.Item>
          </Col>
        </Row>
        <Form.Item name="title" label={t('orders.title')} rules={[required, { whitespace: true, message: t('common.required') }, { max: 100 }]}>
          <Input maxLength={100} placeholder={t('orders.form.titleHint')} data-testid="order-title" />
        </Form.Item>
        <Form.Item name="description" label={t('orders.description')} rules={[required, { whitespace: true, message: t('common.required') }, { max: 4000 }]}>
          <Input.TextArea rows={4} maxLength={4000} showCount data-testid="order-description" />
        </Form.Item>
        <DuplicateHints
          categoryId={categoryId}
          description={description}
          householdId={placeMode === 'household' ? householdId : undefined}
          point={placeMode === 'point' ? point : null}
        />

        <Form.Item name="placeMode" label={t('orders.form.place')}>
          <Radio.Group
            optionType="button"
            data-testid="order-place-mode"
            options={[
              { value: 'household', label: t('orders.form.placeHousehold') },
              { value: 'point', label: t('orders.form.placePoint') },
              { value: 'org', label: t('orders.form.placeOrg') },
            ]}
          />
        </Form.Item>
        {placeMode === 'household' && (
          <Form.Item name="householdId" rules={[required]}>
            <HouseholdPicker />
          </Form.Item>
        )}
        {placeMode === 'point' && (
          <Form.Item
            required
            help={point ? `${point.lng}, ${point.lat}` : t('orders.form.pointHint')}
            validateStatus={point ? undefined : 'warning'}
          >
            <OrderMap point={point} onPick={setPoint} units={orgUnits} tileUrl={tileUrl} height={isPhone ? 240 : 300} testId="order-point-map" />
          </Form.Item>
        )}
        <Row gutter={12}>
          <Col xs={24} sm={12}>
            <Form.Item
              name="orgId"
              label={placeMode === 'org' ? t('orders.grid') : t('orders.form.gridOverride')}
              rules={placeMode === 'org' ? [required] : []}
            >
              <OrgTreeSelect tree={orgTree} selectableKinds={PLACE_ORG_KINDS} allowClear testId="order-org" style={{ width: '100%' }} />
            </Form.Item>
          </Col>
          <Col xs={24} sm={12}>
            <Form.Item name="address" label={t('common.address')} rules={[{ max: 200 }]}>
              <Input maxLength={200} data-testid="order-address" />
            </Form.Item>
          </Col>
        </Row>

        <Typography.Title level={5} style={{ marginTop: 0 }}>
          {t('orders.reporter')}
        </Typography.Title>
        <Row gutter={12}>
          <Col xs={12} sm={8}>
            <Form.Item name="reporterName" label={t('orders.reporterName')} rules={[{ max: 60 }]}>
              <Input maxLength={60} data-testid="order-reporter-name" />
            </Form.Item>
          </Col>
          <Col xs={12} sm={8}>
            <Form.Item name="reporterPhone" label={t('orders.reporterPhone')} rules={[{ max: 20 }]}>
              <Input maxLength={20} inputMode="tel" data-testid="order-reporter-phone" />
            </Form.Item>
          </Col>
          <Col xs={24} sm={8}>
            <Form.Item name="anonymous" valuePropName="checked" label=" ">
              <Checkbox data-testid="order-anonymous">{t('orders.anonymous')}</Checkbox>
            </Form.Item>
          </Col>
        </Row>

        <Form.Item name="photos" label={t('orders.photos')}>
          <PhotoPicker testId="order-photos" />
        </Form.Item>

        {can('order.resolve') && (
          <>
            <Form.Item name="resolveOnSpot" valuePropName="checked" label={t('orders.form.resolveOnSpot')} extra={t('orders.form.resolveOnSpotHint')}>
              <Switch data-testid="order-resolve-on-spot" />
            </Form.Item>
            {resolveOnSpot && (
              <Form.Item name="resolveNote" label={t('orders.form.resolveNote')} rules={[required, { whitespace: true, message: t('common.required') }, { max: 2000 }]}>
                <Input.TextArea rows={2} maxLength={2000} data-testid="order-resolve-note" />
              </Form.Item>
            )}
          </>
        )}

        <Form.Item name="praise" valuePropName="checked" label={t('orders.form.praise')}>
          <Switch data-testid="order-praise" />
        </Form.Item>
        {praise && (
          <Row gutter={12}>
            <Col xs={24} sm={12}>
              <Form.Item name="praisePerson" label={t('orders.form.praisePerson')} rules={[required, { whitespace: true, message: t('common.required') }, { max: 60 }]}>
                <Input maxLength={60} data-testid="order-praise-person" />
              </Form.Item>
            </Col>
            <Col xs={24} sm={12}>
              <Form.Item name="praiseOrgId" label={t('orders.form.praiseOrg')}>
                <OrgTreeSelect tree={orgTree} allowClear style={{ width: '100%' }} />
              </Form.Item>
            </Col>
          </Row>
        )}
        <Space style={{ marginTop: 8 }}>
          <Button onClick={onClose}>{t('common.cancel')}</Button>
          <Button type="primary" onClick={submit} loading={busy}>
            {t('orders.form.submit')}
          </Button>
        </Space>
      </Form>
    </Drawer>
  );
}
