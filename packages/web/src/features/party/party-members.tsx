import { PARTY_MEMBER_ROLES, type PartyMemberRole } from '@haitang/contracts';
import { App, Button, Card, Select, Space, Table } from 'antd';
import { useState } from 'react';
import { api } from '../../api/client';
import type { Items, PartyMember, PartyOrg } from '../../api/types';
import { useI18n } from '../../i18n';
import { useLoad } from '../common/use-load';
import { useNotify } from '../common/use-notify';
import { ResidentPicker } from '../residents/resident-picker';

/** Members of one party organisation; writers add members, change roles and remove them. */
export function PartyMembers({ org, canWrite, onChanged }: { org: PartyOrg; canWrite: boolean; onChanged: () => void }) {
  const { t, td } = useI18n();
  const { modal } = App.useApp();
  const { ok, fail } = useNotify();
  const members = useLoad(() => api.get<Items<PartyMember>>(`/api/party/orgs/${org.id}/members`), [org.id]);
  const [residentId, setResidentId] = useState<number | undefined>();
  const [role, setRole] = useState<PartyMemberRole>('member');
  const [busy, setBusy] = useState(false);
  const roleOptions = PARTY_MEMBER_ROLES.map((r) => ({ value: r, label: td(`party.role.${r}`) }));

  const changed = () => {
    members.reload();
    onChanged();
  };

  const add = async () => {
    if (!residentId) return;
    setBusy(true);
    try {
      await api.post(`/api/party/orgs/${org.id}/members`, { residentId, role });
      ok(t('common.saved'));
      setResidentId(undefined);
      changed();
    } catch (error) {
      fail(error);
    } finally {
      setBusy(false);
    }
  };

  const setMemberRole = async (member: PartyMember, next: PartyMemberRole) => {
    try {
      await api.patch(`/api/party/orgs/${org.id}/members/${member.residentId}`, { role: next });
      changed();
    } catch (error) {
      fail(error);
    }
  };

  const remove = (member: PartyMember) =>
    modal.confirm({
      title: t('common.remove'),
      content: t('party.removeConfirm', { name: member.name }),
      okButtonProps: { danger: true, 'data-testid': 'party-member-remove-confirm' },
      onOk: async () => {
        try {
          await api.delete(`/api/party/orgs/${org.id}/members/${member.residentId}`);
          changed();
        } catch (error) {
          fail(error);
        }
      },
    });

  return (
    <Card size="small" title={t('common.members')} style={{ marginTop: 12 }}>
      {canWrite && (
        <Space wrap style={{ marginBottom: 12, width: '100%' }}>
          <div style={{ width: 260 }}>
            <ResidentPicker value={residentId} onChange={(id) => setResidentId(id)} testId="party-member-picker" />
          </div>
          <Select value={role} onChange={setRole} options={roleOptions} style={{ width: 130 }} />
          <Button type="primary" onClick={add} loading={busy} disabled={!residentId} data-testid="party-member-add">
            {t('party.addMember')}
          </Button>
        </Space>
      )}
      <Table<PartyMember>
        size="small"
        rowKey="residentId"
        loading={members.loading}
        dataSource={members.data?.items ?? []}
        pagination={{ pageSize: 20, hideOnSinglePage: true }}
        scroll={{ x: 'max-content' }}
        data-testid="party-members"
        columns={[
          { title: t('resident.name'), dataIndex: 'name' },
          {
            title: t('party.role'),
            dataIndex: 'role',
            render: (r: PartyMemberRole, m) =>
              canWrite ? (
                <Select size="small" value={r} options={roleOptions} onChange={(next: PartyMemberRole) => void setMemberRole(m, next)} style={{ width: 120 }} />
              ) : (
                td(`party.role.${r}`)
              ),
          },
          { title: t('party.joinedAt'), dataIndex: 'joinedAt', render: (d: string) => d?.slice(0, 10) },
          ...(canWrite
            ? [
                {
                  title: t('common.actions'),
                  key: 'actions',
                  render: (_: unknown, m: PartyMember) => (
                    <a onClick={() => remove(m)} data-testid={`party-member-remove-${m.residentId}`}>
                      {t('common.remove')}
                    </a>
                  ),
                },
              ]
            : []),
        ]}
      />
    </Card>
  );
}
