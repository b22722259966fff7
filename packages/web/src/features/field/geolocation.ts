import { useCallback, useEffect, useRef, useState } from 'react';

export interface GeoPoint {
  lng: number;
  lat: number;
  /** Metres, as the phone reports it. */
  accuracy: number;
}

export type GeoState =
  | { status: 'idle' }
  | { status: 'locating' }
  | { status: 'located'; point: GeoPoint }
  /** The user (or the browser's policy) refused access to the location. */
  | { status: 'denied' }
  /** No fix: no GPS signal, a timeout, or a browser without geolocation. */
  | { status: 'unavailable' };

const round6 = (x: number) => Math.round(x * 1e6) / 1e6;

/**
 * The phone's current position, asked for once on mount (when `auto`) and again on locate().
 * A denial or a failure leaves the form usable: the caller offers typing an address instead.
 */
export function useGeolocation(auto = true) {
  const [state, setState] = useState<GeoState>({ status: 'idle' });
  const call = useRef(0);

  const locate = useCallback(() => {
    if (typeof navigator === 'undefined' || !('geolocation' in navigator)) {
      setState({ status: 'unavailable' });
      return;
    }
    const mine = ++call.current;
    setState({ status: 'locating' });
    navigator.geolocation.getCurrentPosition(
      (pos) => {
        if (mine !== call.current) return;
        setState({
          status: 'located',
          point: { lng: round6(pos.coords.longitude), lat: round6(pos.coords.latitude), accuracy: Math.round(pos.coords.accuracy) },
        });
      },
      (err) => {
        if (mine !== call.current) return;
        setState({ status: err.code === err.PERMISSION_DENIED ? 'denied' : 'unavailable' });
      },
      { enableHighAccuracy: true, timeout: 15_000, maximumAge: 60_000 },
    );
  }, []);

  const clear = useCallback(() => {
    call.current++;
    setState({ status: 'idle' });
  }, []);

  useEffect(() => {
    if (auto) locate();
    return () => {
      call.current++;
    };
  }, [auto, locate]);

  return { state, locate, clear, point: state.status === 'located' ? state.point : null };
}
