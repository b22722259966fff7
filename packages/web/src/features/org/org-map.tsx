import L from 'leaflet';
import { useEffect, useRef } from 'react';
import type { OrgUnit } from '../../api/types';
import { subtreeIds } from './use-org-tree';

interface Props {
  units: OrgUnit[];
  selectedId: number | null;
  onSelect: (id: number) => void;
  /** A tile URL template from settings; without one, polygons are drawn on a plain background. */
  tileUrl: string | null;
}

const KIND_COLORS: Record<string, string> = {
  city: '#3949ab',
  district: '#5c6bc0',
  street: '#26a69a',
  community: '#ef6c00',
  grid: '#1e88e5',
  micro_grid: '#8e24aa',
  department: '#757575',
};

// Draw larger areas first so that smaller ones sit on top and stay clickable.
const KIND_ORDER = ['city', 'district', 'street', 'community', 'department', 'grid', 'micro_grid'];

/** A Leaflet map of the org units' boundaries; clicking an area selects it. */
export function OrgMap({ units, selectedId, onSelect, tileUrl }: Props) {
  const container = useRef<HTMLDivElement>(null);
  const map = useRef<L.Map | null>(null);
  const layers = useRef<Map<number, L.GeoJSON>>(new Map());
  const onSelectRef = useRef(onSelect);
  onSelectRef.current = onSelect;

  // Create the map once.
  useEffect(() => {
    if (!container.current) return;
    const instance = L.map(container.current, { zoomControl: true, attributionControl: !!tileUrl, zoomSnap: 0.25 });
    instance.setView([31.3, 120.6], 12);
    if (tileUrl) L.tileLayer(tileUrl, { maxZoom: 19 }).addTo(instance);
    map.current = instance;
    // The container may get its size after layout (drawers, flex); keep Leaflet informed.
    const observer = new ResizeObserver(() => instance.invalidateSize());
    observer.observe(container.current);
    return () => {
      observer.disconnect();
      instance.remove();
      map.current = null;
      layers.current.clear();
    };
  }, [tileUrl]);

  // Redraw polygons when the units change.
  useEffect(() => {
    const instance = map.current;
    if (!instance) return;
    layers.current.forEach((layer) => layer.remove());
    layers.current.clear();
    const drawn = units
      .filter((u) => u.geometry && u.status !== 'retired')
      .sort((a, b) => KIND_ORDER.indexOf(a.kind) - KIND_ORDER.indexOf(b.kind));
    for (const unit of drawn) {
      try {
        const layer = L.geoJSON(unit.geometry as GeoJSON.GeoJsonObject, { style: () => baseStyle(unit.kind) });
        layer.bindTooltip(unit.name, { sticky: true });
        layer.on('click', () => onSelectRef.current(unit.id));
        layer.addTo(instance);
        layers.current.set(unit.id, layer);
      } catch {
        // a malformed geometry must not break the whole map
      }
    }
    const all = L.featureGroup([...layers.current.values()]);
    if (layers.current.size > 0 && all.getBounds().isValid()) instance.fitBounds(all.getBounds(), { padding: [16, 16] });
  }, [units, tileUrl]);

  // Highlight and zoom to the selection; a unit without a boundary shows its descendants' areas.
  useEffect(() => {
    const instance = map.current;
    if (!instance) return;
    const byId = new Map(units.map((u) => [u.id, u]));
    const highlighted = new Set<number>();
    if (selectedId !== null) {
      if (layers.current.has(selectedId)) highlighted.add(selectedId);
      else subtreeIds(units, selectedId).forEach((id) => layers.current.has(id) && highlighted.add(id));
    }
    layers.current.forEach((layer, id) => {
      layer.setStyle(highlighted.has(id) ? selectedStyle() : baseStyle(byId.get(id)?.kind ?? 'grid'));
    });
    const chosen = [...highlighted].map((id) => layers.current.get(id)!).filter(Boolean);
    chosen.forEach((layer) => layer.bringToFront());
    if (chosen.length > 0) {
      const bounds = L.featureGroup(chosen).getBounds();
      if (bounds.isValid()) instance.fitBounds(bounds, { padding: [24, 24], maxZoom: 18 });
    }
  }, [selectedId, units]);

  return <div ref={container} className="ht-map" data-testid="org-map" />;
}

function baseStyle(kind: string): L.PathOptions {
  const color = KIND_COLORS[kind] ?? '#1e88e5';
  return { color, weight: kind === 'micro_grid' ? 1 : 2, fillColor: color, fillOpacity: 0.08 };
}

function selectedStyle(): L.PathOptions {
  return { color: '#c2185b', weight: 4, fillColor: '#c2185b', fillOpacity: 0.3 };
}
