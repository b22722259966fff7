import { BellOutlined } from '@ant-design/icons';
import type { NotificationView } from '@haitang/contracts';
import { Badge, Button, Drawer, Dropdown, Empty, Grid, List, Typography } from 'antd';
import { useState } from 'react';
import { useNavigate } from 'react-router-dom';
import { useI18n } from '../../i18n';
import { useSession } from '../auth/session';
import { formatTime } from './labels';
import { useNotifications } from './use-notifications';

/**
 * The bell in the console header: unread count, the latest notifications; a click opens what the
 * notification is about (an order; an activity or a wish: the resident's phone page, staff's console).
 */
export function NotificationBell({ accountId }: { accountId: number | null }) {
  const { t } = useI18n();
  const { session } = useSession();
  const resident = session?.account.role === 'resident';
  const navigate = useNavigate();
  const { unread, items, mode, refresh, markRead } = useNotifications(accountId);
  const [open, setOpen] = useState(false);
  // On a phone the list opens as a drawer: a dropdown under a header button would not fit.
  const isPhone = !Grid.useBreakpoint().md;

  const openItem = (n: NotificationView) => {
    setOpen(false);
    if (!n.readAt) void markRead([n.id]);
    if (n.orderId !== null) navigate(`/orders/${n.orderId}`);
    else if (n.activityId !== null) navigate(resident ? `/m/activities/${n.activityId}` : '/activities');
    else if (n.wishId !== null) navigate(resident ? '/m/me' : '/wish-box');
  };

  const list = (
    <div style={{ maxHeight: isPhone ? undefined : 400, overflowY: 'auto' }}>
      {items.length === 0 ? (
        <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('bell.empty')} style={{ padding: 16 }} />
      ) : (
        <List<NotificationView>
          size="small"
          dataSource={items}
          renderItem={(n) => (
            <List.Item
              onClick={() => openItem(n)}
              style={{ cursor: 'pointer', padding: '8px 12px', background: n.readAt ? undefined : '#fff0f6' }}
              data-testid="bell-item"
              data-unread={n.readAt ? 'false' : 'true'}
            >
              <div style={{ minWidth: 0 }}>
                <div style={{ fontWeight: n.readAt ? 400 : 600 }}>{n.title}</div>
                {n.body && (
                  <Typography.Text type="secondary" style={{ fontSize: 12 }} ellipsis>
                    {n.body}
                  </Typography.Text>
                )}
                <div>
                  <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                    {formatTime(n.createdAt)}
                  </Typography.Text>
                </div>
              </div>
            </List.Item>
          )}
        />
      )}
    </div>
  );
  const readAll = (
    <Button size="small" type="link" disabled={!unread} onClick={() => void markRead('all')} data-testid="bell-read-all">
      {t('bell.readAll')}
    </Button>
  );
  const toggle = (next: boolean) => {
    setOpen(next);
    if (next) void refresh();
  };
  const button = (
    <Button type="text" aria-label={t('bell.title')} data-testid="bell" data-unread={unread} onClick={isPhone ? () => toggle(true) : undefined}>
      <Badge count={unread} size="small" overflowCount={99} data-testid="bell-count">
        <BellOutlined style={{ fontSize: 18 }} />
      </Badge>
    </Button>
  );

  if (isPhone) {
    return (
      <>
        {button}
        <Drawer
          open={open}
          onClose={() => setOpen(false)}
          placement="right"
          size="85%"
          title={t('bell.title')}
          extra={readAll}
          styles={{ body: { padding: 0 } }}
        >
          <div data-testid="bell-panel" data-mode={mode}>
            {list}
          </div>
        </Drawer>
      </>
    );
  }

  const panel = (
    <div className="ant-dropdown-menu" style={{ width: 360, padding: 0 }} data-testid="bell-panel" data-mode={mode}>
      <div style={{ display: 'flex', alignItems: 'center', padding: '8px 12px', borderBottom: '1px solid #f0f0f0' }}>
        <Typography.Text strong style={{ flex: 1 }}>
          {t('bell.title')}
        </Typography.Text>
        {readAll}
      </div>
      {list}
    </div>
  );

  return (
    <Dropdown open={open} onOpenChange={toggle} trigger={['click']} placement="bottomRight" popupRender={() => panel}>
      {button}
    </Dropdown>
  );
}
