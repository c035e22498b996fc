-- 058: the marks' and the duplicates' moves of the month counts
-- (asset_mark_counts, sql/050; asset_dup_counts, sql/057) keep no row at
-- 0. Every cache-off months request reads a viewer's rows of both tables;
-- a row that has come back to 0 (a mark removed, a copy shown again, an
-- asset moved to another month) changes no count but was kept forever
-- and read every time. The procedures that move them now delete a row
-- when it reaches 0, in the same statement's trigger, and the db suite's
-- drift checks count a row at 0 as drift.

ALTER TABLE asset_mark_counts MODIFY n INT NOT NULL
  COMMENT 'how many assets to add (negative: to take away) in that state; never 0 (a row that reaches 0 is deleted)';
ALTER TABLE asset_dup_counts MODIFY n INT NOT NULL
  COMMENT 'minus the hidden copies of owner''s in that month; never 0 (a row that reaches 0 is deleted)';

-- One mark of one asset, in the asset's present state, counted (delta 1)
-- or uncounted (-1): out of the default state, into the viewer's; then
-- the two rows it moved go if they are at 0 (the asset is one primary-key
-- read, so both are exact keys).
DELIMITER $$
CREATE OR REPLACE PROCEDURE asset_mark_count(viewer UUID, asset UUID, favorite TINYINT,
    archived TINYINT, delta INT)
  COMMENT 'move one marked asset between the default and the viewer''s state in asset_mark_counts'
BEGIN
  INSERT INTO asset_mark_counts (viewer_id, owner_id, trashed, visibility, shown, favorite, month, n)
    SELECT viewer, a.owner_id, a.deleted_at IS NOT NULL, a.visibility, a.visibility, 0,
        DATE_FORMAT(a.local_date_time, '%Y-%m-01'), -delta
      FROM assets a WHERE a.id = asset
    UNION ALL
    SELECT viewer, a.owner_id, a.deleted_at IS NOT NULL, a.visibility,
        IF(archived = 1 AND a.visibility = 'timeline', 'archive', a.visibility), favorite,
        DATE_FORMAT(a.local_date_time, '%Y-%m-01'), delta
      FROM assets a WHERE a.id = asset
    ON DUPLICATE KEY UPDATE n = n + VALUES(n);
  DELETE c FROM assets a JOIN asset_mark_counts c ON c.viewer_id = viewer
      AND c.owner_id = a.owner_id AND c.trashed = (a.deleted_at IS NOT NULL)
      AND c.visibility = a.visibility
      AND (c.shown, c.favorite) IN ((a.visibility, 0),
        (IF(archived = 1 AND a.visibility = 'timeline', 'archive', a.visibility), favorite))
      AND c.month = DATE_FORMAT(a.local_date_time, '%Y-%m-01')
    WHERE a.id = asset AND c.n = 0;
END$$
DELIMITER ;

-- Every mark of one asset, in one asset state, counted or uncounted; then
-- the rows they moved that are at 0 go (vis in the columns' collation: it
-- is compared with them, and a database's default may differ).
DELIMITER $$
CREATE OR REPLACE PROCEDURE asset_marks_count(asset UUID, owner UUID, trashed TINYINT,
    vis VARCHAR(16) CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci, local DATETIME(3), delta INT)
  COMMENT 'count (1) or uncount (-1) every viewer''s mark of asset in the given state'
BEGIN
  INSERT INTO asset_mark_counts (viewer_id, owner_id, trashed, visibility, shown, favorite, month, n)
    SELECT m.viewer_id, owner, trashed, vis, vis, 0, DATE_FORMAT(local, '%Y-%m-01'), -delta
      FROM asset_marks m WHERE m.asset_id = asset
    UNION ALL
    SELECT m.viewer_id, owner, trashed, vis, IF(m.archived = 1 AND vis = 'timeline', 'archive', vis),
        m.favorite, DATE_FORMAT(local, '%Y-%m-01'), delta
      FROM asset_marks m WHERE m.asset_id = asset
    ON DUPLICATE KEY UPDATE n = n + VALUES(n);
  DELETE c FROM asset_marks m JOIN asset_mark_counts c ON c.viewer_id = m.viewer_id
      AND c.owner_id = owner AND c.trashed = trashed AND c.visibility = vis
      AND (c.shown, c.favorite) IN ((vis, 0),
        (IF(m.archived = 1 AND vis = 'timeline', 'archive', vis), m.favorite))
      AND c.month = DATE_FORMAT(local, '%Y-%m-01')
    WHERE m.asset_id = asset AND c.n = 0;
END$$
DELIMITER ;

-- Count (delta -1) or uncount (1) viewer's hidden copies of checksum cs;
-- then the group's months at 0 go.
DELIMITER $$
CREATE OR REPLACE PROCEDURE asset_dup_count(viewer UUID, cs BINARY(20), delta INT)
  COMMENT 'move asset_dup_counts by delta for each hidden copy of one group'
BEGIN
  INSERT INTO asset_dup_counts (viewer_id, owner_id, month, n)
    SELECT h.viewer_id, h.owner_id, h.month, delta FROM asset_dup_hidden h
    WHERE h.viewer_id = viewer AND h.checksum = cs
    ON DUPLICATE KEY UPDATE n = n + VALUES(n);
  DELETE c FROM asset_dup_hidden h JOIN asset_dup_counts c ON c.viewer_id = h.viewer_id
      AND c.owner_id = h.owner_id AND c.month = h.month
    WHERE h.viewer_id = viewer AND h.checksum = cs AND c.n = 0;
END$$
DELIMITER ;

-- The rows at 0 kept so far.
DELETE FROM asset_mark_counts WHERE n = 0;
DELETE FROM asset_dup_counts WHERE n = 0;
