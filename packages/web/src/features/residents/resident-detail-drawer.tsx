import { EyeOutlined } from '@ant-design/icons';
import { Alert, Button, Descriptions, Drawer, Grid, Space, Tag } from 'antd';
import { useEffect, useState } from 'react';
import { api } from '../../api/client';
import type { ResidentView } from '../../api/types';
import { useI18n } from '../../i18n';
import { useNotify } from '../common/use-notify';
import { genderKey, tagLabel } from './resident-labels';

interface Props {
  resident: ResidentView | null;
  canReveal: boolean;
  canEdit: boolean;
  onEdit: (resident: ResidentView) => void;
  onClose: () => void;
}

interface Revealed {
  idNumber: string | null;
  phone: string | null;
}

/** A resident's details, masked; a permitted user can reveal the full ID and phone (audited). */
export function ResidentDetailDrawer({ resident, canReveal, canEdit, onEdit, onClose }: Props) {
  const { t, td, locale } = useI18n();
  const { fail } = useNotify();
  const screens = Grid.useBreakpoint();
  const [revealed, setRevealed] = useState<Revealed | null>(null);
  const [busy, setBusy] = useState(false);

  useEffect(() => setRevealed(null), [resident?.id]);

  const reveal = async () => {
    if (!resident) return;
    setBusy(true);
    try {
      setRevealed(await api.post<Revealed>(`/api/residents/${resident.id}/reveal`));
    } catch (error) {
      fail(error);
    } finally {
      setBusy(false);
    }
  };

  const gender = resident ? genderKey(resident.gender) : null;
  return (
    <Drawer
      open={!!resident}
      onClose={onClose}
      title={t('resident.detail')}
      size={screens.md ? 520 : '100%'}
      extra={
        resident && canEdit ? (
          <Button onClick={() => onEdit(resident)} data-testid="resident-detail-edit">
            {t('common.edit')}
          </Button>
        ) : null
      }
    >
      {resident && (
        <Space orientation="vertical" style={{ width: '100%' }} data-testid="resident-detail">
          <Descriptions column={1} size="small" bordered>
            <Descriptions.Item label={t('resident.name')}>{resident.name}</Descriptions.Item>
            <Descriptions.Item label={t('resident.gender')}>{gender ? td(gender) : '—'}</Descriptions.Item>
            <Descriptions.Item label={t('resident.birthDate')}>{resident.birthDate ?? '—'}</Descriptions.Item>
            <Descriptions.Item label={t('resident.idNumber')}>
              <span data-testid="resident-id-number">{revealed ? (revealed.idNumber ?? '—') : (resident.idNumberMasked ?? '—')}</span>
            </Descriptions.Item>
            <Descriptions.Item label={t('resident.phone')}>
              <span data-testid="resident-phone">{revealed ? (revealed.phone ?? '—') : (resident.phoneMasked ?? '—')}</span>
            </Descriptions.Item>
            <Descriptions.Item label={t('common.address')}>{resident.address ?? '—'}</Descriptions.Item>
            <Descriptions.Item label={t('common.org')}>{resident.orgName ?? resident.orgId}</Descriptions.Item>
            <Descriptions.Item label={t('resident.household')}>{resident.householdLabel ?? '—'}</Descriptions.Item>
            <Descriptions.Item label={t('resident.relationToHead')}>{resident.relationToHead ?? '—'}</Descriptions.Item>
            <Descriptions.Item label={t('resident.tags')}>
              {resident.tags.length ? resident.tags.map((tag) => <Tag key={tag}>{tagLabel(tag, locale)}</Tag>) : '—'}
            </Descriptions.Item>
            <Descriptions.Item label={t('common.status')}>{td(`resident.status.${resident.status}`)}</Descriptions.Item>
            <Descriptions.Item label={t('resident.note')}>{resident.note ?? '—'}</Descriptions.Item>
          </Descriptions>
          {canReveal && !revealed && (
            <Button icon={<EyeOutlined />} onClick={reveal} loading={busy} data-testid="resident-reveal">
              {t('resident.reveal')}
            </Button>
          )}
          {revealed && <Alert type="warning" showIcon title={t('resident.revealNote')} data-testid="resident-reveal-note" />}
        </Space>
      )}
    </Drawer>
  );
}
