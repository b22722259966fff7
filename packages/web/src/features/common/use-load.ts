import { useCallback, useEffect, useRef, useState } from 'react';
import { messageOf } from '../../api/client';

export interface Loaded<T> {
  data: T | undefined;
  loading: boolean;
  error: string | null;
  reload: () => void;
}

/**
 * Runs a loader when its dependencies change and on reload(); stale responses are dropped.
 * Pass `null` as the loader to skip loading (e.g. nothing selected yet).
 */
export function useLoad<T>(loader: (() => Promise<T>) | null, deps: readonly unknown[]): Loaded<T> {
  const [data, setData] = useState<T | undefined>(undefined);
  const [loading, setLoading] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [tick, setTick] = useState(0);
  const latest = useRef(0);

  useEffect(() => {
    if (!loader) {
      setData(undefined);
      return;
    }
    const call = ++latest.current;
    setLoading(true);
    setError(null);
    loader()
      .then((value) => {
        if (call === latest.current) setData(value);
      })
      .catch((err: unknown) => {
        if (call === latest.current) setError(messageOf(err));
      })
      .finally(() => {
        if (call === latest.current) setLoading(false);
      });
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [...deps, tick, loader === null]);

  const reload = useCallback(() => setTick((n) => n + 1), []);
  return { data, loading, error, reload };
}
