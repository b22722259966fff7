import { PlusOutlined } from '@ant-design/icons';
import { Alert, Button, Input, Select, Table, Tag } from 'antd';
import { useMemo, useState } from 'react';
import { api } from '../../api/client';
import { ALLIANCE_KINDS } from '@haitang/contracts';
import type { AllianceMember, Items } from '../../api/types';
import { AllianceModal } from '../../features/alliance/alliance-modal';
import { useSession } from '../../features/auth/session';
import { useLoad } from '../../features/common/use-load';
import { useOrgTree } from '../../features/org/use-org-tree';
import { useI18n } from '../../i18n';

const KIND_COLORS: Record<string, string> = { property: 'blue', co_building: 'magenta', social_org: 'green' };

export function AlliancePage() {
  const { t, td } = useI18n();
  const { can } = useSession();
  const org = useOrgTree();
  const list = useLoad(() => api.get<Items<AllianceMember>>('/api/alliance'), []);
  const [kind, setKind] = useState<string | undefined>();
  const [search, setSearch] = useState('');
  const [editing, setEditing] = useState<{ member: AllianceMember | null } | null>(null);
  const canWrite = can('alliance.write');

  const rows = useMemo(() => {
    const needle = search.trim().toLowerCase();
    return (list.data?.items ?? []).filter(
      (m) => (!kind || m.kind === kind) && (!needle || [m.name, m.contactName, m.services].some((s) => s?.toLowerCase().includes(needle))),
    );
  }, [list.data, kind, search]);

  return (
    <div>
      <div className="ht-toolbar">
        <Input.Search allowClear placeholder={t('common.search')} onChange={(e) => setSearch(e.target.value)} style={{ width: 220 }} data-testid="alliance-search" />
        <Select
          allowClear
          placeholder={t('common.kind')}
          value={kind}
          onChange={setKind}
          style={{ width: 150 }}
          options={ALLIANCE_KINDS.map((k) => ({ value: k, label: td(`alliance.kind.${k}`) }))}
          data-testid="alliance-filter-kind"
        />
        {canWrite && (
          <Button type="primary" icon={<PlusOutlined />} onClick={() => setEditing({ member: null })} data-testid="alliance-create">
            {t('alliance.add')}
          </Button>
        )}
      </div>
      {list.error && <Alert type="error" showIcon title={list.error} style={{ marginBottom: 12 }} />}
      <Table<AllianceMember>
        rowKey="id"
        loading={list.loading}
        dataSource={rows}
        scroll={{ x: 'max-content' }}
        data-testid="alliance-table"
        columns={[
          { title: t('common.kind'), dataIndex: 'kind', render: (k: string) => <Tag color={KIND_COLORS[k]}>{td(`alliance.kind.${k}`)}</Tag> },
          { title: t('common.name'), dataIndex: 'name' },
          { title: t('alliance.contactName'), dataIndex: 'contactName' },
          { title: t('alliance.contactPhone'), dataIndex: 'contactPhone' },
          { title: t('alliance.services'), dataIndex: 'services', ellipsis: true },
          { title: t('common.org'), dataIndex: 'orgName' },
          { title: t('common.status'), dataIndex: 'status', render: (st: string) => <Tag color={st === 'active' ? 'green' : 'default'}>{td(`org.status.${st}`)}</Tag> },
          ...(canWrite
            ? [
                {
                  title: t('common.actions'),
                  key: 'actions',
                  render: (_: unknown, m: AllianceMember) => (
                    <a onClick={() => setEditing({ member: m })} data-testid={`alliance-edit-${m.id}`}>
                      {t('common.edit')}
                    </a>
                  ),
                },
              ]
            : []),
        ]}
      />
      <AllianceModal
        open={!!editing}
        editing={editing?.member ?? null}
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
