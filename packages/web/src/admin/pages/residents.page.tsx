import { DownloadOutlined, PlusOutlined, UploadOutlined } from '@ant-design/icons';
import { RESIDENT_STATUSES, RESIDENT_TAGS } from '@haitang/contracts';
import { Alert, Button, Input, Select, Space, Table, Tag, type TableColumnsType } from 'antd';
import { useState } from 'react';
import { useNavigate } from 'react-router-dom';
import { api, downloadFile } from '../../api/client';
import type { Page, ResidentView } from '../../api/types';
import { useSession } from '../../features/auth/session';
import { useLoad } from '../../features/common/use-load';
import { useNotify } from '../../features/common/use-notify';
import { OrgTreeSelect } from '../../features/org/org-tree-select';
import { useOrgTree } from '../../features/org/use-org-tree';
import { ResidentDetailDrawer } from '../../features/residents/resident-detail-drawer';
import { ResidentFormDrawer } from '../../features/residents/resident-form-drawer';
import { genderKey, tagLabel } from '../../features/residents/resident-labels';
import { useI18n } from '../../i18n';

interface Filters {
  q: string;
  tag?: string;
  orgId?: number;
  status?: string;
}

export function ResidentsPage() {
  const { t, td, locale } = useI18n();
  const { can } = useSession();
  const { fail } = useNotify();
  const navigate = useNavigate();
  const org = useOrgTree();
  const [search, setSearch] = useState('');
  const [filters, setFilters] = useState<Filters>({ q: '', status: 'active' });
  const [page, setPage] = useState(1);
  const [pageSize, setPageSize] = useState(20);
  const [viewing, setViewing] = useState<ResidentView | null>(null);
  const [editing, setEditing] = useState<{ resident: ResidentView | null } | null>(null);
  const [exporting, setExporting] = useState(false);

  const list = useLoad(
    () => api.get<Page<ResidentView>>('/api/residents', { ...filters, page, pageSize }),
    [filters, page, pageSize],
  );

  const setFilter = (patch: Partial<Filters>) => {
    setFilters((f) => ({ ...f, ...patch }));
    setPage(1);
  };

  const exportExcel = async () => {
    setExporting(true);
    try {
      await downloadFile('/api/residents/export.xlsx', 'residents.xlsx', { ...filters });
    } catch (error) {
      fail(error);
    } finally {
      setExporting(false);
    }
  };

  const columns: TableColumnsType<ResidentView> = [
    {
      title: t('resident.name'),
      dataIndex: 'name',
      fixed: 'left',
      render: (name: string, r) => (
        <a onClick={() => setViewing(r)} data-testid={`resident-row-${r.id}`}>
          {name}
        </a>
      ),
    },
    { title: t('resident.gender'), dataIndex: 'gender', render: (g: string | null) => (genderKey(g) ? td(genderKey(g)!) : '') },
    { title: t('resident.birthDate'), dataIndex: 'birthDate' },
    { title: t('resident.idNumber'), dataIndex: 'idNumberMasked' },
    { title: t('resident.phone'), dataIndex: 'phoneMasked' },
    { title: t('common.address'), dataIndex: 'address', ellipsis: true },
    {
      title: t('resident.tags'),
      dataIndex: 'tags',
      render: (tags: string[]) => tags.map((tag) => <Tag key={tag}>{tagLabel(tag, locale)}</Tag>),
    },
    { title: t('common.org'), dataIndex: 'orgName' },
    {
      title: t('common.actions'),
      key: 'actions',
      render: (_, r) => (
        <Space size="small">
          <a onClick={() => setViewing(r)}>{t('resident.detail')}</a>
          {can('resident.write') && (
            <a onClick={() => setEditing({ resident: r })} data-testid={`resident-edit-${r.id}`}>
              {t('common.edit')}
            </a>
          )}
        </Space>
      ),
    },
  ];

  return (
    <div>
      <div className="ht-toolbar">
        <Input.Search
          allowClear
          value={search}
          onChange={(e) => setSearch(e.target.value)}
          onSearch={(value) => setFilter({ q: value.trim() })}
          placeholder={t('resident.searchPlaceholder')}
          enterButton
          data-testid="resident-search"
          style={{ flex: '1 1 260px' }}
        />
        <Select
          allowClear
          placeholder={t('resident.tags')}
          value={filters.tag}
          onChange={(tag?: string) => setFilter({ tag })}
          options={RESIDENT_TAGS.map((tag) => ({ value: tag, label: tagLabel(tag, locale) }))}
          style={{ width: 140 }}
          data-testid="resident-filter-tag"
        />
        <OrgTreeSelect tree={org.tree} value={filters.orgId} onChange={(orgId) => setFilter({ orgId })} allowClear placeholder={t('common.org')} testId="resident-filter-org" style={{ width: 180 }} />
        <Select
          allowClear
          placeholder={t('common.status')}
          value={filters.status}
          onChange={(status?: string) => setFilter({ status })}
          options={RESIDENT_STATUSES.map((s) => ({ value: s, label: td(`resident.status.${s}`) }))}
          style={{ width: 110 }}
          data-testid="resident-filter-status"
        />
        <Space wrap>
          {can('resident.write') && (
            <Button type="primary" icon={<PlusOutlined />} onClick={() => setEditing({ resident: null })} data-testid="resident-add">
              {t('resident.add')}
            </Button>
          )}
          {can('resident.import') && (
            <Button icon={<UploadOutlined />} onClick={() => navigate('/residents/import')} data-testid="resident-import">
              {t('resident.import')}
            </Button>
          )}
          {can('resident.export') && (
            <Button icon={<DownloadOutlined />} onClick={exportExcel} loading={exporting} data-testid="resident-export">
              {t('resident.export')}
            </Button>
          )}
        </Space>
      </div>
      {list.error && <Alert type="error" showIcon title={list.error} style={{ marginBottom: 12 }} />}
      <Table<ResidentView>
        rowKey="id"
        size="middle"
        columns={columns}
        dataSource={list.data?.items ?? []}
        loading={list.loading}
        scroll={{ x: 'max-content' }}
        data-testid="resident-table"
        pagination={{
          current: page,
          pageSize,
          total: list.data?.total ?? 0,
          showSizeChanger: true,
          showTotal: (n) => t('common.total', { n }),
          onChange: (p, size) => {
            setPage(size !== pageSize ? 1 : p);
            setPageSize(size);
          },
        }}
      />
      <ResidentDetailDrawer
        resident={viewing}
        canReveal={can('resident.reveal')}
        canEdit={can('resident.write')}
        onEdit={(r) => {
          setViewing(null);
          setEditing({ resident: r });
        }}
        onClose={() => setViewing(null)}
      />
      <ResidentFormDrawer
        open={!!editing}
        resident={editing?.resident ?? null}
        tree={org.tree}
        onClose={() => setEditing(null)}
        onStale={list.reload}
        onSaved={() => {
          setEditing(null);
          list.reload();
        }}
      />
    </div>
  );
}
