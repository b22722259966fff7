import { ORG_CHILD_KINDS } from '@haitang/contracts';
import { Button, Card, Descriptions, Space, Tag } from 'antd';
import type { OrgUnit } from '../../api/types';
import { useI18n } from '../../i18n';
import type { OrgEditMode } from './org-edit-modal';

interface Props {
  unit: OrgUnit;
  parent: OrgUnit | undefined;
  canWrite: boolean;
  onAction: (mode: OrgEditMode) => void;
  onRetire: () => void;
}

/** Kind, name, code and status of a unit, with the actions the role allows. */
export function OrgDetail({ unit, parent, canWrite, onAction, onRetire }: Props) {
  const { t, td } = useI18n();
  const active = unit.status === 'active';
  const canHaveChildren = ORG_CHILD_KINDS[unit.kind].length > 0;
  return (
    <Card
      size="small"
      title={unit.name}
      data-testid="org-detail"
      extra={
        <Tag color={active ? 'green' : 'default'} data-testid="org-status">
          {td(`org.status.${unit.status}`)}
        </Tag>
      }
    >
      <Descriptions size="small" column={{ xs: 1, sm: 2 }}>
        <Descriptions.Item label={t('common.kind')}>{td(`org.kind.${unit.kind}`)}</Descriptions.Item>
        <Descriptions.Item label={t('common.name')}>{unit.name}</Descriptions.Item>
        <Descriptions.Item label={t('org.code')}>{unit.code ?? '—'}</Descriptions.Item>
        <Descriptions.Item label={t('org.parent')}>{parent?.name ?? '—'}</Descriptions.Item>
        {!unit.geometry && <Descriptions.Item label={t('org.geometry')}>{t('org.noGeometry')}</Descriptions.Item>}
      </Descriptions>
      {canWrite && active && (
        <Space wrap style={{ marginTop: 8 }}>
          {canHaveChildren && (
            <Button type="primary" onClick={() => onAction('create')} data-testid="org-add-child">
              {t('org.addChild')}
            </Button>
          )}
          <Button onClick={() => onAction('edit')} data-testid="org-rename">
            {t('org.rename')}
          </Button>
          {unit.parentId !== null && (
            <Button onClick={() => onAction('move')} data-testid="org-move">
              {t('org.move')}
            </Button>
          )}
          {unit.parentId !== null && (
            <Button danger onClick={onRetire} data-testid="org-retire">
              {t('org.retire')}
            </Button>
          )}
        </Space>
      )}
    </Card>
  );
}
