import {
  ApartmentOutlined,
  AuditOutlined,
  CalendarOutlined,
  GiftOutlined,
  HeartOutlined,
  DownOutlined,
  FlagOutlined,
  HomeOutlined,
  KeyOutlined,
  LogoutOutlined,
  MenuOutlined,
  MobileOutlined,
  ShopOutlined,
  SolutionOutlined,
  TeamOutlined,
  TranslationOutlined,
  UserOutlined,
} from '@ant-design/icons';
import type { Permission } from '@haitang/contracts';
import { Button, Drawer, Dropdown, Grid, Layout, Menu, Tag, type MenuProps } from 'antd';
import { useState, type ReactNode } from 'react';
import { Link, Outlet, useLocation, useNavigate } from 'react-router-dom';
import { ChangePasswordModal } from '../features/auth/change-password-modal';
import { NotificationBell } from '../features/orders/notification-bell';
import { useSession } from '../features/auth/session';
import { useI18n, type MessageKey } from '../i18n';

interface NavEntry {
  path: string;
  label: MessageKey;
  icon: ReactNode;
  testId: string;
  permission?: Permission;
}

/** The console's navigation; each entry shows only when the role holds its permission. */
const NAV: NavEntry[] = [
  { path: '/', label: 'nav.home', icon: <HomeOutlined />, testId: 'nav-home' },
  { path: '/org', label: 'nav.org', icon: <ApartmentOutlined />, testId: 'nav-org', permission: 'org.read' },
  { path: '/orders', label: 'nav.orders', icon: <SolutionOutlined />, testId: 'nav-orders', permission: 'order.read' },
  { path: '/residents', label: 'nav.residents', icon: <UserOutlined />, testId: 'nav-residents', permission: 'resident.read' },
  { path: '/party', label: 'nav.party', icon: <FlagOutlined />, testId: 'nav-party', permission: 'party.read' },
  { path: '/teams', label: 'nav.teams', icon: <TeamOutlined />, testId: 'nav-teams', permission: 'team.read' },
  { path: '/activities', label: 'nav.activities', icon: <CalendarOutlined />, testId: 'nav-activities', permission: 'activity.read' },
  { path: '/wish-box', label: 'nav.wishes', icon: <HeartOutlined />, testId: 'nav-wishes', permission: 'activity.read' },
  { path: '/volunteers', label: 'nav.volunteers', icon: <GiftOutlined />, testId: 'nav-volunteers', permission: 'activity.read' },
  { path: '/alliance', label: 'nav.alliance', icon: <ShopOutlined />, testId: 'nav-alliance', permission: 'alliance.read' },
  { path: '/audit', label: 'nav.audit', icon: <AuditOutlined />, testId: 'nav-audit', permission: 'audit.read' },
  { path: '/field', label: 'nav.field', icon: <MobileOutlined />, testId: 'nav-field', permission: 'order.resolve' },
];

function selectedKey(pathname: string): string {
  const match = NAV.filter((n) => n.path !== '/' && pathname.startsWith(n.path));
  return match[0]?.path ?? '/';
}

export function ConsoleLayout() {
  const { t, td, locale, setLocale } = useI18n();
  const { session, can, logout } = useSession();
  const screens = Grid.useBreakpoint();
  const isPhone = !screens.md;
  const [drawerOpen, setDrawerOpen] = useState(false);
  const [passwordOpen, setPasswordOpen] = useState(false);
  const location = useLocation();
  const navigate = useNavigate();

  const items: MenuProps['items'] = NAV.filter((n) => !n.permission || can(n.permission)).map((n) => ({
    key: n.path,
    icon: n.icon,
    label: (
      <Link to={n.path} data-testid={n.testId}>
        {t(n.label)}
      </Link>
    ),
  }));

  const menu = (
    <Menu mode="inline" selectedKeys={[selectedKey(location.pathname)]} items={items} onClick={() => setDrawerOpen(false)} style={{ borderInlineEnd: 0 }} />
  );

  const account = session?.account;
  const toggleLocale = () => setLocale(locale === 'en' ? 'zh-CN' : 'en');
  const userMenu: MenuProps['items'] = [
    ...(isPhone
      ? [
          { key: 'role', disabled: true, label: `${td(`role.${account?.role}`)}${account?.orgName ? ` · ${account.orgName}` : ''}` },
          { key: 'lang', icon: <TranslationOutlined />, label: <span data-testid="lang-switch">{t('lang.switch')}</span> },
        ]
      : []),
    { key: 'password', icon: <KeyOutlined />, label: <span data-testid="change-password">{t('auth.changePassword')}</span> },
    { type: 'divider' },
    { key: 'logout', icon: <LogoutOutlined />, danger: true, label: <span data-testid="logout">{t('auth.logout')}</span> },
  ];
  const onUserMenu: MenuProps['onClick'] = ({ key }) => {
    if (key === 'lang') toggleLocale();
    if (key === 'password') setPasswordOpen(true);
    if (key === 'logout') void logout().then(() => navigate('/login', { replace: true }));
  };

  return (
    <Layout style={{ minHeight: '100vh' }}>
      <Layout.Header className="ht-header">
        {isPhone && <Button type="text" icon={<MenuOutlined />} aria-label={t('nav.menu')} data-testid="nav-toggle" onClick={() => setDrawerOpen(true)} />}
        <Link to="/" className="ht-brand">
          {isPhone ? t('app.short') : t('app.name')}
        </Link>
        <div className="ht-header-spacer" />
        {!isPhone && (
          <>
            {account?.orgName && <span style={{ color: '#888' }}>{account.orgName}</span>}
            <Tag color="magenta" data-testid="user-role">
              {td(`role.${account?.role}`)}
            </Tag>
            <Button type="text" icon={<TranslationOutlined />} onClick={toggleLocale} data-testid="lang-switch">
              {t('lang.switch')}
            </Button>
          </>
        )}
        <NotificationBell accountId={account?.id ?? null} />
        <Dropdown menu={{ items: userMenu, onClick: onUserMenu }} trigger={['click']}>
          <Button type="text" data-testid="user-menu">
            <UserOutlined /> <span data-testid="user-name">{account?.displayName ?? account?.username}</span> <DownOutlined />
          </Button>
        </Dropdown>
      </Layout.Header>
      <Layout>
        {!isPhone && (
          <Layout.Sider width={200} theme="light" breakpoint="lg" collapsible>
            {menu}
          </Layout.Sider>
        )}
        <Layout.Content className="ht-content">
          <Outlet />
        </Layout.Content>
      </Layout>
      <Drawer placement="left" open={isPhone && drawerOpen} onClose={() => setDrawerOpen(false)} size={240} title={t('app.name')} styles={{ body: { padding: 0 } }}>
        {menu}
      </Drawer>
      <ChangePasswordModal open={passwordOpen} onClose={() => setPasswordOpen(false)} />
    </Layout>
  );
}
