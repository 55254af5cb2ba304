-- ---------------------------------------------------------------------------
-- Sign-in: the token's `sub` fixes the user and so the tenant (DESIGN.md
-- section 5), but every tenant view needs the tenant first. This view answers
-- "who is @dc_subject" across tenants, one row at most (uq_users_auth0_sub),
-- with what the responder needs to accept or refuse the request (disabled
-- user or tenant) and then `SET @dc_tenant = tenant_id, @dc_user = user_id`.
-- It shows nothing unless @dc_subject names a user, and only that user.
-- Granted SELECT only (0005). MERGE keeps the filter on the unique index
-- (const access). No CHECK OPTION: nobody writes through it.
CREATE OR REPLACE ALGORITHM = MERGE DEFINER = 'dc_owner'@'localhost' SQL SECURITY DEFINER
VIEW datacovey_app.identities AS
  SELECT u.id AS user_id, u.tenant_id, u.auth0_sub, u.email, u.name, u.role,
         u.disabled AS user_disabled, u.version AS user_version,
         t.name AS tenant_name, t.disabled AS tenant_disabled
  FROM datacovey.users u
  JOIN datacovey.tenants t ON t.id = u.tenant_id
  WHERE u.auth0_sub = datacovey.dc_subject();
