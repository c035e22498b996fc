-- 038: the map's clusters counted ahead, per owner and grid cell at a few
-- levels, so that a cluster request (GET /api/map/clusters, src/h_map.c)
-- reads a few hundred cells per owner of the map's owner set instead of
-- every one of those owners' positioned assets (40,000 rows at a million
-- assets: 132 ms for the world, 57 ms for a country).
-- A cell of level L is the Web Mercator tile of zoom L holding the asset:
-- (gx >> (24 - L), gy >> (24 - L)) of asset_map's grid (sql/035). A cluster
-- request of cells at level l reads the cells of the smallest level here at
-- or above l and adds them up into its own (cy >> (L - l)): counts and sums
-- add, the sample (the smallest id) and the bounds are a MIN and a MAX.
-- Counted: the assets a map can show, those not in the trash whose
-- visibility is timeline or archive (`archived`: the owner's archive,
-- which only the owner's own map with isArchived shows). The access rule
-- is applied to these rows by the statement (STMT_MAP_CLUSTERS, stmts.c) as
-- to assets: a partner's cells only when timeline; what a count cannot
-- know per viewer (a share's start date, my own archive marks on a
-- partner's assets, isFavorite as my flag, fileCreatedAfter/Before) sends
-- that owner, or the whole request, down the live path over asset_map.
-- Exact arithmetic, so that a cell counted in and out any number of times
-- is the cell counted afresh: the sums of the positions are DECIMAL (the
-- live path sums the same casts), the means are worked out when read.
-- Kept by asset_map_refresh (sql/035's, replaced here), which moves an
-- asset between cells when its row changes in a way that counts, and by a
-- trigger on assets that uncounts an asset about to be deleted (its
-- asset_map row goes by cascade, which fires no trigger); deleting a user
-- removes its cells by cascade. Taking an asset out of a cell whose sample
-- or bounds it was finds the cell's new ones in asset_map's index (one
-- owner's range of rows of the cell). The db suite recounts after every
-- change the access rule cares about and thousands of random ones
-- (asset_map_cells_source), and compares the counted answers with the
-- live ones for every viewer.

CREATE TABLE IF NOT EXISTS asset_map_levels (
  level TINYINT UNSIGNED NOT NULL PRIMARY KEY COMMENT 'a zoom whose cells asset_map_cells counts'
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci
  COMMENT='the levels of asset_map_cells; h_map.c reads the smallest at or above a request''s';
INSERT IGNORE INTO asset_map_levels (level) VALUES (4), (6), (8), (10), (12), (14), (16);

CREATE TABLE IF NOT EXISTS asset_map_cells (
  owner_id UUID NOT NULL COMMENT 'whose assets',
  level TINYINT UNSIGNED NOT NULL COMMENT 'asset_map_levels.level',
  cy INT UNSIGNED NOT NULL COMMENT 'the cell''s row at that level: gy >> (24 - level)',
  cx INT UNSIGNED NOT NULL COMMENT 'its column: gx >> (24 - level)',
  archived TINYINT(1) NOT NULL COMMENT '1: assets whose visibility is archive (0: timeline)',
  n INT NOT NULL COMMENT 'how many (a cell at 0 is deleted)',
  sum_lat DECIMAL(34,20) NOT NULL COMMENT 'the sum of their latitudes, each CAST AS DECIMAL(34,20)',
  sum_lon DECIMAL(34,20) NOT NULL COMMENT 'the sum of their longitudes, likewise',
  sample UUID NOT NULL COMMENT 'the smallest of their ids (the cluster''s assetId)',
  west DOUBLE NOT NULL COMMENT 'the smallest longitude',
  south DOUBLE NOT NULL COMMENT 'the smallest latitude',
  east DOUBLE NOT NULL COMMENT 'the largest longitude',
  north DOUBLE NOT NULL COMMENT 'the largest latitude',
  PRIMARY KEY (owner_id, level, cy, cx, archived)
    COMMENT 'a map view of one owner at one level is one range of cy here',
  CONSTRAINT asset_map_cells_owner_fk FOREIGN KEY (owner_id) REFERENCES users (id) ON DELETE CASCADE
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci
  COMMENT='per owner and map cell at a few levels, how many assets and where; kept with asset_map';

-- The one definition of the cells, from asset_map.
CREATE OR REPLACE SQL SECURITY INVOKER VIEW asset_map_cells_source AS
  SELECT m.owner_id, v.level, m.gy >> (24 - v.level) AS cy, m.gx >> (24 - v.level) AS cx,
    m.visibility = 'archive' AS archived, COUNT(*) AS n,
    SUM(CAST(m.latitude AS DECIMAL(34,20))) AS sum_lat,
    SUM(CAST(m.longitude AS DECIMAL(34,20))) AS sum_lon, MIN(m.id) AS sample,
    MIN(m.longitude) AS west, MIN(m.latitude) AS south, MAX(m.longitude) AS east,
    MAX(m.latitude) AS north
  FROM asset_map m JOIN asset_map_levels v
  WHERE m.deleted_at IS NULL AND m.visibility IN ('timeline', 'archive')
  GROUP BY m.owner_id, v.level, cy, cx, archived;

-- Count one asset_map row in (delta 1) or out (-1) of its cells, if it is
-- counted. Out: a cell left empty goes; one that loses its sample or a
-- bound finds them again among the cell's other assets (never `asset`,
-- whose row may still be there).
DELIMITER $$
CREATE OR REPLACE PROCEDURE asset_map_cells_count(owner UUID, gy INT UNSIGNED,
    gx INT UNSIGNED, asset UUID, lat DOUBLE, lon DOUBLE, vis VARCHAR(16), trashed TINYINT,
    delta INT)
  COMMENT 'count one asset_map row in or out of asset_map_cells'
BEGIN
  DECLARE done INT DEFAULT 0;
  DECLARE lv, sh TINYINT UNSIGNED;
  DECLARE y, x INT UNSIGNED;
  DECLARE arch TINYINT;
  DECLARE left_n INT;
  DECLARE extreme INT;
  DECLARE levels CURSOR FOR SELECT level FROM asset_map_levels ORDER BY level;
  DECLARE CONTINUE HANDLER FOR NOT FOUND SET done = 1;

  IF trashed = 0 AND vis IN ('timeline', 'archive') THEN
    SET arch = vis = 'archive';
    IF delta > 0 THEN
      INSERT INTO asset_map_cells (owner_id, level, cy, cx, archived, n, sum_lat, sum_lon,
          sample, west, south, east, north)
        SELECT owner, v.level, gy >> (24 - v.level), gx >> (24 - v.level), arch, 1,
            CAST(lat AS DECIMAL(34,20)), CAST(lon AS DECIMAL(34,20)), asset, lon, lat, lon, lat
          FROM asset_map_levels v
        ON DUPLICATE KEY UPDATE n = n + 1, sum_lat = sum_lat + VALUES(sum_lat),
          sum_lon = sum_lon + VALUES(sum_lon),
          sample = IF(VALUES(sample) < sample, VALUES(sample), sample),
          west = LEAST(west, VALUES(west)), south = LEAST(south, VALUES(south)),
          east = GREATEST(east, VALUES(east)), north = GREATEST(north, VALUES(north));
    ELSE
      OPEN levels;
      each_level: LOOP
        FETCH levels INTO lv;
        IF done = 1 THEN
          LEAVE each_level;
        END IF;
        SET sh = 24 - lv, y = gy >> sh, x = gx >> sh;
        UPDATE asset_map_cells SET n = n - 1,
            sum_lat = sum_lat - CAST(lat AS DECIMAL(34,20)),
            sum_lon = sum_lon - CAST(lon AS DECIMAL(34,20))
          WHERE owner_id = owner AND level = lv AND cy = y AND cx = x AND archived = arch;
        SELECT COALESCE(MAX(n), 0), COALESCE(MAX(sample = asset OR west = lon OR east = lon
            OR south = lat OR north = lat), 0) INTO left_n, extreme
          FROM asset_map_cells
          WHERE owner_id = owner AND level = lv AND cy = y AND cx = x AND archived = arch;
        IF left_n <= 0 THEN
          DELETE FROM asset_map_cells
            WHERE owner_id = owner AND level = lv AND cy = y AND cx = x AND archived = arch;
        ELSEIF extreme = 1 THEN
          UPDATE asset_map_cells c,
              (SELECT MIN(m.id) AS sample, MIN(m.longitude) AS west, MIN(m.latitude) AS south,
                MAX(m.longitude) AS east, MAX(m.latitude) AS north
              FROM asset_map m
              WHERE m.owner_id = owner AND m.gy BETWEEN y << sh AND (y << sh) + (1 << sh) - 1
                AND m.gx BETWEEN x << sh AND (x << sh) + (1 << sh) - 1 AND m.id <> asset
                AND m.deleted_at IS NULL AND m.visibility = IF(arch = 1, 'archive', 'timeline')) r
            SET c.sample = r.sample, c.west = r.west, c.south = r.south, c.east = r.east,
              c.north = r.north
            WHERE c.owner_id = owner AND c.level = lv AND c.cy = y AND c.cx = x
              AND c.archived = arch;
        END IF;
      END LOOP;
      CLOSE levels;
    END IF;
  END IF;
END$$

-- sql/035's, which now also moves the asset between cells when its row
-- changed in a way the cells count (most updates of an asset do not).
CREATE OR REPLACE PROCEDURE asset_map_refresh(asset UUID)
  COMMENT 'asset_map row of one asset, from asset_map_source, and its cells'
BEGIN
  DECLARE had, has INT;
  DECLARE o1, o2 UUID;
  DECLARE y1, x1, y2, x2 INT UNSIGNED;
  DECLARE lat1, lon1, lat2, lon2 DOUBLE;
  DECLARE v1, v2 VARCHAR(16);
  DECLARE t1, t2 TINYINT;

  SELECT COUNT(*), MAX(owner_id), MAX(gy), MAX(gx), MAX(latitude), MAX(longitude),
      MAX(visibility), MAX(deleted_at IS NOT NULL)
    INTO had, o1, y1, x1, lat1, lon1, v1, t1 FROM asset_map WHERE id = asset;
  DELETE FROM asset_map WHERE id = asset;
  INSERT INTO asset_map SELECT * FROM asset_map_source WHERE id = asset;
  SELECT COUNT(*), MAX(owner_id), MAX(gy), MAX(gx), MAX(latitude), MAX(longitude),
      MAX(visibility), MAX(deleted_at IS NOT NULL)
    INTO has, o2, y2, x2, lat2, lon2, v2, t2 FROM asset_map WHERE id = asset;
  IF NOT (had = 1 AND has = 1 AND o1 = o2 AND y1 = y2 AND x1 = x2 AND lat1 = lat2
      AND lon1 = lon2 AND v1 = v2 AND t1 = t2) THEN
    IF had = 1 THEN
      CALL asset_map_cells_count(o1, y1, x1, asset, lat1, lon1, v1, t1, -1);
    END IF;
    IF has = 1 THEN
      CALL asset_map_cells_count(o2, y2, x2, asset, lat2, lon2, v2, t2, 1);
    END IF;
  END IF;
END$$

-- Before: the cascade removes the asset's asset_map row without a word.
CREATE TRIGGER IF NOT EXISTS assets_map_cells_delete BEFORE DELETE ON assets FOR EACH ROW
BEGIN
  DECLARE had INT;
  DECLARE o UUID;
  DECLARE y, x INT UNSIGNED;
  DECLARE lat, lon DOUBLE;
  DECLARE v VARCHAR(16);
  DECLARE t TINYINT;

  SELECT COUNT(*), MAX(owner_id), MAX(gy), MAX(gx), MAX(latitude), MAX(longitude),
      MAX(visibility), MAX(deleted_at IS NOT NULL)
    INTO had, o, y, x, lat, lon, v, t FROM asset_map WHERE id = OLD.id;
  IF had = 1 THEN
    CALL asset_map_cells_count(o, y, x, OLD.id, lat, lon, v, t, -1);
  END IF;
END$$
DELIMITER ;

-- The cells of the rows there already.
INSERT IGNORE INTO asset_map_cells (owner_id, level, cy, cx, archived, n, sum_lat, sum_lon,
    sample, west, south, east, north)
  SELECT owner_id, level, cy, cx, archived, n, sum_lat, sum_lon, sample, west, south, east,
    north FROM asset_map_cells_source;
