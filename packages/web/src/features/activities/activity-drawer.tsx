import { QrcodeOutlined } from '@ant-design/icons';
import type { ActivityView, SignupList, SignupView } from '@haitang/contracts';
import { Alert, Button, DatePicker, Descriptions, Drawer, Form, Image, Input, InputNumber, Modal, Popconfirm, Space, Table, Tag, Typography } from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { useEffect, useState } from 'react';
import { api, ApiError } from '../../api/client';
import { useI18n } from '../../i18n';
import { useLoad } from '../common/use-load';
import { useNotify } from '../common/use-notify';
import { ResidentPicker } from '../residents/resident-picker';
import { RecruitModal } from './recruit';
import { chinaTime, kindLabel, SIGNUP_COLOR, signupStatusLabel, STATUS_COLOR, statusLabel, timeRange } from './labels';

interface Props {
  activityId: number | null;
  canWrite: boolean;
  onClose: () => void;
  onEdit: (a: ActivityView) => void;
  onChanged: () => void;
}

/** An activity: its facts, the organiser's actions, and the sign-up list with attendance and minutes. */
export function ActivityDrawer({ activityId, canWrite, onClose, onEdit, onChanged }: Props) {
  const { t, td, locale } = useI18n();
  const { ok, fail } = useNotify();
  const activity = useLoad(activityId ? () => api.get<ActivityView>(`/api/activities/${activityId}`) : null, [activityId]);
  const signups = useLoad(activityId ? () => api.get<SignupList>(`/api/activities/${activityId}/signups`) : null, [activityId]);
  const [proxy, setProxy] = useState<number | undefined>();
  const [cancelOpen, setCancelOpen] = useState(false);
  const [finishOpen, setFinishOpen] = useState(false);
  const [recruitOpen, setRecruitOpen] = useState(false);
  const [served, setServed] = useState<number | null>(null);
  const [cancelReason, setCancelReason] = useState('');
  const [marking, setMarking] = useState<SignupView | null>(null);
  const [confirming, setConfirming] = useState<SignupView | null>(null);
  const a = activity.data;

  const reload = () => {
    activity.reload();
    signups.reload();
    onChanged();
  };
  const run = async (work: () => Promise<unknown>, message = t('common.saved')) => {
    try {
      await work();
      ok(message);
      reload();
      return true;
    } catch (error) {
      fail(error);
      if (error instanceof ApiError && error.code === 'VERSION_CONFLICT') reload();
      return false;
    }
  };

  const open = a?.status === 'published';
  // Attendance and minutes from an hour before the start (the server's check-in door).
  const started = !!a && Date.now() >= Date.parse(a.startsAt) - 3600_000;
  const ongoing = started && (open || a?.status === 'finished');
  return (
    <Drawer open={activityId !== null} onClose={onClose} size="large" title={a?.title ?? t('common.loading')} destroyOnHidden data-testid="activity-drawer">
      {activity.error && <Alert type="error" showIcon title={activity.error} />}
      {a && (
        <>
          <Space wrap style={{ marginBottom: 12 }}>
            <Tag color={STATUS_COLOR[a.status]} data-testid="activity-status">{statusLabel(a.status, locale)}</Tag>
            {canWrite && (a.status === 'draft' || a.status === 'published') && <Button onClick={() => onEdit(a)} data-testid="activity-edit">{t('common.edit')}</Button>}
            {canWrite && a.status === 'draft' && (
              <Button type="primary" onClick={() => run(() => api.post(`/api/activities/${a.id}/publish`, { version: a.version }), t('activity.published'))} data-testid="activity-publish">
                {t('activity.publish')}
              </Button>
            )}
            {open && (
              <Button onClick={() => setRecruitOpen(true)} data-testid="activity-recruit">{t('recruit.button')}</Button>
            )}
            {canWrite && open && (
              <Button icon={<QrcodeOutlined />} href={`/activities/${a.id}/qr`} target="_blank" data-testid="activity-qr">
                {t('activity.qr')}
              </Button>
            )}
            {canWrite && open && started && (
              <Button onClick={() => { setServed(null); setFinishOpen(true); }} data-testid="activity-finish">{t('activity.finish')}</Button>
            )}
            {canWrite && (a.status === 'draft' || open) && (
              <Button danger onClick={() => setCancelOpen(true)} data-testid="activity-cancel">{t('activity.cancel')}</Button>
            )}
          </Space>
          <Descriptions column={1} size="small" bordered>
            <Descriptions.Item label={t('activity.kind')}>{kindLabel(a.kind, locale)}</Descriptions.Item>
            <Descriptions.Item label={t('activity.time')}>{timeRange(a.startsAt, a.endsAt)}</Descriptions.Item>
            <Descriptions.Item label={t('activity.place')}>{a.place}</Descriptions.Item>
            <Descriptions.Item label={t('activity.org')}>{[...new Set([a.orgName, a.teamName, a.organiser].filter(Boolean))].join(' · ')}</Descriptions.Item>
            <Descriptions.Item label={t('activity.capacity')}>
              <span data-testid="activity-counts">
                {a.capacity ?? t('activity.unlimited')} · {t('activity.signedUp', { n: a.confirmedCount })} · {t('activity.waiting', { n: a.waitingCount })}
              </span>
            </Descriptions.Item>
            <Descriptions.Item label={t('activity.audience')}>{td(`activity.audience.${a.audience}`)}</Descriptions.Item>
            <Descriptions.Item label={t('activity.minShare')}>
              {a.rules.minSharePercent}%{a.rules.capMinutes ? ` · ${t('activity.capMinutes')} ${a.rules.capMinutes}` : ''}
            </Descriptions.Item>
            {a.servedCount !== null && <Descriptions.Item label={t('fig.served')}>{a.servedCount}</Descriptions.Item>}
            {a.cancelReason && <Descriptions.Item label={t('activity.cancelledBecause')}>{a.cancelReason}</Descriptions.Item>}
            {a.imageIds.length > 0 && (
              <Descriptions.Item label={t('activity.images')}>
                <Image.PreviewGroup>
                  {a.imageIds.map((img) => <Image key={img} width={72} height={72} style={{ objectFit: 'cover', marginRight: 6 }} src={`/api/activities/${a.id}/images/${img}`} />)}
                </Image.PreviewGroup>
              </Descriptions.Item>
            )}
            {a.description && <Descriptions.Item label={t('activity.description')}><Typography.Paragraph style={{ whiteSpace: 'pre-wrap', margin: 0 }}>{a.description}</Typography.Paragraph></Descriptions.Item>}
          </Descriptions>

          <Typography.Title level={5} style={{ marginTop: 20 }}>{t('activity.signups')}</Typography.Title>
          {canWrite && open && (
            <Space.Compact style={{ width: '100%', marginBottom: 12 }}>
              <div style={{ flex: 1 }}>
                <ResidentPicker value={proxy} onChange={(id) => setProxy(id)} orgId={a.orgId} testId="activity-proxy-resident" />
              </div>
              <Button
                disabled={!proxy}
                onClick={async () => {
                  if (await run(() => api.post(`/api/activities/${a.id}/signups`, { residentId: proxy }))) setProxy(undefined);
                }}
                data-testid="activity-proxy-signup"
              >
                {t('activity.proxySignup')}
              </Button>
            </Space.Compact>
          )}
          <Table<SignupView>
            rowKey="id"
            size="small"
            loading={signups.loading}
            dataSource={signups.data?.items ?? []}
            pagination={false}
            scroll={{ x: 'max-content' }}
            locale={{ emptyText: t('activity.noSignups') }}
            data-testid="signup-table"
            columns={[
              { title: t('common.name'), dataIndex: 'name', render: (n: string, s) => <span data-testid={`signup-${s.id}`}>{n}{s.byProxy ? <Tag style={{ marginLeft: 6 }}>{t('activity.byProxy')}</Tag> : null}</span> },
              {
                title: t('common.status'),
                dataIndex: 'status',
                render: (st: SignupView['status'], s) => (
                  <Tag color={SIGNUP_COLOR[st]}>{st === 'waiting' && s.waitingPosition ? t('activity.waitingPosition', { n: s.waitingPosition }) : signupStatusLabel(st, locale)}</Tag>
                ),
              },
              { title: t('activity.checkedIn'), dataIndex: 'checkedInAt', render: (v: string | null) => chinaTime(v, false) },
              { title: t('activity.checkedOut'), dataIndex: 'checkedOutAt', render: (v: string | null) => chinaTime(v, false) },
              { title: t('activity.computedMinutes'), dataIndex: 'computedMinutes', render: (v: number | null) => (v === null ? '' : t('activity.minutes', { n: v })) },
              {
                title: t('activity.confirmedMinutes'),
                dataIndex: 'confirmedMinutes',
                render: (v: number | null, s) => (v === null ? '' : <span title={s.correctionReason ?? ''} data-testid={`signup-confirmed-${s.id}`}>{t('activity.minutes', { n: v })}</span>),
              },
              {
                title: t('common.actions'),
                key: 'actions',
                render: (_, s) =>
                  canWrite && s.status !== 'withdrawn' ? (
                    <Space>
                      {open && !s.checkedInAt && (
                        <Popconfirm title={t('activity.withdrawConfirm')} onConfirm={() => run(() => api.post(`/api/activities/${a.id}/signups/${s.id}/withdraw`))}>
                          <a>{t('activity.withdraw')}</a>
                        </Popconfirm>
                      )}
                      {ongoing && s.status === 'confirmed' && !s.confirmedAt && <a onClick={() => setMarking(s)} data-testid={`signup-mark-${s.id}`}>{t('activity.markAttendance')}</a>}
                      {ongoing && s.computedMinutes !== null && (
                        <a onClick={() => setConfirming(s)} data-testid={`signup-confirm-${s.id}`}>{s.confirmedAt ? t('activity.correct') : t('activity.confirm')}</a>
                      )}
                    </Space>
                  ) : null,
              },
            ]}
          />
          <Modal
            open={cancelOpen}
            title={t('activity.cancel')}
            onCancel={() => setCancelOpen(false)}
            okButtonProps={{ danger: true, disabled: !cancelReason.trim(), 'data-testid': 'activity-cancel-ok' }}
            onOk={async () => {
              if (await run(() => api.post(`/api/activities/${a.id}/cancel`, { version: a.version, reason: cancelReason.trim() }))) setCancelOpen(false);
            }}
          >
            <Input.TextArea rows={2} maxLength={200} placeholder={t('activity.cancelReason')} value={cancelReason} onChange={(e) => setCancelReason(e.target.value)} data-testid="activity-cancel-reason" />
          </Modal>
          <Modal
            open={finishOpen}
            title={t('activity.finish')}
            onCancel={() => setFinishOpen(false)}
            okButtonProps={{ 'data-testid': 'activity-finish-ok' }}
            onOk={async () => {
              const body = { version: a.version, ...(served !== null ? { servedCount: served } : {}) };
              if (await run(() => api.post(`/api/activities/${a.id}/finish`, body))) setFinishOpen(false);
            }}
          >
            <p>{t('activity.finishConfirm')}</p>
            <InputNumber min={0} max={1000000} value={served} onChange={(v) => setServed(v ?? null)} placeholder={t('activity.servedCount')} style={{ width: 220 }} data-testid="activity-served" />
          </Modal>
          <RecruitModal activity={a} open={recruitOpen} onClose={() => setRecruitOpen(false)} />
          <AttendanceModal activity={a} signup={marking} onClose={() => setMarking(null)} run={run} />
          <ConfirmModal activity={a} signup={confirming} onClose={() => setConfirming(null)} run={run} />
        </>
      )}
    </Drawer>
  );
}

