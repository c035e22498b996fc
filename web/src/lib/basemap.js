// A map background that needs no tile server: the land and the countries'
// borders from Natural Earth (npm's world-atlas, drawn with Leaflet from
// TopoJSON by topojson-client), in a pane under the tiles. With tiles
// configured and reachable they cover it; with none configured, or offline
// (a home server on a LAN, a test machine), a person still sees where a
// place is instead of markers on a blank colour. The coarse outline (110m,
// 38 KB gzipped) comes first; the finer one (50m, 230 KB) only when the map
// is zoomed in to a region and no tile has arrived.

const FINE_FROM = 4;	// the zoom from which the 110m outline looks wrong

import coarseUrl from 'world-atlas/countries-110m.json?url';
import fineUrl from 'world-atlas/countries-50m.json?url';

// A ring that crosses the antimeridian (Russia's east, Fiji, Antarctica)
// jumps from +180 to -180: Leaflet would draw that jump as a line across
// the world. Keep each ring's longitudes continuous instead (past 180).
function unwrap(rings) {
  for (const ring of rings)
    for (let i = 1; i < ring.length; i++) {
      const d = ring[i][0] - ring[i - 1][0];
      if (d > 180) ring[i] = [ring[i][0] - 360, ring[i][1]];
      else if (d < -180) ring[i] = [ring[i][0] + 360, ring[i][1]];
    }
}

function shifted(features, dx) {
  const move = (c) => (typeof c[0] === 'number' ? [c[0] + dx, c[1]] : c.map(move));
  return features.map((f) => ({ ...f, geometry: { ...f.geometry, coordinates: move(f.geometry.coordinates) } }));
}

// The outline at url (a hashed file under /assets/, fetched as JSON: the
// browser parses JSON faster than the same data as a script); copies
// either side of the world, for views wider than one world.
function toLayer(L, url, renderer, copies) {
  const topo = fetch(url).then((r) => { if (!r.ok) throw new Error(r.statusText); return r.json(); });
  return Promise.all([import('topojson-client'), topo]).then(([{ feature }, t]) => {
    let features = feature(t, t.objects.countries).features;
    for (const f of features) {
      const g = f.geometry;
      if (g?.type === 'Polygon') unwrap(g.coordinates);
      else if (g?.type === 'MultiPolygon') g.coordinates.forEach(unwrap);
    }
    if (copies) features = [...features, ...shifted(features, -360), ...shifted(features, 360)];
    return L.geoJSON({ type: 'FeatureCollection', features }, {
      pane: 'basemap', renderer, interactive: false, attribution: 'Natural Earth',
      style: { color: '#b9b3a7', weight: 0.7, fillColor: '#f3f0e8', fillOpacity: 1 },
    });
  });
}

// The tiles of map_tile_url (partnerd.conf, the config's mapTileUrl), if
// any, and under them the outline.
export function addMapBackground(L, map, url) {
  let tiles = null;
  if (url) {
    const osm = /openstreetmap\.org/.test(url);
    tiles = L.tileLayer(url, { maxZoom: 19, attribution: osm ? '&copy; <a href="https://www.openstreetmap.org/copyright">OpenStreetMap</a> contributors' : '' }).addTo(map);
  }
  addBasemap(L, map, tiles);
}

// addBasemap(L, map, tiles): tiles is the map's tile layer or null. Drawn
// when there are no tiles, or when they fail (or none arrives in 3 s).
function addBasemap(L, map, tiles) {
  const pane = map.createPane('basemap');
  pane.style.zIndex = 150;	// under the tile pane (200)
  const renderer = L.canvas({ pane: 'basemap', padding: 0.3 });
  let tilesOk = tiles ? null : false, gone = false;
  let coarse = null, fine = null, coarseAsked = false, fineAsked = false;

  const show = () => {
    if (gone) return;
    const useFine = fine && map.getZoom() >= FINE_FROM;
    if (useFine) { if (coarse) map.removeLayer(coarse); if (!map.hasLayer(fine)) fine.addTo(map); }
    else { if (fine) map.removeLayer(fine); if (coarse && !map.hasLayer(coarse)) coarse.addTo(map); }
  };
  const update = () => {
    if (gone || tilesOk !== false) return;
    if (!coarseAsked) {
      coarseAsked = true;
      toLayer(L, coarseUrl, renderer, true)
        .then((l) => { coarse = l; show(); }).catch(() => {});
    }
    if (!fineAsked && map.getZoom() >= FINE_FROM) {
      fineAsked = true;
      toLayer(L, fineUrl, renderer, false)
        .then((l) => { fine = l; show(); }).catch(() => {});
    }
    show();
  };
  const noTiles = () => { if (tilesOk === null) { tilesOk = false; update(); } };
  if (tiles) {
    tiles.once('tileload', () => { if (tilesOk === null) tilesOk = true; });
    tiles.once('tileerror', noTiles);
    setTimeout(noTiles, 3000);
  }
  map.on('zoomend', update);
  map.on('unload', () => { gone = true; });
  update();
}
