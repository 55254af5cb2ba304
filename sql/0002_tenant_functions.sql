-- 0002_tenant_functions.sql
-- The only readers of the session variables that the responder sets on each
-- leased connection: @dc_tenant (tenant id), @dc_user (acting user id, may be
-- NULL) and @dc_subject (the Auth0 `sub` being signed in).
--
-- Why functions: a view cannot read a @variable (error 1351), so the views of
-- 0004 and the triggers of 0003 call these instead (SECURITY rule 1).
--
-- Why DETERMINISTIC: the optimizer then evaluates the call once per statement
-- as a constant and uses the tenant index (`ref`). NOT DETERMINISTIC makes it
-- re-evaluate per row and scan the whole table (1M rows: 2.1 s against 1 ms).
-- The value is constant for the duration of a statement, which is all that
-- DETERMINISTIC promises the optimizer here; a prepared statement re-reads it
-- on every execution (verified on 10.11).
--
-- Why SQL SECURITY INVOKER: the functions read nothing but the caller's own
-- session; there is no privilege to borrow. Callers are the DEFINER views and
-- triggers (running as dc_owner, which has EXECUTE) and dc_ops. The responder
-- (dc_app) gets no EXECUTE at all; it reads through the views.
--
-- The explicit CHARACTER SET/COLLATE on dc_subject() matches
-- users.auth0_sub (utf8mb4_bin), so the comparison in the view is exact and
-- can use uq_users_auth0_sub.

-- Pin the session: triggers and routines keep the sql_mode they were created
-- under (strict, so a bad value fails instead of being truncated), and the
-- string literals below assume backslash escapes and utf8mb4, whatever the
-- runner's connection defaults are.
SET NAMES utf8mb4 COLLATE utf8mb4_unicode_ci;
SET SESSION sql_mode = 'STRICT_TRANS_TABLES,ERROR_FOR_DIVISION_BY_ZERO,NO_AUTO_CREATE_USER,NO_ENGINE_SUBSTITUTION';

CREATE OR REPLACE DEFINER = 'dc_owner'@'localhost'
FUNCTION datacovey.dc_tenant() RETURNS BIGINT
  DETERMINISTIC NO SQL SQL SECURITY INVOKER
  COMMENT 'Session tenant (@dc_tenant); DETERMINISTIC so views use the tenant index'
  RETURN @dc_tenant;

CREATE OR REPLACE DEFINER = 'dc_owner'@'localhost'
FUNCTION datacovey.dc_actor() RETURNS BIGINT
  DETERMINISTIC NO SQL SQL SECURITY INVOKER
  COMMENT 'Acting user (@dc_user) recorded in history; NULL when none'
  RETURN @dc_user;

CREATE OR REPLACE DEFINER = 'dc_owner'@'localhost'
FUNCTION datacovey.dc_subject() RETURNS VARCHAR(255) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin
  DETERMINISTIC NO SQL SQL SECURITY INVOKER
  COMMENT 'Auth0 sub being signed in (@dc_subject); read by datacovey_app.identities'
  RETURN @dc_subject;
