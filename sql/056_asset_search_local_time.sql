-- 056: search's copy of each asset (sql/036) gains the local capture time.
-- A share from a date on (sql/055) is a clause of the access rule that
-- reads the asset's local_date_time, and search applies the rule to rows
-- of asset_search as to assets (stmts.c, SEARCH_RULE): without the column
-- a date-scoped recipient's search could not tell what the share shows.
-- The copy follows assets.local_date_time in the same statement as every
-- other copied column, and the db suite's drift checks compare the whole
-- row with asset_search_source after every change, date edits included.

-- NULL only until the UPDATE below fills it: the rule's date clause is
-- never true of NULL, so a row not yet filled is shown to no date-scoped
-- recipient rather than to one too many.
ALTER TABLE asset_search
  ADD COLUMN IF NOT EXISTS local_date_time DATETIME(3) DEFAULT NULL
    COMMENT 'assets.local_date_time: a dated share shows what was taken (local date) on or after its day'
    AFTER file_created_at;

CREATE OR REPLACE SQL SECURITY INVOKER VIEW asset_search_source AS
  SELECT a.id, a.owner_id, a.visibility, a.deleted_at, a.file_created_at, a.local_date_time,
    e.city, e.state, e.country, e.make, e.model, e.lens_model
  FROM assets a JOIN asset_exif e ON e.asset_id = a.id;

DROP TRIGGER IF EXISTS assets_search_update;
DELIMITER $$
CREATE TRIGGER assets_search_update AFTER UPDATE ON assets FOR EACH ROW
  IF NOT (NEW.owner_id <=> OLD.owner_id AND NEW.visibility <=> OLD.visibility
      AND NEW.deleted_at <=> OLD.deleted_at AND NEW.file_created_at <=> OLD.file_created_at
      AND NEW.local_date_time <=> OLD.local_date_time) THEN
    CALL asset_search_refresh(NEW.id);
  END IF$$
DELIMITER ;

UPDATE asset_search s JOIN assets a ON a.id = s.id
  SET s.local_date_time = a.local_date_time
  WHERE NOT s.local_date_time <=> a.local_date_time;
