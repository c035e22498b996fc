-- 060: an asset whose checksum (or owner) changes leaves its old groups of
-- copies before it joins its new ones. sql/057's update trigger recomputed
-- the new groups first: when the asset was a hidden copy in its old group
-- (a partner's copy of a file of mine), its row of asset_dup_hidden still
-- held the old checksum when the new group's recompute inserted the same
-- (viewer, asset) again, and the UPDATE failed with a duplicate key (found
-- by the db suite: a partner's asset given the checksum of another file of
-- mine). Old groups first: their recompute drops the asset's rows (they are
-- found by viewer and checksum), then the new groups take it in. Made
-- again, the trigger keeps its place: just before sql/059's
-- assets_start_update, whose counts read the hidden copies it changes.

DROP TRIGGER IF EXISTS assets_dup_update;

DELIMITER $$
CREATE TRIGGER assets_dup_update AFTER UPDATE ON assets FOR EACH ROW
  PRECEDES assets_start_update
BEGIN
  IF NOT (OLD.owner_id <=> NEW.owner_id AND OLD.checksum <=> NEW.checksum
      AND OLD.visibility <=> NEW.visibility AND OLD.deleted_at <=> NEW.deleted_at
      AND OLD.local_date_time <=> NEW.local_date_time) THEN
    IF NOT (OLD.owner_id <=> NEW.owner_id AND OLD.checksum <=> NEW.checksum) THEN
      CALL asset_dup_asset(OLD.id, OLD.owner_id, OLD.checksum);
    END IF;
    CALL asset_dup_asset(NEW.id, NEW.owner_id, NEW.checksum);
  END IF;
END$$
DELIMITER ;