type Run = (work: () => Promise<unknown>) => Promise<boolean>;

function AttendanceModal({ activity, signup, onClose, run }: { activity: ActivityView; signup: SignupView | null; onClose: () => void; run: Run }) {
  const { t } = useI18n();
  const [range, setRange] = useState<[Dayjs, Dayjs | null] | null>(null);
  const value: [Dayjs, Dayjs | null] = range ?? [dayjs(signup?.checkedInAt ?? activity.startsAt), signup?.checkedOutAt ? dayjs(signup.checkedOutAt) : dayjs(activity.endsAt)];
  return (
    <Modal
      open={!!signup}
      title={`${t('activity.markAttendance')} · ${signup?.name ?? ''}`}
      onCancel={() => { setRange(null); onClose(); }}
      okButtonProps={{ 'data-testid': 'attendance-save' }}
      onOk={async () => {
        const body = { version: signup!.version, checkedInAt: value[0].toISOString(), checkedOutAt: value[1]?.toISOString() ?? null };
        if (await run(() => api.patch(`/api/activities/${activity.id}/signups/${signup!.id}/attendance`, body))) {
          setRange(null);
          onClose();
        }
      }}
      destroyOnHidden
    >
      <DatePicker.RangePicker
        showTime={{ format: 'HH:mm' }}
        format="YYYY-MM-DD HH:mm"
        allowEmpty={[false, true]}
        value={value}
        onChange={(r) => r?.[0] && setRange([r[0], r[1] ?? null])}
        style={{ width: '100%' }}
        placeholder={[t('activity.checkedIn'), t('activity.checkedOut')]}
        data-testid="attendance-range"
      />
    </Modal>
  );
}

