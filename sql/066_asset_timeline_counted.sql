-- 066: the months list of my timeline reads one row a month per owner
-- (issue 14: the months list with the answers cache off). Its statement
-- (STMT_TIMELINE_OWNERS_VIEW) read, per owner, the owner's month counts
-- (sql/004: a row per favourite state and month) and then my netted moves
-- of them (sql/063), two correlated lookups per owner; at a million
-- assets bench0's statement took 0.49-0.54 ms where the counts alone took
-- 0.31-0.34 ms. asset_timeline_moves now also carries the count each
-- viewer's view starts from: `counted`, the owner's assets of that month
-- in the timeline and not in the trash (any favourite), kept for the
-- owner and for each user the owner shares with (whatever the share's
-- Show in timeline or start date: the reading statement applies the
-- access rule to its rows, as it did to the month counts). That view
-- then sums counted, marks and dups of one row a month.
-- Kept like the rest of the table: asset_timeline_moves_source is the
-- definition, now with this column too; triggers on asset_month_counts
-- (whose rows change only by n, by INSERT ... ON DUPLICATE KEY UPDATE)
-- move the owner's row and each recipient's; triggers on partners add a
-- recipient's rows when a share is made and take them away when it ends.
-- A row goes when its three sums are 0. The db suite compares the table
-- with its definition after thousands of random changes (shares made and
-- ended among them) and every viewer's months with the rows shown.

ALTER TABLE asset_timeline_moves ADD COLUMN IF NOT EXISTS counted INT NOT NULL DEFAULT 0
  COMMENT 'the owner''s assets of the month in the timeline and not in the trash (asset_month_counts, any favourite), for the owner and each of the owner''s recipients';

CREATE OR REPLACE SQL SECURITY INVOKER VIEW asset_timeline_moves_source AS
  SELECT viewer_id, owner_id, month, CAST(SUM(marks) AS SIGNED) AS marks,
    CAST(SUM(dups) AS SIGNED) AS dups, CAST(SUM(counted) AS SIGNED) AS counted
  FROM (SELECT viewer_id, owner_id, month, n AS marks, 0 AS dups, 0 AS counted
      FROM asset_mark_counts WHERE trashed = 0 AND shown = 'timeline'
    UNION ALL
    SELECT viewer_id, owner_id, month, 0, n, 0 FROM asset_dup_counts
    UNION ALL
    SELECT owner_id, owner_id, month, 0, 0, n FROM asset_month_counts
      WHERE trashed = 0 AND visibility = 'timeline'
    UNION ALL
    SELECT p.shared_with_id, c.owner_id, c.month, 0, 0, c.n
      FROM partners p JOIN asset_month_counts c ON c.owner_id = p.shared_by_id
      WHERE c.trashed = 0 AND c.visibility = 'timeline') x
  GROUP BY viewer_id, owner_id, month
  HAVING SUM(marks) <> 0 OR SUM(dups) <> 0 OR SUM(counted) <> 0;

-- Move one month by (dm, dd); the row goes when its three sums are 0.
DELIMITER $$
CREATE OR REPLACE PROCEDURE asset_timeline_move(viewer UUID, owner UUID, mon DATE, dm INT, dd INT)
  COMMENT 'move one viewer''s netted month of an owner in asset_timeline_moves'
BEGIN
  IF dm <> 0 OR dd <> 0 THEN
    INSERT INTO asset_timeline_moves (viewer_id, owner_id, month, marks, dups)
      VALUES (viewer, owner, mon, dm, dd)
      ON DUPLICATE KEY UPDATE marks = marks + VALUES(marks), dups = dups + VALUES(dups);
    DELETE FROM asset_timeline_moves WHERE viewer_id = viewer AND owner_id = owner
      AND month = mon AND marks = 0 AND dups = 0 AND counted = 0;
  END IF;
END$$
DELIMITER ;

-- Move the counted month of one viewer of owner by dn. A count never
-- goes below 0, so only a fall can leave a row at 0 to delete. (No
-- comments inside a routine: the mariadb client drops them, and an
-- imported schema must equal a migrated one.)
DELIMITER $$
CREATE OR REPLACE PROCEDURE asset_timeline_count(viewer UUID, owner UUID, mon DATE, dn INT)
  COMMENT 'move one viewer''s counted month of an owner in asset_timeline_moves'
BEGIN
  IF dn <> 0 THEN
    INSERT INTO asset_timeline_moves (viewer_id, owner_id, month, marks, dups, counted)
      VALUES (viewer, owner, mon, 0, 0, dn)
      ON DUPLICATE KEY UPDATE counted = counted + VALUES(counted);
    IF dn < 0 THEN
      DELETE FROM asset_timeline_moves WHERE viewer_id = viewer AND owner_id = owner
        AND month = mon AND marks = 0 AND dups = 0 AND counted = 0;
    END IF;
  END IF;
