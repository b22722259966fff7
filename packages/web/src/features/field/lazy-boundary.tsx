import { Button, Result, Spin } from 'antd';
import { Component, Suspense, type ReactNode } from 'react';
import { useI18n } from '../../i18n';

function LoadFailed() {
  const { t } = useI18n();
  return (
    <Result
      status="warning"
      title={t('field.chunkFailed')}
      subTitle={t('field.chunkFailedHint')}
      extra={
        <Button type="primary" onClick={() => window.location.reload()}>
          {t('field.reload')}
        </Button>
      }
    />
  );
}

/**
 * A lazily loaded page that may fail to arrive on a weak signal: a spinner while it loads and a
 * "reload" screen instead of a blank page when its code cannot be fetched.
 */
export class LazyPage extends Component<{ children: ReactNode }, { failed: boolean }> {
  state = { failed: false };

  static getDerivedStateFromError(): { failed: boolean } {
    return { failed: true };
  }

  render() {
    if (this.state.failed) return <LoadFailed />;
    return <Suspense fallback={<Spin size="large" style={{ display: 'block', margin: '30vh auto' }} />}>{this.props.children}</Suspense>;
  }
}