function ConfirmModal({ activity, signup, onClose, run }: { activity: ActivityView; signup: SignupView | null; onClose: () => void; run: Run }) {
  const { t } = useI18n();
  const [form] = Form.useForm<{ minutes: number; reason?: string }>();
  const minutes = Form.useWatch('minutes', form);
  const needsReason = !!signup && (minutes !== signup.computedMinutes || !!signup.confirmedAt);
  useEffect(() => {
    if (signup) form.setFieldsValue({ minutes: signup.confirmedMinutes ?? signup.computedMinutes ?? 0, reason: '' });
  }, [signup, form]);
  return (
    <Modal
      open={!!signup}
      title={`${signup?.confirmedAt ? t('activity.correct') : t('activity.confirm')} · ${signup?.name ?? ''}`}
      onCancel={onClose}
      okButtonProps={{ 'data-testid': 'confirm-save' }}
      onOk={async () => {
        const v = await form.validateFields().catch(() => null);
        if (!v) return;
        const body = { version: signup!.version, minutes: v.minutes, ...(v.reason?.trim() ? { reason: v.reason.trim() } : {}) };
        if (await run(() => api.post(`/api/activities/${activity.id}/signups/${signup!.id}/confirm`, body))) onClose();
      }}
      destroyOnHidden
    >
      <Form form={form} layout="vertical" preserve={false}>
        <Form.Item label={t('activity.computedMinutes')}>{signup?.computedMinutes ?? 0}</Form.Item>
        <Form.Item name="minutes" label={t('activity.confirmedMinutes')} rules={[{ required: true, message: t('common.required') }]}>
          <InputNumber min={0} max={1440} data-testid="confirm-minutes" />
        </Form.Item>
        <Form.Item name="reason" label={t('activity.correctionReason')} extra={needsReason ? t('activity.reasonNeeded') : undefined} rules={[{ required: needsReason, whitespace: true, message: t('activity.reasonNeeded') }]}>
          <Input maxLength={200} data-testid="confirm-reason" />
        </Form.Item>
      </Form>
    </Modal>
  );
}
