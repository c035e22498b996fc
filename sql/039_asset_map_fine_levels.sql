-- 039: two finer levels of the map's counted cells (sql/038), 18 and 20,
-- so that a map zoomed in to 15 .. 18 (cells of zoom 17 .. 20) reads
-- counted cells too. Before, those views read each owner's assets one
-- zoom-24 grid row at a time: up to 4,096 rows per owner, most of them
-- empty (36 ms at zoom 15 for a user and three partners at a million
-- assets, against a target of 30). Level 20's cells are 38 m wide at the
-- equator: in a real library most photos taken on one outing share one.
-- Finer views (zoom 19 and more) read a few hundred grid rows per owner
-- and stay on the assets. asset_map_cells_count (sql/038) keeps every
-- level of asset_map_levels, so the new ones are kept from here on: two
-- more cell rows written per change that moves an asset between cells.

INSERT IGNORE INTO asset_map_levels (level) VALUES (18), (20);

-- The cells of the rows there already, at the new levels (safe to run
-- again: a cell there is left as it is).
INSERT IGNORE INTO asset_map_cells (owner_id, level, cy, cx, archived, n, sum_lat, sum_lon,
    sample, west, south, east, north)
  SELECT owner_id, level, cy, cx, archived, n, sum_lat, sum_lon, sample, west, south, east,
    north FROM asset_map_cells_source WHERE level IN (18, 20);
