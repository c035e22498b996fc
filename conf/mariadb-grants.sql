-- Least privilege in MariaDB: two accounts.
--   partnerd_admin  applies migrations (partnerd --migrate, partnerctl migrate)
--   partnerd        what the worker and partnerctl need at run time: rows only
-- Replace the passwords, then run as the database's root:
--   mariadb < conf/mariadb-grants.sql
-- Put the run-time account in partnerd.conf (db_user, db_password) and the
-- admin account in a separate file used only for upgrades
-- (partnerd -c /etc/partnerd/migrate.conf --migrate).

CREATE DATABASE IF NOT EXISTS partnerd CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci;

CREATE USER IF NOT EXISTS 'partnerd_admin'@'localhost' IDENTIFIED BY 'change-me-admin';
GRANT ALL PRIVILEGES ON partnerd.* TO 'partnerd_admin'@'localhost';

CREATE USER IF NOT EXISTS 'partnerd'@'localhost' IDENTIFIED BY 'change-me';
-- Reading and writing rows; no DDL, no GRANT, no FILE. Triggers run with
-- their definer's rights, so the run-time account needs nothing more.
GRANT SELECT, INSERT, UPDATE, DELETE ON partnerd.* TO 'partnerd'@'localhost';
