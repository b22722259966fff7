import L from 'leaflet';
import { useEffect, useRef } from 'react';
import type { OrgUnit } from '../../api/types';

export interface Point {
  lng: number;
  lat: number;
}

interface Props {
  point: Point | null;
  /** When given, a click on the map moves the point there. */
  onPick?: (point: Point) => void;
  /** Boundaries drawn faintly for orientation (the grids of the actor's area). */
  units?: OrgUnit[];
  /** A tile URL template from settings; without one the map is a plain background (no internet tiles). */
  tileUrl: string | null;
  height?: number;
  testId?: string;
}

const AREA_KINDS = new Set(['community', 'grid', 'micro_grid']);

/** A small Leaflet map of an order's place; with onPick it is the place picker of the intake form. */
export function OrderMap({ point, onPick, units = [], tileUrl, height = 240, testId = 'order-map' }: Props) {
  const container = useRef<HTMLDivElement>(null);
  const map = useRef<L.Map | null>(null);
  const marker = useRef<L.CircleMarker | null>(null);
  const areas = useRef<L.FeatureGroup | null>(null);
  const onPickRef = useRef(onPick);
  onPickRef.current = onPick;

  useEffect(() => {
    if (!container.current) return;
    const instance = L.map(container.current, { zoomControl: true, attributionControl: !!tileUrl, zoomSnap: 0.25 });
    instance.setView([31.29, 120.62], 14);
    if (tileUrl) L.tileLayer(tileUrl, { maxZoom: 19 }).addTo(instance);
    instance.on('click', (e: L.LeafletMouseEvent) => {
      onPickRef.current?.({ lng: Number(e.latlng.lng.toFixed(6)), lat: Number(e.latlng.lat.toFixed(6)) });
    });
    map.current = instance;
    const observer = new ResizeObserver(() => instance.invalidateSize());
    observer.observe(container.current);
    return () => {
      observer.disconnect();
      instance.remove();
      map.current = null;
      marker.current = null;
      areas.current = null;
    };
  }, [tileUrl]);

  // Faint boundaries; the view fits them when there is no point yet.
  useEffect(() => {
    const instance = map.current;
    if (!instance) return;
    areas.current?.remove();
    const group = L.featureGroup();
    for (const u of units) {
      if (!u.geometry || u.status === 'retired' || !AREA_KINDS.has(u.kind)) continue;
      try {
        const layer = L.geoJSON(u.geometry as GeoJSON.GeoJsonObject, {
          style: () => ({ color: u.kind === 'community' ? '#ef6c00' : '#1e88e5', weight: u.kind === 'micro_grid' ? 0.5 : 1, fillOpacity: 0.03 }),
          interactive: false,
        });
        group.addLayer(layer);
      } catch {
        // a malformed boundary must not break the map
      }
    }
    group.addTo(instance);
    areas.current = group;
    if (!point && group.getLayers().length && group.getBounds().isValid()) instance.fitBounds(group.getBounds(), { padding: [8, 8] });
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [units, tileUrl]);

  useEffect(() => {
    const instance = map.current;
    if (!instance) return;
    if (!point) {
      marker.current?.remove();
      marker.current = null;
      return;
    }
    const at = L.latLng(point.lat, point.lng);
    if (marker.current) marker.current.setLatLng(at);
    else marker.current = L.circleMarker(at, { radius: 9, color: '#c2185b', weight: 3, fillColor: '#c2185b', fillOpacity: 0.5 }).addTo(instance);
    instance.setView(at, Math.max(instance.getZoom(), 15));
  }, [point?.lng, point?.lat, tileUrl]); // eslint-disable-line react-hooks/exhaustive-deps

  return (
    <div
      ref={container}
      className="ht-map"
      data-testid={testId}
      style={{ height, cursor: onPick ? 'crosshair' : undefined }}
    />
  );
}
