import { Alert, List, Space, Typography } from 'antd';
import { useEffect, useState } from 'react';
import { Link } from 'react-router-dom';
import { ApiError } from '../../api/client';
import { useI18n } from '../../i18n';
import type { Point } from './order-map';
import { StateTag } from './order-tags';
import { ordersApi, type DuplicateItem } from './orders-api';

interface Props {
  categoryId?: number;
  description: string;
  householdId?: number;
  point: Point | null;
  /** The order itself, when looking for orders to merge it into. */
  excludeId?: number;
  /** Shown as a choice (merge): clicking an item picks it. */
  onPick?: (item: DuplicateItem) => void;
}

/**
 * Open orders that look like this one (same category, same household or nearby, similar text), as
 * the server finds them (GET /api/orders/duplicates). Shows nothing until there is enough to compare.
 */
export function DuplicateHints({ categoryId, description, householdId, point, excludeId, onPick }: Props) {
  const { t } = useI18n();
  const [items, setItems] = useState<DuplicateItem[]>([]);

  useEffect(() => {
    if (categoryId === undefined || description.length < 4) {
      setItems([]);
      return;
    }
    let live = true;
    ordersApi
      .duplicates({ categoryId, description: description.slice(0, 4000), householdId, lng: point?.lng, lat: point?.lat, excludeId })
      .then((r) => live && setItems(r.items))
      .catch((error: unknown) => {
        // Hints are a help, not a step: a failure (or a server without the endpoint) shows nothing.
        if (live) setItems([]);
        if (!(error instanceof ApiError) || error.status !== 404) console.warn('duplicate hints failed', error);
      });
    return () => {
      live = false;
    };
  }, [categoryId, description, householdId, point?.lng, point?.lat, excludeId]);

  if (!items.length) return null;
  return (
    <Alert
      type="warning"
      showIcon
      style={{ marginBottom: 16 }}
      data-testid="order-duplicates"
      title={t('orders.duplicates.title', { n: items.length })}
      description={
        <List
          size="small"
          dataSource={items}
          renderItem={(d) => (
            <List.Item
              actions={onPick ? [<a key="pick" onClick={() => onPick(d)}>{t('orders.duplicates.pick')}</a>] : undefined}
              style={{ paddingInline: 0 }}
            >
              <Space wrap size={4}>
                <Link to={`/orders/${d.id}`} target="_blank">
                  {d.number}
                </Link>
                <StateTag state={d.state} />
                <span>{d.title}</span>
                <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                  {t('orders.duplicates.similarity', { p: Math.round(d.similarity * 100) })}
                  {d.distanceM !== null && ` · ${t('orders.duplicates.distance', { m: Math.round(d.distanceM) })}`}
                </Typography.Text>
              </Space>
            </List.Item>
          )}
        />
      }
    />
  );
}