END$$
DELIMITER ;

-- The owner's month moved by dn: the owner's row and each recipient's.
DELIMITER $$
CREATE OR REPLACE PROCEDURE asset_timeline_counted(owner UUID, mon DATE, dn INT)
  COMMENT 'move an owner''s counted month for the owner and every recipient'
BEGIN
  IF dn <> 0 THEN
    CALL asset_timeline_count(owner, owner, mon, dn);
    FOR r IN (SELECT p.shared_with_id AS viewer FROM partners p WHERE p.shared_by_id = owner) DO
      CALL asset_timeline_count(r.viewer, owner, mon, dn);
    END FOR;
  END IF;
END$$
DELIMITER ;

-- A share's rows, added (sign 1) or taken away (-1): every counted month
-- of the sharer, for the recipient.
DELIMITER $$
CREATE OR REPLACE PROCEDURE asset_timeline_share(sharer UUID, viewer UUID, sign INT)
  COMMENT 'add or take away the counted months of a share in asset_timeline_moves'
BEGIN
  INSERT INTO asset_timeline_moves (viewer_id, owner_id, month, marks, dups, counted)
    SELECT viewer, c.owner_id, c.month, 0, 0, sign * SUM(c.n) FROM asset_month_counts c
    WHERE c.owner_id = sharer AND c.trashed = 0 AND c.visibility = 'timeline'
    GROUP BY c.month HAVING SUM(c.n) <> 0
    ON DUPLICATE KEY UPDATE counted = counted + VALUES(counted);
  DELETE FROM asset_timeline_moves WHERE viewer_id = viewer AND owner_id = sharer
    AND marks = 0 AND dups = 0 AND counted = 0;
END$$
DELIMITER ;

-- A row of asset_month_counts counts when its assets are in the timeline
-- and not in the trash.
CREATE TRIGGER IF NOT EXISTS asset_month_counts_counted_insert AFTER INSERT ON asset_month_counts
  FOR EACH ROW CALL asset_timeline_counted(NEW.owner_id, NEW.month,
    IF(NEW.trashed = 0 AND NEW.visibility = 'timeline', NEW.n, 0));
DELIMITER $$
CREATE TRIGGER IF NOT EXISTS asset_month_counts_counted_update AFTER UPDATE ON asset_month_counts
FOR EACH ROW
BEGIN
  IF OLD.owner_id <=> NEW.owner_id AND OLD.month <=> NEW.month
      AND OLD.trashed <=> NEW.trashed AND OLD.visibility <=> NEW.visibility THEN
    CALL asset_timeline_counted(NEW.owner_id, NEW.month,
      IF(NEW.trashed = 0 AND NEW.visibility = 'timeline', NEW.n - OLD.n, 0));
  ELSE
    CALL asset_timeline_counted(OLD.owner_id, OLD.month,
      IF(OLD.trashed = 0 AND OLD.visibility = 'timeline', -OLD.n, 0));
    CALL asset_timeline_counted(NEW.owner_id, NEW.month,
      IF(NEW.trashed = 0 AND NEW.visibility = 'timeline', NEW.n, 0));
  END IF;
END$$
DELIMITER ;
CREATE TRIGGER IF NOT EXISTS asset_month_counts_counted_delete AFTER DELETE ON asset_month_counts
  FOR EACH ROW CALL asset_timeline_counted(OLD.owner_id, OLD.month,
    IF(OLD.trashed = 0 AND OLD.visibility = 'timeline', -OLD.n, 0));

CREATE TRIGGER IF NOT EXISTS partners_counted_insert AFTER INSERT ON partners FOR EACH ROW
  CALL asset_timeline_share(NEW.shared_by_id, NEW.shared_with_id, 1);
DELIMITER $$
CREATE TRIGGER IF NOT EXISTS partners_counted_update AFTER UPDATE ON partners FOR EACH ROW
BEGIN
  IF NOT (OLD.shared_by_id <=> NEW.shared_by_id AND OLD.shared_with_id <=> NEW.shared_with_id) THEN
    CALL asset_timeline_share(OLD.shared_by_id, OLD.shared_with_id, -1);
    CALL asset_timeline_share(NEW.shared_by_id, NEW.shared_with_id, 1);
  END IF;
END$$
DELIMITER ;
CREATE TRIGGER IF NOT EXISTS partners_counted_delete AFTER DELETE ON partners FOR EACH ROW
  CALL asset_timeline_share(OLD.shared_by_id, OLD.shared_with_id, -1);

-- The counted months there already.
INSERT INTO asset_timeline_moves (viewer_id, owner_id, month, marks, dups, counted)
  SELECT s.viewer_id, s.owner_id, s.month, s.marks, s.dups, s.counted
  FROM asset_timeline_moves_source s WHERE s.counted <> 0
  ON DUPLICATE KEY UPDATE counted = VALUES(counted);
