import { App, Button, Descriptions, Drawer, Grid, Select, Space, Table } from 'antd';
import { useState } from 'react';
import { api } from '../../api/client';
import type { TeamDetail, TeamMember } from '../../api/types';
import { useI18n } from '../../i18n';
import { useLoad } from '../common/use-load';
import { useNotify } from '../common/use-notify';
import { OrgTreeSelect } from '../org/org-tree-select';
import type { OrgTreeNode } from '../org/use-org-tree';
import { ResidentPicker } from '../residents/resident-picker';

interface Props {
  teamId: number | null;
  tree: OrgTreeNode[];
  canWrite: boolean;
  onClose: () => void;
  onChanged: () => void;
}

/** A member looks after one grid of the team's community. */
const GRID_KINDS = ['grid'] as const;

/** A team with its members; writers add members by searching residents and remove them. */
export function TeamDetailDrawer({ teamId, tree, canWrite, onClose, onChanged }: Props) {
  const { t, td } = useI18n();
  const { modal } = App.useApp();
  const { ok, fail } = useNotify();
  const screens = Grid.useBreakpoint();
  const team = useLoad(teamId === null ? null : () => api.get<TeamDetail>(`/api/teams/${teamId}`), [teamId]);
  const [residentId, setResidentId] = useState<number | undefined>();
  const [role, setRole] = useState<'leader' | 'member'>('member');
  const [gridId, setGridId] = useState<number | undefined>();
  const [busy, setBusy] = useState(false);

  const add = async () => {
    if (!residentId || teamId === null) return;
    setBusy(true);
    try {
      await api.post(`/api/teams/${teamId}/members`, { residentId, role, ...(gridId ? { gridId } : {}) });
      ok(t('common.saved'));
      setResidentId(undefined);
      team.reload();
      onChanged();
    } catch (error) {
      fail(error);
    } finally {
      setBusy(false);
    }
  };

  const remove = (member: TeamMember) =>
    modal.confirm({
      title: t('common.remove'),
      content: t('team.removeConfirm', { name: member.name }),
      okButtonProps: { danger: true, 'data-testid': 'team-member-remove-confirm' },
      onOk: async () => {
        try {
          await api.delete(`/api/teams/${teamId}/members/${member.residentId}`);
          team.reload();
          onChanged();
        } catch (error) {
          fail(error);
        }
      },
    });

  const data = team.data;
  return (
    <Drawer open={teamId !== null} onClose={onClose} title={data?.name ?? t('common.loading')} size={screens.md ? 640 : '100%'}>
      {data && (
        <Space orientation="vertical" style={{ width: '100%' }} data-testid="team-detail">
          <Descriptions size="small" column={{ xs: 1, sm: 2 }} bordered>
            <Descriptions.Item label={t('common.kind')}>{td(`team.kind.${data.kind}`)}</Descriptions.Item>
            <Descriptions.Item label={t('common.org')}>{data.orgName ?? data.orgId}</Descriptions.Item>
            <Descriptions.Item label={t('common.memberCount')}>{data.members.length}</Descriptions.Item>
            {data.description && <Descriptions.Item label={t('common.description')}>{data.description}</Descriptions.Item>}
          </Descriptions>
          {canWrite && (
            <Space wrap>
              <div style={{ width: 240 }}>
                <ResidentPicker value={residentId} onChange={(id) => setResidentId(id)} testId="team-member-picker" />
              </div>
              <Select
                value={role}
                onChange={setRole}
                style={{ width: 100 }}
                options={[
                  { value: 'member', label: t('team.role.member') },
                  { value: 'leader', label: t('team.role.leader') },
                ]}
              />
              <OrgTreeSelect tree={tree} value={gridId} onChange={setGridId} selectableKinds={GRID_KINDS} allowClear placeholder={t('team.grid')} style={{ width: 160 }} />
              <Button type="primary" onClick={add} loading={busy} disabled={!residentId} data-testid="team-member-add">
                {t('team.addMember')}
              </Button>
            </Space>
          )}
          <Table<TeamMember>
            size="small"
            rowKey="residentId"
            dataSource={data.members}
            loading={team.loading}
            pagination={{ pageSize: 20, hideOnSinglePage: true }}
            scroll={{ x: 'max-content' }}
            data-testid="team-members"
            columns={[
              { title: t('resident.name'), dataIndex: 'name' },
              { title: t('party.role'), dataIndex: 'role', render: (r: string) => (r === 'leader' || r === 'member' ? td(`team.role.${r}`) : r) },
              { title: t('team.grid'), dataIndex: 'gridName', render: (g: string | null) => g ?? '' },
              ...(canWrite
                ? [
                    {
                      title: t('common.actions'),
                      key: 'actions',
                      render: (_: unknown, m: TeamMember) => (
                        <a onClick={() => remove(m)} data-testid={`team-member-remove-${m.residentId}`}>
                          {t('common.remove')}
                        </a>
                      ),
                    },
                  ]
                : []),
            ]}
          />
        </Space>
      )}
    </Drawer>
  );
}
