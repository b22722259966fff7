import { PlusOutlined } from '@ant-design/icons';
import { Alert, Button, Select, Space, Table, Tag } from 'antd';
import { useMemo, useState } from 'react';
import { api } from '../../api/client';
import { TEAM_KINDS } from '@haitang/contracts';
import type { Items, Team } from '../../api/types';
import { useSession } from '../../features/auth/session';
import { useLoad } from '../../features/common/use-load';
import { useOrgTree } from '../../features/org/use-org-tree';
import { TeamDetailDrawer } from '../../features/teams/team-detail-drawer';
import { TeamModal } from '../../features/teams/team-modal';
import { useI18n } from '../../i18n';

export function TeamsPage() {
  const { t, td } = useI18n();
  const { can } = useSession();
  const org = useOrgTree();
  const list = useLoad(() => api.get<Items<Team>>('/api/teams'), []);
  const [kind, setKind] = useState<string | undefined>();
  const [openId, setOpenId] = useState<number | null>(null);
  const [editing, setEditing] = useState<{ team: Team | null } | null>(null);
  const canWrite = can('team.write');
  const rows = useMemo(() => (list.data?.items ?? []).filter((team) => !kind || team.kind === kind), [list.data, kind]);

  return (
    <div>
      <div className="ht-toolbar">
        <Select
          allowClear
          placeholder={t('common.kind')}
          value={kind}
          onChange={setKind}
          style={{ width: 160 }}
          options={TEAM_KINDS.map((k) => ({ value: k, label: td(`team.kind.${k}`) }))}
          data-testid="team-filter-kind"
        />
        {canWrite && (
          <Button type="primary" icon={<PlusOutlined />} onClick={() => setEditing({ team: null })} data-testid="team-create">
            {t('common.create')}
          </Button>
        )}
      </div>
      {list.error && <Alert type="error" showIcon title={list.error} style={{ marginBottom: 12 }} />}
      <Table<Team>
        rowKey="id"
        loading={list.loading}
        dataSource={rows}
        scroll={{ x: 'max-content' }}
        data-testid="team-table"
        columns={[
          {
            title: t('common.name'),
            dataIndex: 'name',
            render: (name: string, team) => (
              <a onClick={() => setOpenId(team.id)} data-testid={`team-row-${team.id}`}>
                {name}
              </a>
            ),
          },
          { title: t('common.kind'), dataIndex: 'kind', render: (k: string) => td(`team.kind.${k}`) },
          { title: t('common.org'), dataIndex: 'orgName' },
          { title: t('team.leader'), dataIndex: 'leaderName', render: (n: string | null) => n ?? '' },
          { title: t('common.memberCount'), dataIndex: 'memberCount' },
          { title: t('common.status'), dataIndex: 'status', render: (st: string) => <Tag color={st === 'active' ? 'green' : 'default'}>{td(`org.status.${st}`)}</Tag> },
          { title: t('common.description'), dataIndex: 'description', ellipsis: true },
          {
            title: t('common.actions'),
            key: 'actions',
            render: (_, team) => (
              <Space>
                <a onClick={() => setOpenId(team.id)}>{t('common.members')}</a>
                {canWrite && (
                  <a onClick={() => setEditing({ team })} data-testid={`team-edit-${team.id}`}>
                    {t('common.edit')}
                  </a>
                )}
              </Space>
            ),
          },
        ]}
      />
      <TeamDetailDrawer teamId={openId} tree={org.tree} canWrite={canWrite} onClose={() => setOpenId(null)} onChanged={list.reload} />
      <TeamModal
        open={!!editing}
        editing={editing?.team ?? null}
        tree={org.tree}
        onClose={() => setEditing(null)}
        onStale={() => {
          list.reload();
          setEditing(null);
        }}
        onSaved={() => {
          setEditing(null);
          list.reload();
        }}
      />
    </div>
  );
}
