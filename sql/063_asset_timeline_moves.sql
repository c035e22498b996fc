-- 063: my marks' and my hidden copies' moves of a partner's timeline
-- months, netted per month (issue 18's "within 10 %"). The months list
-- of my timeline with partners (visibility timeline, any favourite, not
-- the trash: what the web app and Immich's clients ask on every start)
-- read, per partner, the month counts (sql/004) and every row of my
-- marks' moves of them (asset_mark_counts, sql/050: one out of the
-- default state and one into mine per state and month, three rows a
-- month for favourites and archive marks spread over the library) and of
-- my hidden duplicates (asset_dup_counts, sql/057). At a million assets
-- that was 657 rows where a viewer without marks read 257, and the
-- months list ran at 75-85 % of the rate of a viewer without them.
-- For that view only the sum per month matters: a favourite mark moves
-- an asset between two states both counted (no change), an archive mark
-- takes it out, a hidden copy takes it out when my timeline is merged.
-- asset_timeline_moves holds those two sums per viewer, owner and month
-- (one row a month), so that view reads one row a month per partner
-- beside the month counts; every other view (favourites only, the
-- archive, hidden, the trash) still reads the moves themselves.
-- Derived from the two tables, by triggers on them (the procedures of
-- sql/050, 057 and 058 write them, in the same statement as the change
-- they count; neither table has a foreign key, so no cascade removes
-- their rows unseen). A row whose sums are both 0 is deleted. The db
-- suite compares the table with its definition, the view
-- asset_timeline_moves_source, after thousands of random changes, and
-- the months of every viewer's timeline with the rows it shows.

CREATE TABLE IF NOT EXISTS asset_timeline_moves (
  viewer_id UUID NOT NULL COMMENT 'whose timeline',
  owner_id UUID NOT NULL COMMENT 'whose assets',
  month DATE NOT NULL COMMENT 'first day of the local calendar month of the capture time',
  marks INT NOT NULL
    COMMENT 'the viewer''s marks'' moves of the owner''s timeline assets not in the trash: minus those archived for the viewer (asset_mark_counts rows shown in the timeline, summed)',
  dups INT NOT NULL
    COMMENT 'minus the copies of the owner''s that the viewer''s merged views hide (asset_dup_counts)',
  PRIMARY KEY (viewer_id, owner_id, month) COMMENT 'one index range per viewer and owner'
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci
  COMMENT='per viewer, owner and month, the marks'' and hidden copies'' moves of the timeline count; kept by triggers';

-- The one definition, from the two tables of moves.
CREATE OR REPLACE SQL SECURITY INVOKER VIEW asset_timeline_moves_source AS
  SELECT viewer_id, owner_id, month, CAST(SUM(marks) AS SIGNED) AS marks,
    CAST(SUM(dups) AS SIGNED) AS dups
  FROM (SELECT viewer_id, owner_id, month, n AS marks, 0 AS dups FROM asset_mark_counts
      WHERE trashed = 0 AND shown = 'timeline'
    UNION ALL
    SELECT viewer_id, owner_id, month, 0, n FROM asset_dup_counts) x
  GROUP BY viewer_id, owner_id, month
  HAVING SUM(marks) <> 0 OR SUM(dups) <> 0;

-- Move one month by (dm, dd); the row goes when both reach 0.
DELIMITER $$
CREATE OR REPLACE PROCEDURE asset_timeline_move(viewer UUID, owner UUID, mon DATE, dm INT, dd INT)
  COMMENT 'move one viewer''s netted month of an owner in asset_timeline_moves'
BEGIN
  IF dm <> 0 OR dd <> 0 THEN
    INSERT INTO asset_timeline_moves (viewer_id, owner_id, month, marks, dups)
      VALUES (viewer, owner, mon, dm, dd)
      ON DUPLICATE KEY UPDATE marks = marks + VALUES(marks), dups = dups + VALUES(dups);
    DELETE FROM asset_timeline_moves WHERE viewer_id = viewer AND owner_id = owner
      AND month = mon AND marks = 0 AND dups = 0;
  END IF;
END$$
DELIMITER ;

-- A row of asset_mark_counts counts in the timeline when it is shown
-- there and not in the trash. Its rows change only by n (their key is the
-- state: the procedures insert or add to n, and delete at 0), so an update
-- moves its own month by the difference.
CREATE TRIGGER IF NOT EXISTS asset_mark_counts_moves_insert AFTER INSERT ON asset_mark_counts
  FOR EACH ROW CALL asset_timeline_move(NEW.viewer_id, NEW.owner_id, NEW.month,
    IF(NEW.trashed = 0 AND NEW.shown = 'timeline', NEW.n, 0), 0);
CREATE TRIGGER IF NOT EXISTS asset_mark_counts_moves_update AFTER UPDATE ON asset_mark_counts
  FOR EACH ROW CALL asset_timeline_move(NEW.viewer_id, NEW.owner_id, NEW.month,
    IF(NEW.trashed = 0 AND NEW.shown = 'timeline', NEW.n - OLD.n, 0), 0);
CREATE TRIGGER IF NOT EXISTS asset_mark_counts_moves_delete AFTER DELETE ON asset_mark_counts
  FOR EACH ROW CALL asset_timeline_move(OLD.viewer_id, OLD.owner_id, OLD.month,
    IF(OLD.trashed = 0 AND OLD.shown = 'timeline', -OLD.n, 0), 0);

CREATE TRIGGER IF NOT EXISTS asset_dup_counts_moves_insert AFTER INSERT ON asset_dup_counts
  FOR EACH ROW CALL asset_timeline_move(NEW.viewer_id, NEW.owner_id, NEW.month, 0, NEW.n);
CREATE TRIGGER IF NOT EXISTS asset_dup_counts_moves_update AFTER UPDATE ON asset_dup_counts
  FOR EACH ROW CALL asset_timeline_move(NEW.viewer_id, NEW.owner_id, NEW.month, 0, NEW.n - OLD.n);
CREATE TRIGGER IF NOT EXISTS asset_dup_counts_moves_delete AFTER DELETE ON asset_dup_counts
  FOR EACH ROW CALL asset_timeline_move(OLD.viewer_id, OLD.owner_id, OLD.month, 0, -OLD.n);

-- The sums of the rows there already.
INSERT IGNORE INTO asset_timeline_moves (viewer_id, owner_id, month, marks, dups)
  SELECT viewer_id, owner_id, month, marks, dups FROM asset_timeline_moves_source;
