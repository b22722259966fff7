import { TranslationOutlined } from '@ant-design/icons';
import { Button } from 'antd';
import { useEffect, useRef, type ReactNode } from 'react';
import { Link, useLocation } from 'react-router-dom';
import { useI18n } from '../i18n';
import '../features/field/field.css';

/** The residents' pages: no account, no console chrome, one narrow column that suits a phone. */
export function PublicLayout({ children }: { children: ReactNode }) {
  const { t, locale, setLocale } = useI18n();
  const { pathname } = useLocation();
  const nav = useRef<HTMLElement>(null);
  // The links scroll sideways on a narrow phone: keep the current one in sight.
  useEffect(() => {
    nav.current?.querySelector('a.active')?.scrollIntoView({ inline: 'center', block: 'nearest' });
  }, [pathname]);
  return (
    <div className="ht-public">
      <header className="ht-public-header">
        <span className="ht-brand">{t('app.short')}</span>
        <nav ref={nav}>
          <Link to="/report" className={pathname.startsWith('/report') ? 'active' : ''} data-testid="public-nav-report">
            {t('report.nav')}
          </Link>
          <Link to="/track" className={pathname.startsWith('/track') ? 'active' : ''} data-testid="public-nav-track">
            {t('track.nav')}
          </Link>
          <Link to="/m/activities" className={pathname.startsWith('/m/activities') ? 'active' : ''} data-testid="public-nav-activities">
            {t('m.activities')}
          </Link>
          <Link to="/wishes" className={pathname.startsWith('/wishes') ? 'active' : ''} data-testid="public-nav-wishes">
            {t('nav.wishes')}
          </Link>
          <Link to="/m/me" className={pathname.startsWith('/m/me') ? 'active' : ''} data-testid="public-nav-me">
            {t('m.me')}
          </Link>
        </nav>
        <Button type="text" size="small" icon={<TranslationOutlined />} onClick={() => setLocale(locale === 'en' ? 'zh-CN' : 'en')} data-testid="lang-switch" aria-label={t('lang.switch')}>
          <span className="ht-lang-label">{t('lang.switch')}</span>
        </Button>
      </header>
      <main className="ht-public-main">{children}</main>
    </div>
  );
}
