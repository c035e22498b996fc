-- 037: how many of each owner's assets hold each place and camera value,
-- so that the suggestions with nothing to narrow them by (the countries,
-- the camera makers: GET /api/search/suggestions?type=country) read a few
-- rows per owner of the searched set instead of every asset of those
-- owners (40,000 rows, 140 ms at a million assets; src/h_search.c).
-- Counted: the assets such a suggestion can show, those not in the trash
-- whose visibility is timeline or archive (a partner's only when
-- timeline: the statement, STMT_SEARCH_SUGGESTIONS in stmts.c, applies the
-- access rule's partner clause to `archived`). A viewer's own archive
-- marks (sql/050) do not change what such a suggestion shows (a partner's
-- asset I archived is shown as 'archive', which it still matches), so the
-- counts are per owner, not per viewer.
-- Derived from asset_search (sql/036), whose every change is a delete and
-- an insert of one row (asset_search_refresh): triggers on it count each
-- row in and out; deleting an asset removes its row by cascade, which
-- fires no trigger, so a trigger on assets uncounts it first (as sql/050);
-- deleting a user removes its counts by cascade. The db suite recounts
-- after every change the access rule cares about and thousands of random
-- ones (asset_suggest_source).

CREATE TABLE IF NOT EXISTS asset_suggest_counts (
  owner_id UUID NOT NULL COMMENT 'whose assets',
  kind ENUM('country', 'state', 'city', 'camera-make', 'camera-model', 'camera-lens-model') NOT NULL
    COMMENT 'the suggestion type, as the request names it',
  known TINYINT(1) NOT NULL COMMENT '0: the column is null (value is then empty)',
  value VARCHAR(255) CHARACTER SET utf8mb4 COLLATE utf8mb4_nopad_bin NOT NULL
    COMMENT 'the column''s value, byte for byte (the statement compares it as asset_search does)',
  archived TINYINT(1) NOT NULL COMMENT '1: assets whose visibility is archive (0: timeline)',
  n INT NOT NULL COMMENT 'how many; rows at 0 are kept and skipped',
  PRIMARY KEY (owner_id, kind, known, value, archived)
    COMMENT 'one owner''s values of one kind: one index range',
  CONSTRAINT asset_suggest_counts_owner_fk FOREIGN KEY (owner_id) REFERENCES users (id) ON DELETE CASCADE
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci
  COMMENT='per owner, how many assets hold each place and camera value; kept by triggers on asset_search and assets';

-- The one definition of the counts, from asset_search.
CREATE OR REPLACE SQL SECURITY INVOKER VIEW asset_suggest_source AS
  SELECT owner_id, kind, v IS NOT NULL AS known,
    CAST(COALESCE(v, '') AS CHAR(255) CHARACTER SET utf8mb4) COLLATE utf8mb4_nopad_bin AS value,
    visibility = 'archive' AS archived, COUNT(*) AS n
  FROM (SELECT s.owner_id, s.visibility, k.kind, CASE k.kind WHEN 'country' THEN s.country
      WHEN 'state' THEN s.state WHEN 'city' THEN s.city WHEN 'camera-make' THEN s.make
      WHEN 'camera-model' THEN s.model ELSE s.lens_model END AS v
    FROM asset_search s
    JOIN (SELECT 'country' AS kind UNION ALL SELECT 'state' UNION ALL SELECT 'city'
      UNION ALL SELECT 'camera-make' UNION ALL SELECT 'camera-model'
      UNION ALL SELECT 'camera-lens-model') k
    WHERE s.deleted_at IS NULL AND s.visibility IN ('timeline', 'archive')) x
  GROUP BY owner_id, kind, known, value, archived;

-- Count one asset_search row in (delta 1) or out (-1), if it is counted.
DELIMITER $$
CREATE OR REPLACE PROCEDURE asset_suggest_count(owner UUID, vis VARCHAR(16), trashed TINYINT,
    city VARCHAR(255), state VARCHAR(255), country VARCHAR(255), make VARCHAR(255),
    model VARCHAR(255), lens VARCHAR(255), delta INT)
  COMMENT 'count one asset_search row in or out of asset_suggest_counts'
BEGIN
  IF trashed = 0 AND vis IN ('timeline', 'archive') THEN
    INSERT INTO asset_suggest_counts (owner_id, kind, known, value, archived, n) VALUES
      (owner, 'country', country IS NOT NULL, COALESCE(country, ''), vis = 'archive', delta),
      (owner, 'state', state IS NOT NULL, COALESCE(state, ''), vis = 'archive', delta),
      (owner, 'city', city IS NOT NULL, COALESCE(city, ''), vis = 'archive', delta),
      (owner, 'camera-make', make IS NOT NULL, COALESCE(make, ''), vis = 'archive', delta),
      (owner, 'camera-model', model IS NOT NULL, COALESCE(model, ''), vis = 'archive', delta),
      (owner, 'camera-lens-model', lens IS NOT NULL, COALESCE(lens, ''), vis = 'archive', delta)
    ON DUPLICATE KEY UPDATE n = n + VALUES(n);
  END IF;
END$$
DELIMITER ;

CREATE TRIGGER IF NOT EXISTS asset_search_suggest_insert AFTER INSERT ON asset_search FOR EACH ROW
  CALL asset_suggest_count(NEW.owner_id, NEW.visibility, NEW.deleted_at IS NOT NULL, NEW.city,
    NEW.state, NEW.country, NEW.make, NEW.model, NEW.lens_model, 1);
CREATE TRIGGER IF NOT EXISTS asset_search_suggest_delete AFTER DELETE ON asset_search FOR EACH ROW
  CALL asset_suggest_count(OLD.owner_id, OLD.visibility, OLD.deleted_at IS NOT NULL, OLD.city,
    OLD.state, OLD.country, OLD.make, OLD.model, OLD.lens_model, -1);
-- Before: the cascade removes the asset's asset_search row without its
-- triggers (MariaDB fires none for cascades).
DELIMITER $$
CREATE TRIGGER IF NOT EXISTS assets_suggest_delete BEFORE DELETE ON assets FOR EACH ROW
BEGIN
  DECLARE done INT DEFAULT 0;
  DECLARE o UUID;
  DECLARE v VARCHAR(16);
  DECLARE t TINYINT;
  DECLARE c1, c2, c3, c4, c5, c6 VARCHAR(255);
  DECLARE cur CURSOR FOR SELECT owner_id, visibility, deleted_at IS NOT NULL, city, state,
    country, make, model, lens_model FROM asset_search WHERE id = OLD.id;
  DECLARE CONTINUE HANDLER FOR NOT FOUND SET done = 1;
  OPEN cur;
  FETCH cur INTO o, v, t, c1, c2, c3, c4, c5, c6;
  IF done = 0 THEN
    CALL asset_suggest_count(o, v, t, c1, c2, c3, c4, c5, c6, -1);
  END IF;
  CLOSE cur;
END$$
DELIMITER ;

-- The counts of the rows there already.
INSERT IGNORE INTO asset_suggest_counts (owner_id, kind, known, value, archived, n)
  SELECT owner_id, kind, known, value, archived, n FROM asset_suggest_source;
