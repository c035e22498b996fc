-- 062: the suggestions narrowed by a place or a camera from counts too.
-- The filter panel asks for the regions of the country chosen, the places
-- of that country (and region), the models of the maker chosen: lists
-- narrowed by another value. Those walked every asset of the searched
-- owners holding the narrowing value (the cities of Spain at a million
-- assets: 9,400 rows read, each a clustered-index lookup for its city,
-- and the distinct values sorted in memory, 17.7 ms p50 in `make bench`
-- against 10 ms asked). asset_suggest_counts (sql/037) counted each
-- column alone, so it could not say which cities lie in Spain.
-- asset_suggest_sets counts, per owner, the assets of each combination
-- of a facet's three values: place (country, state, city) and camera
-- (make, model, lens model). Every suggestion of a place narrowed only by
-- places, or of a camera narrowed only by cameras (all that Immich's
-- clients and ours ask), is then the owner's rows of one facet, filtered
-- and made distinct: as many rows as the owner has distinct places (or
-- cameras), whatever the number of assets. A list narrowed across facets
-- (the cities where a Canon was used) still walks the assets
-- (STMT_SEARCH_SUGGESTIONS_BY). It replaces asset_suggest_counts, whose
-- rows it holds grouped (the countries are the distinct first values of
-- the place rows), so a change of an asset writes two rows, not six.
-- What is counted, and how, is as in sql/037: assets not in the trash in
-- the timeline or archive, counted apart for archived ones; per owner,
-- not per viewer (a viewer's archive marks do not change what such a
-- suggestion shows); triggers on asset_search count each row in and out
-- (every change there is a delete and an insert), one on assets before a
-- delete (the cascade fires none). A row that reaches 0 is deleted (as
-- sql/058). The db suite compares the table with its definition, the
-- view asset_suggest_sets_source, after thousands of random changes, and
-- the counted suggestions, narrowed and not, with the walk over assets.

CREATE TABLE IF NOT EXISTS asset_suggest_sets (
  owner_id UUID NOT NULL COMMENT 'whose assets',
  facet ENUM('place', 'camera') NOT NULL
    COMMENT 'place: v1 country, v2 state, v3 city; camera: v1 make, v2 model, v3 lens model',
  h BINARY(32) NOT NULL
    COMMENT 'SHA-256 of JSON_ARRAY(v1, v2, v3): the three values byte for byte, null apart from empty, as one key (three of 255 characters exceed an index key)',
  archived TINYINT(1) NOT NULL COMMENT '1: assets whose visibility is archive (0: timeline)',
  v1 VARCHAR(255) DEFAULT NULL COMMENT 'country or make (as asset_search''s column, null included)',
  v2 VARCHAR(255) DEFAULT NULL COMMENT 'state or model',
  v3 VARCHAR(255) DEFAULT NULL COMMENT 'city or lens model',
  n INT NOT NULL COMMENT 'how many; never 0 (a row that reaches 0 is deleted)',
  PRIMARY KEY (owner_id, facet, h, archived)
    COMMENT 'one owner''s places (or cameras): one index range',
  CONSTRAINT asset_suggest_sets_owner_fk FOREIGN KEY (owner_id) REFERENCES users (id) ON DELETE CASCADE
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci
  COMMENT='per owner, how many assets hold each place and each camera; kept by triggers on asset_search and assets';

-- The one definition of the counts, from asset_search.
CREATE OR REPLACE SQL SECURITY INVOKER VIEW asset_suggest_sets_source AS
  SELECT owner_id, facet, UNHEX(SHA2(JSON_ARRAY(v1, v2, v3), 256)) AS h, archived, v1, v2, v3,
    COUNT(*) AS n
  FROM (SELECT s.owner_id, f.facet, s.visibility = 'archive' AS archived,
      IF(f.facet = 'place', s.country, s.make) AS v1,
      IF(f.facet = 'place', s.state, s.model) AS v2,
      IF(f.facet = 'place', s.city, s.lens_model) AS v3
    FROM asset_search s JOIN (SELECT 'place' AS facet UNION ALL SELECT 'camera') f
    WHERE s.deleted_at IS NULL AND s.visibility IN ('timeline', 'archive')) x
  GROUP BY owner_id, facet, h, archived, v1, v2, v3;

-- Count one asset_search row in (delta 1) or out (-1), if it is counted;
-- then the two rows it moved go if they are at 0. The values in
-- asset_search's character set whatever the database's default (the hash
-- is of their bytes).
DELIMITER $$
CREATE OR REPLACE PROCEDURE asset_suggest_count(owner UUID, vis VARCHAR(16), trashed TINYINT,
    city VARCHAR(255) CHARACTER SET utf8mb4, state VARCHAR(255) CHARACTER SET utf8mb4,
    country VARCHAR(255) CHARACTER SET utf8mb4, make VARCHAR(255) CHARACTER SET utf8mb4,
    model VARCHAR(255) CHARACTER SET utf8mb4, lens VARCHAR(255) CHARACTER SET utf8mb4, delta INT)
  COMMENT 'count one asset_search row in or out of asset_suggest_sets'
BEGIN
  DECLARE hp, hc BINARY(32);
  IF trashed = 0 AND vis IN ('timeline', 'archive') THEN
    SET hp = UNHEX(SHA2(JSON_ARRAY(country, state, city), 256));
    SET hc = UNHEX(SHA2(JSON_ARRAY(make, model, lens), 256));
    INSERT INTO asset_suggest_sets (owner_id, facet, h, archived, v1, v2, v3, n) VALUES
      (owner, 'place', hp, vis = 'archive', country, state, city, delta),
      (owner, 'camera', hc, vis = 'archive', make, model, lens, delta)
    ON DUPLICATE KEY UPDATE n = n + VALUES(n);
    DELETE FROM asset_suggest_sets WHERE owner_id = owner AND archived = (vis = 'archive')
      AND ((facet = 'place' AND h = hp) OR (facet = 'camera' AND h = hc)) AND n = 0;
  END IF;
END$$
DELIMITER ;

-- What sql/037 kept goes: its triggers (on asset_search, and on assets
-- before a delete) call the procedure above by name, so they now count
-- into asset_suggest_sets.
DROP VIEW IF EXISTS asset_suggest_source;
DROP TABLE IF EXISTS asset_suggest_counts;

-- The counts of the rows there already.
INSERT IGNORE INTO asset_suggest_sets (owner_id, facet, h, archived, v1, v2, v3, n)
  SELECT owner_id, facet, h, archived, v1, v2, v3, n FROM asset_suggest_sets_source;
