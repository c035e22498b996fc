-- 031: indexes for search (src/h_search.c): POST /api/search/metadata,
-- GET /api/search/suggestions and /api/search/cities at a million assets.
-- B-trees on the place and camera columns (an equality filter or a
-- suggestion list reads one range of its index; the asset's primary key,
-- which every secondary index carries, then joins the asset row), FULLTEXT
-- for words in file names and descriptions (Immich matches substrings with
-- a trigram index; InnoDB's FULLTEXT matches words and word beginnings).

ALTER TABLE asset_exif
  ADD KEY IF NOT EXISTS asset_exif_country_idx (country, state, city)
    COMMENT 'search and suggestions by country; a state or city within it',
  ADD KEY IF NOT EXISTS asset_exif_state_idx (state)
    COMMENT 'search by region alone',
  ADD KEY IF NOT EXISTS asset_exif_city_idx (city)
    COMMENT 'search by place, one representative asset per place (search/cities)',
  ADD KEY IF NOT EXISTS asset_exif_make_idx (make, model)
    COMMENT 'search and suggestions by camera maker; a model of it',
  ADD KEY IF NOT EXISTS asset_exif_model_idx (model)
    COMMENT 'search by camera model alone',
  ADD KEY IF NOT EXISTS asset_exif_lens_idx (lens_model)
    COMMENT 'search by lens',
  ADD FULLTEXT KEY IF NOT EXISTS asset_exif_description_ft (description)
    COMMENT 'words of the owner''s description (search description)';

ALTER TABLE assets
  ADD FULLTEXT KEY IF NOT EXISTS assets_file_name_ft (original_file_name)
    COMMENT 'words of the file name (search originalFileName)',
  ADD KEY IF NOT EXISTS assets_owner_created_idx (owner_id, file_created_at)
    COMMENT 'an owner''s assets in capture order (search results, newest first)';
