-- strata upgrade base:head (sqlite)

CREATE TABLE IF NOT EXISTS "strata_version" ("version_num" varchar(32) NOT NULL, CONSTRAINT "strata_version_pkc" PRIMARY KEY ("version_num"));

-- Running upgrade base -> aaaa, rev aaaa
BEGIN;
CREATE TABLE t_aaaa (id int);
INSERT INTO "strata_version" ("version_num") VALUES ('aaaa');
COMMIT;

-- Running upgrade aaaa -> bbbb, rev bbbb
BEGIN;
CREATE TABLE t_bbbb (id int);
UPDATE "strata_version" SET "version_num" = 'bbbb' WHERE "version_num" = 'aaaa';
COMMIT;

-- Running upgrade aaaa -> cccc, rev cccc
BEGIN;
CREATE TABLE t_cccc (id int);
INSERT INTO "strata_version" ("version_num") VALUES ('cccc');
COMMIT;

-- Running upgrade bbbb, cccc -> mmmm, rev mmmm
BEGIN;
CREATE TABLE t_mmmm (id int);
DELETE FROM "strata_version" WHERE "version_num" = 'cccc';
UPDATE "strata_version" SET "version_num" = 'mmmm' WHERE "version_num" = 'bbbb';
COMMIT;
-- strata downgrade mmmm:base (sqlite)

CREATE TABLE IF NOT EXISTS "strata_version" ("version_num" varchar(32) NOT NULL, CONSTRAINT "strata_version_pkc" PRIMARY KEY ("version_num"));

-- Running downgrade mmmm -> bbbb, cccc, rev mmmm
BEGIN;
DROP TABLE t_mmmm;
UPDATE "strata_version" SET "version_num" = 'bbbb' WHERE "version_num" = 'mmmm';
INSERT INTO "strata_version" ("version_num") VALUES ('cccc');
COMMIT;

-- Running downgrade cccc -> aaaa, rev cccc
BEGIN;
DROP TABLE t_cccc;
DELETE FROM "strata_version" WHERE "version_num" = 'cccc';
COMMIT;

-- Running downgrade bbbb -> aaaa, rev bbbb
BEGIN;
DROP TABLE t_bbbb;
UPDATE "strata_version" SET "version_num" = 'aaaa' WHERE "version_num" = 'bbbb';
COMMIT;

-- Running downgrade aaaa -> base, rev aaaa
BEGIN;
DROP TABLE t_aaaa;
DELETE FROM "strata_version" WHERE "version_num" = 'aaaa';
COMMIT;
