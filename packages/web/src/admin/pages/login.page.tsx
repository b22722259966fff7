import { LockOutlined, UserOutlined } from '@ant-design/icons';
import { Alert, Button, Card, Form, Input, Space } from 'antd';
import { useState } from 'react';
import { Navigate, useLocation, useNavigate } from 'react-router-dom';
import { messageOf } from '../../api/client';
import { useSession } from '../../features/auth/session';
import { useI18n } from '../../i18n';

interface LoginForm {
  username: string;
  password: string;
}

export function LoginPage() {
  const { t, locale, setLocale } = useI18n();
  const { status, login } = useSession();
  const navigate = useNavigate();
  const location = useLocation();
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const from = (location.state as { from?: string } | null)?.from ?? '/';

  if (status === 'authenticated') return <Navigate to={from} replace />;

  const submit = async (values: LoginForm) => {
    setBusy(true);
    setError(null);
    try {
      await login(values.username.trim(), values.password);
      navigate(from === '/login' ? '/' : from, { replace: true });
    } catch (err) {
      setError(messageOf(err));
    } finally {
      setBusy(false);
    }
  };

  return (
    <div className="ht-login">
      <Card
        style={{ width: '100%', maxWidth: 380 }}
        title={<span className="ht-brand">{t('app.name')}</span>}
        extra={
          <Button type="link" size="small" data-testid="lang-switch" onClick={() => setLocale(locale === 'en' ? 'zh-CN' : 'en')}>
            {t('lang.switch')}
          </Button>
        }
      >
        <Form<LoginForm> layout="vertical" onFinish={submit} requiredMark={false}>
          <Form.Item name="username" label={t('auth.username')} rules={[{ required: true, message: t('common.required') }]}>
            <Input prefix={<UserOutlined />} autoComplete="username" data-testid="login-username" autoFocus />
          </Form.Item>
          <Form.Item name="password" label={t('auth.password')} rules={[{ required: true, message: t('common.required') }]}>
            <Input.Password prefix={<LockOutlined />} autoComplete="current-password" data-testid="login-password" />
          </Form.Item>
          <Space orientation="vertical" style={{ width: '100%' }}>
            {error && <Alert type="error" showIcon title={error} data-testid="login-error" />}
            <Button type="primary" htmlType="submit" block loading={busy} data-testid="login-submit">
              {t('auth.submit')}
            </Button>
          </Space>
        </Form>
      </Card>
    </div>
  );
}
