import { App, Card, Empty, Input, Space, Switch, Tag, Tree, Typography } from 'antd';
import { useMemo, useRef, useState } from 'react';
import { api } from '../../api/client';
import type { OrgUnit, PublicSettings } from '../../api/types';
import { useSession } from '../../features/auth/session';
import { scrollIntoViewOnNarrow } from '../../features/common/scroll-on-narrow';
import { useLoad } from '../../features/common/use-load';
import { useNotify } from '../../features/common/use-notify';
import { BuildingsPanel } from '../../features/org/buildings-panel';
import { OrgDetail } from '../../features/org/org-detail';
import { OrgEditModal, type OrgEditMode } from '../../features/org/org-edit-modal';
import { OrgMap } from '../../features/org/org-map';
import { useOrgTree, type OrgTreeNode } from '../../features/org/use-org-tree';
import { useI18n } from '../../i18n';

interface AntTreeNode {
  key: number;
  title: React.ReactNode;
  children: AntTreeNode[];
}

export function OrgPage() {
  const { t, td } = useI18n();
  const { can } = useSession();
  const { modal } = App.useApp();
  const { ok, fail } = useNotify();
  const [showRetired, setShowRetired] = useState(false);
  const org = useOrgTree({ includeRetired: showRetired });
  const settings = useLoad(() => api.get<PublicSettings>('/api/settings/public').catch(() => ({ mapTileUrl: null })), []);
  const [selectedId, setSelectedId] = useState<number | null>(null);
  const mainRef = useRef<HTMLDivElement>(null);
  const [mode, setMode] = useState<OrgEditMode | null>(null);
  const [filter, setFilter] = useState('');
  const canWrite = can('org.write');
  // Buildings and households are resident data: the server checks 'resident.write' for them.
  const canWriteResidents = can('resident.write');

  const selected = selectedId === null ? undefined : org.byId.get(selectedId);

  const treeData = useMemo(() => {
    const needle = filter.trim();
    const map = (nodes: OrgTreeNode[]): AntTreeNode[] =>
      nodes
        .filter((n) => showRetired || n.unit.status !== 'retired')
        .map((n) => ({
          key: n.key,
          title: (
            <span style={{ opacity: n.unit.status === 'retired' ? 0.5 : 1 }} data-testid={`org-node-${n.key}`}>
              {needle && n.title.includes(needle) ? <mark>{n.title}</mark> : n.title}{' '}
              <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                {td(`org.kind.${n.unit.kind}`)}
              </Typography.Text>
            </span>
          ),
          children: map(n.children),
        }));
    return map(org.tree);
  }, [org.tree, showRetired, filter, td]);

  const expandedKeys = useMemo(() => {
    // Expand the top three levels by default, or everything matching the filter.
    const needle = filter.trim();
    return org.units
      .filter((u) => (needle ? true : u.depth - (org.units[0]?.depth ?? 0) < 2) && u.kind !== 'micro_grid')
      .map((u) => u.id);
  }, [org.units, filter]);

  const retire = (unit: OrgUnit) =>
    modal.confirm({
      title: t('org.retire'),
      content: t('org.retireConfirm', { name: unit.name }),
      okButtonProps: { danger: true, 'data-testid': 'org-retire-confirm' },
      onOk: async () => {
        try {
          await api.post(`/api/org/${unit.id}/retire`, { version: unit.version });
          ok(t('common.saved'));
          org.reload();
        } catch (error) {
          fail(error);
          org.reload();
        }
      },
    });

  return (
    <div className="ht-split">
      <Card size="small" className="ht-split-side" title={t('nav.org')} loading={org.loading && !org.data}>
        <Space orientation="vertical" style={{ width: '100%' }}>
          <Input.Search allowClear placeholder={t('common.search')} onChange={(e) => setFilter(e.target.value)} data-testid="org-filter" />
          <Space>
            <Switch size="small" checked={showRetired} onChange={setShowRetired} />
            <span>{t('org.showRetired')}</span>
          </Space>
          <div className="ht-tree-scroll">
            {treeData.length > 0 ? (
              <Tree
                key={`${expandedKeys.length}-${filter}`}
                treeData={treeData}
                defaultExpandedKeys={expandedKeys}
                selectedKeys={selectedId === null ? [] : [selectedId]}
                onSelect={(keys) => {
                  if (keys[0] === undefined) return;
                  setSelectedId(Number(keys[0]));
                  scrollIntoViewOnNarrow(mainRef.current);
                }}
                blockNode
                data-testid="org-tree"
              />
            ) : (
              !org.loading && <Empty />
            )}
          </div>
          {org.error && <Tag color="red">{org.error}</Tag>}
        </Space>
      </Card>
      <div className="ht-split-main" ref={mainRef}>
        {settings.data !== undefined && (
          <OrgMap units={org.units} selectedId={selectedId} onSelect={setSelectedId} tileUrl={settings.data.mapTileUrl ?? null} />
        )}
        <div style={{ marginTop: 12 }}>
          {selected ? (
            <>
              <OrgDetail
                unit={selected}
                parent={selected.parentId === null ? undefined : org.byId.get(selected.parentId)}
                canWrite={canWrite}
                onAction={setMode}
                onRetire={() => retire(selected)}
              />
              {selected.kind === 'micro_grid' && <BuildingsPanel key={selected.id} unit={selected} canWrite={canWriteResidents} />}
            </>
          ) : (
            <Card size="small">
              <Typography.Text type="secondary">{t('org.selectHint')}</Typography.Text>
            </Card>
          )}
        </div>
      </div>
      {selected && (
        <OrgEditModal
          mode={mode}
          unit={selected}
          units={org.units}
          tree={org.tree}
          onClose={() => setMode(null)}
          onStale={org.reload}
          onDone={(result) => {
            setMode(null);
            org.reload();
            if (result && mode === 'create') setSelectedId(result.id);
          }}
        />
      )}
    </div>
  );
}
