import type { NotificationView } from '@haitang/contracts';
import { useCallback, useEffect, useRef, useState } from 'react';
import { ordersApi } from './orders-api';

/** How often the bell asks when the live stream is not available. */
export const POLL_MS = 60_000;
/** After the stream failed, how long to poll before trying it again. */
export const STREAM_RETRY_MS = 5 * 60_000;
const KEEP = 30;

export type BellMode = 'connecting' | 'live' | 'polling';

/**
 * The signed-in account's notifications: the unread count and the latest few, kept current by the
 * server-sent-event stream (GET /api/notifications/stream: `unread` and `notification` events);
 * when the stream fails it polls GET /api/notifications every minute and tries the stream again
 * later. Everything is closed when the component using it unmounts (logout).
 */
export function useNotifications(accountId: number | null) {
  const [unread, setUnread] = useState(0);
  const [items, setItems] = useState<NotificationView[]>([]);
  const [mode, setMode] = useState<BellMode>('connecting');
  const live = useRef(true);

  const merge = useCallback((incoming: NotificationView[]) => {
    setItems((current) => {
      const byId = new Map(current.map((n) => [n.id, n]));
      for (const n of incoming) byId.set(n.id, n);
      return [...byId.values()].sort((a, b) => b.id - a.id).slice(0, KEEP);
    });
  }, []);

  const refresh = useCallback(async () => {
    try {
      const list = await ordersApi.notifications({ limit: 20 });
      if (!live.current) return;
      setUnread(list.unread);
      // A fresh list replaces what we had: read states may have changed elsewhere.
      setItems(list.items.slice(0, KEEP));
    } catch {
      // the next poll or event will try again
    }
  }, []);

  useEffect(() => {
    live.current = true;
    if (accountId === null) return;
    let source: EventSource | null = null;
    let pollTimer: ReturnType<typeof setInterval> | null = null;
    let retryTimer: ReturnType<typeof setTimeout> | null = null;

    const stopPolling = () => {
      if (pollTimer) clearInterval(pollTimer);
      pollTimer = null;
      if (retryTimer) clearTimeout(retryTimer);
      retryTimer = null;
    };

    const openStream = () => {
      if (typeof EventSource === 'undefined') return startPolling();
      setMode('connecting');
      const es = new EventSource('/api/notifications/stream', { withCredentials: true });
      source = es;
      es.addEventListener('open', () => {
        stopPolling();
        setMode('live');
      });
      es.addEventListener('unread', (e) => {
        const data = parse<{ unread: number }>((e as MessageEvent<string>).data);
        if (data && typeof data.unread === 'number') setUnread(data.unread);
      });
      es.addEventListener('notification', (e) => {
        const n = parse<NotificationView>((e as MessageEvent<string>).data);
        if (n && typeof n.id === 'number') merge([n]);
      });
      es.addEventListener('error', () => {
        // Poll instead (and come back to the stream later) rather than let the browser retry forever.
        es.close();
        if (source === es) source = null;
        startPolling();
      });
    };

    const startPolling = () => {
      if (pollTimer) return;
      setMode('polling');
      void refresh();
      pollTimer = setInterval(() => void refresh(), POLL_MS);
      retryTimer = setTimeout(() => {
        stopPolling();
        openStream();
      }, STREAM_RETRY_MS);
    };

    void refresh();
    openStream();
    return () => {
      live.current = false;
      source?.close();
      source = null;
      stopPolling();
    };
  }, [accountId, merge, refresh]);

  const markRead = useCallback(
    async (ids: number[] | 'all') => {
      if (ids !== 'all' && !ids.length) return;
      const now = new Date().toISOString();
      const hit = (n: NotificationView) => ids === 'all' || ids.includes(n.id);
      setItems((current) => current.map((n) => (hit(n) && !n.readAt ? { ...n, readAt: now } : n)));
      try {
        await ordersApi.markRead(ids === 'all' ? { all: true } : { ids });
      } finally {
        // The count comes from the server (the stream sends it too): never guess it here.
        await refresh();
      }
    },
    [refresh],
  );

  return { unread, items, mode, refresh, markRead };
}

function parse<T>(text: string): T | null {
  try {
    return JSON.parse(text) as T;
  } catch {
    return null;
  }
}
