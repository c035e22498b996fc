-- 009: who put each asset in an album. Album access grants an asset to the
-- album's members only when its owner put it there: a member who may see a
-- partner's photo (asset.share) can add it to an album, but that must not
-- pass it on to the album's other members, who would keep it after the
-- partner share ends. Until albums gain members only the album's owner
-- could add assets, so existing rows were added by the album's owner.

ALTER TABLE album_assets
  ADD COLUMN IF NOT EXISTS added_by_id UUID NULL
    COMMENT 'who added the asset; NULL once that account is gone'
    AFTER asset_id,
  ADD KEY IF NOT EXISTS album_assets_added_by_idx (added_by_id)
    COMMENT 'for the foreign key',
  ADD CONSTRAINT album_assets_added_by_fk FOREIGN KEY IF NOT EXISTS (added_by_id)
    REFERENCES users (id) ON DELETE SET NULL;

UPDATE album_assets aa JOIN albums al ON al.id = aa.album_id
  SET aa.added_by_id = al.owner_id WHERE aa.added_by_id IS NULL;
