import { AimOutlined, EnvironmentOutlined } from '@ant-design/icons';
import { Alert, Button, Input, Space } from 'antd';
import { useI18n } from '../../i18n';
import type { GeoState } from './geolocation';

interface Props {
  geo: GeoState;
  onLocate: () => void;
  onClear: () => void;
  address: string;
  onAddress: (value: string) => void;
  /** Whether a typed address alone is enough (otherwise a hint says the location is needed). */
  addressSuffices: boolean;
  disabled?: boolean;
}

/** Where the problem is: the phone's position, or a typed address when that is refused or fails. */
export function LocationField({ geo, onLocate, onClear, address, onAddress, addressSuffices, disabled }: Props) {
  const { t } = useI18n();
  return (
    <Space orientation="vertical" style={{ width: '100%' }} size={8} data-testid="location">
      {geo.status === 'located' && (
        <Alert
          type="success"
          showIcon
          icon={<EnvironmentOutlined />}
          data-testid="location-ok"
          title={t('field.loc.located')}
          description={
            <>
              <div>{t('field.loc.coords', { lng: geo.point.lng.toFixed(5), lat: geo.point.lat.toFixed(5), m: geo.point.accuracy })}</div>
              <Button size="small" type="link" onClick={onClear} disabled={disabled} style={{ paddingInline: 0 }} data-testid="location-clear">
                {t('field.loc.dontUse')}
              </Button>
            </>
          }
        />
      )}
      {geo.status === 'locating' && <Alert type="info" showIcon title={t('field.loc.locating')} data-testid="location-locating" />}
      {(geo.status === 'denied' || geo.status === 'unavailable') && (
        <Alert
          type="warning"
          showIcon
          data-testid="location-failed"
          title={geo.status === 'denied' ? t('field.loc.denied') : t('field.loc.unavailable')}
          description={addressSuffices ? t('field.loc.typeAddress') : t('field.loc.needPoint')}
        />
      )}
      {geo.status !== 'located' && geo.status !== 'locating' && (
        <Button icon={<AimOutlined />} onClick={onLocate} disabled={disabled} data-testid="location-retry" block>
          {geo.status === 'idle' ? t('field.loc.use') : t('field.loc.retry')}
        </Button>
      )}
      <Input
        value={address}
        onChange={(e) => onAddress(e.target.value)}
        maxLength={200}
        placeholder={t('field.loc.addressPlaceholder')}
        prefix={<EnvironmentOutlined />}
        allowClear
        disabled={disabled}
        data-testid="location-address"
      />
    </Space>
  );
}
