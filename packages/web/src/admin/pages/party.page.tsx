import { PlusOutlined } from '@ant-design/icons';
import { Button, Card, Descriptions, Empty, Space, Tree, Typography } from 'antd';
import { useMemo, useRef, useState } from 'react';
import { api } from '../../api/client';
import type { Items, PartyOrg } from '../../api/types';
import { useSession } from '../../features/auth/session';
import { scrollIntoViewOnNarrow } from '../../features/common/scroll-on-narrow';
import { useLoad } from '../../features/common/use-load';
import { useOrgTree } from '../../features/org/use-org-tree';
import { PartyMembers } from '../../features/party/party-members';
import { childPartyKinds, PartyOrgModal } from '../../features/party/party-org-modal';
import { useI18n } from '../../i18n';

interface Node {
  key: number;
  title: React.ReactNode;
  children: Node[];
}

export function PartyPage() {
  const { t, td } = useI18n();
  const { can } = useSession();
  const org = useOrgTree();
  const list = useLoad(() => api.get<Items<PartyOrg>>('/api/party/orgs'), []);
  const [selectedId, setSelectedId] = useState<number | null>(null);
  const mainRef = useRef<HTMLDivElement>(null);
  const [modal, setModal] = useState<{ editing: PartyOrg | null; parent: PartyOrg | null } | null>(null);
  const canWrite = can('party.write');
  const orgs = useMemo(() => list.data?.items ?? [], [list.data]);
  const selected = orgs.find((o) => o.id === selectedId);

  const treeData = useMemo(() => {
    const ids = new Set(orgs.map((o) => o.id));
    const build = (parentId: number | null): Node[] =>
      orgs
        .filter((o) => (parentId === null ? o.parentId === null || !ids.has(o.parentId) : o.parentId === parentId))
        .map((o) => ({
          key: o.id,
          title: (
            <span data-testid={`party-node-${o.id}`} style={{ opacity: o.status === 'retired' ? 0.5 : 1 }}>
              {o.name}{' '}
              <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                {td(`party.kind.${o.kind}`)} · {o.memberCount}
              </Typography.Text>
            </span>
          ),
          children: build(o.id),
        }));
    return build(null);
  }, [orgs, td]);

  const canHaveChildren = !!selected && selected.status === 'active' && childPartyKinds(selected.kind).length > 0;

  return (
    <div className="ht-split">
      <Card
        size="small"
        className="ht-split-side"
        title={t('party.title')}
        loading={list.loading && !list.data}
        extra={
          canWrite && (
            <Button size="small" icon={<PlusOutlined />} onClick={() => setModal({ editing: null, parent: null })} data-testid="party-create">
              {t('common.create')}
            </Button>
          )
        }
      >
        <div className="ht-tree-scroll">
          {treeData.length ? (
            <Tree
              key={orgs.length}
              treeData={treeData}
              defaultExpandAll
              blockNode
              selectedKeys={selectedId === null ? [] : [selectedId]}
              onSelect={(keys) => {
                  if (keys[0] === undefined) return;
                  setSelectedId(Number(keys[0]));
                  scrollIntoViewOnNarrow(mainRef.current);
                }}
              data-testid="party-tree"
            />
          ) : (
            <Empty />
          )}
        </div>
        {list.error && <Typography.Text type="danger">{list.error}</Typography.Text>}
      </Card>
      <div className="ht-split-main" ref={mainRef}>
        {selected ? (
          <>
            <Card size="small" title={selected.name} data-testid="party-detail">
              <Descriptions size="small" column={{ xs: 1, sm: 2 }}>
                <Descriptions.Item label={t('common.kind')}>{td(`party.kind.${selected.kind}`)}</Descriptions.Item>
                <Descriptions.Item label={t('common.org')}>{selected.orgName}</Descriptions.Item>
                <Descriptions.Item label={t('party.parent')}>{orgs.find((o) => o.id === selected.parentId)?.name ?? '—'}</Descriptions.Item>
                <Descriptions.Item label={t('common.memberCount')}>{selected.memberCount}</Descriptions.Item>
                <Descriptions.Item label={t('party.secretary')}>{selected.secretaryName ?? '—'}</Descriptions.Item>
                <Descriptions.Item label={t('common.status')}>{td(`org.status.${selected.status}`)}</Descriptions.Item>
                {selected.householdLabel && <Descriptions.Item label={t('resident.household')}>{selected.householdLabel}</Descriptions.Item>}
                {selected.description && <Descriptions.Item label={t('common.description')}>{selected.description}</Descriptions.Item>}
              </Descriptions>
              {canWrite && (
                <Space wrap style={{ marginTop: 8 }}>
                  <Button onClick={() => setModal({ editing: selected, parent: null })} data-testid="party-edit">
                    {t('common.edit')}
                  </Button>
                  {canHaveChildren && (
                    <Button onClick={() => setModal({ editing: null, parent: selected })} data-testid="party-add-child">
                      {t('org.addChild')}
                    </Button>
                  )}
                </Space>
              )}
            </Card>
            <PartyMembers key={selected.id} org={selected} canWrite={canWrite} onChanged={list.reload} />
          </>
        ) : (
          <Card size="small">
            <Typography.Text type="secondary">{t('party.selectHint')}</Typography.Text>
          </Card>
        )}
      </div>
      <PartyOrgModal
        open={!!modal}
        editing={modal?.editing ?? null}
        parent={modal?.parent ?? null}
        orgs={orgs}
        tree={org.tree}
        onClose={() => setModal(null)}
        onStale={() => {
          list.reload();
          setModal(null);
        }}
        onSaved={(saved) => {
          setModal(null);
          list.reload();
          setSelectedId(saved.id);
        }}
      />
    </div>
  );
}
