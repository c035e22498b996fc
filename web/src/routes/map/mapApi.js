// The map's calls. partnerd's clusters route (GET /api/map/clusters) and
// the bbox it adds to Immich's markers (the photos of one cluster) are
// words @immich/sdk does not have (its getMapMarkers drops a bbox), so
// these two go through the SDK's own fetch (the one api.js installed, so a
// 401 still ends the session) and its base URL.
import { defaults, getBaseUrl } from '@immich/sdk';

/* The filters as query parameters: partners, favourites, a date range. */
export function filterParams({ withPartners, favorites, from, to }) {
  const p = {};
  if (withPartners) p.withPartners = 'true';
  if (favorites) p.isFavorite = 'true';
  if (from) p.fileCreatedAfter = new Date(from + 'T00:00:00').toISOString();
  if (to) p.fileCreatedBefore = new Date(to + 'T23:59:59.999').toISOString();
  return p;
}

async function getJson(path, params, signal) {
  const res = await (defaults.fetch || fetch)(`${getBaseUrl()}${path}?${new URLSearchParams(params)}`, { signal });
  const body = await res.json().catch(() => null);
  if (!res.ok) throw Object.assign(new Error(body?.message || `The map could not be loaded (${res.status})`), { status: res.status });
  return body;
}

/* A Leaflet view as the server's bbox: west,south,east,north within
 * -180..180 (a view across the antimeridian has west > east). */
export function viewBox(bounds) {
  const wrap = (x) => ((((x + 180) % 360) + 360) % 360) - 180;
  let w = bounds.getWest(), e = bounds.getEast();
  if (e - w >= 360) { w = -180; e = 180; } else { w = wrap(w); e = wrap(e); if (e === -180) e = 180; }
  const clamp = (y) => Math.max(-90, Math.min(90, y));
  return [w, clamp(bounds.getSouth()), e, clamp(bounds.getNorth())].map((x) => +x.toFixed(6)).join(',');
}

/* Clusters of a view at a zoom: [{count, latitude, longitude, assetId, bbox}]. */
export const getClusters = (bbox, zoom, filters, signal) =>
  getJson('/map/clusters', { bbox, zoom: String(zoom), ...filterParams(filters) }, signal);

/* The photos of one cluster: its bbox's markers, under the same filters. */
export const getClusterMarkers = (bbox, filters, signal) =>
  getJson('/map/markers', { bbox: bbox.join(','), ...filterParams(filters) }, signal);
