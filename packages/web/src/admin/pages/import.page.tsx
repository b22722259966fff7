import { ArrowLeftOutlined } from '@ant-design/icons';
import { Button, Space } from 'antd';
import { useNavigate } from 'react-router-dom';
import { ImportWizard } from '../../features/imports/import-wizard';
import { useOrgTree } from '../../features/org/use-org-tree';
import { useI18n } from '../../i18n';

export function ImportPage() {
  const { t } = useI18n();
  const navigate = useNavigate();
  const org = useOrgTree();
  return (
    <Space orientation="vertical" style={{ width: '100%' }}>
      <Button type="link" icon={<ArrowLeftOutlined />} onClick={() => navigate('/residents')} style={{ paddingLeft: 0 }}>
        {t('nav.residents')}
      </Button>
      <ImportWizard tree={org.tree} />
    </Space>
  );
}
