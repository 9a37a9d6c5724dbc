-- strata upgrade base:head (mysql)

CREATE TABLE IF NOT EXISTS `strata_version` (`version_num` varchar(32) NOT NULL, CONSTRAINT `strata_version_pkc` PRIMARY KEY (`version_num`));
CREATE TABLE IF NOT EXISTS `strata_version_history` (`id` bigint NOT NULL AUTO_INCREMENT PRIMARY KEY, `revision` varchar(32) NOT NULL, `direction` varchar(16) NOT NULL, `checksum` varchar(64) NOT NULL, `applied_at` datetime(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6), `duration_ms` bigint NOT NULL, `note` varchar(255) NOT NULL, `status` varchar(16) NOT NULL, `stmts_done` int NOT NULL, `stmts_total` int NOT NULL, `stmt_sums` mediumtext NULL, `error` text NULL);
CREATE TABLE IF NOT EXISTS `strata_version_revisions` (`revision` varchar(32) NOT NULL, `revises` text NOT NULL, `depends_on` text NOT NULL, `file` varchar(255) NOT NULL, `checksum` varchar(64) NOT NULL, `content` longtext NOT NULL, `stored_at` datetime(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6), CONSTRAINT `strata_version_revisions_pkc` PRIMARY KEY (`revision`));

-- Running upgrade base -> aaaa, rev aaaa
CREATE TABLE t_aaaa (id int);
INSERT INTO `strata_version` (`version_num`) VALUES ('aaaa');
REPLACE INTO `strata_version_revisions` (`revision`, `revises`, `depends_on`, `file`, `checksum`, `content`) VALUES ('aaaa', '', '', 'aaaa_rev.sql', '0e7c4cf04e9d4ba96f66bb80e2ee2b3d3ea3d94001e56b8bdf886eeb12537af4', '-- Message: rev aaaa
-- Revision: aaaa
-- Revises: 

-- strata:upgrade
CREATE TABLE t_aaaa (id int);

-- strata:downgrade
DROP TABLE t_aaaa;
');
INSERT INTO `strata_version_history` (`revision`, `direction`, `checksum`, `duration_ms`, `note`, `status`, `stmts_done`, `stmts_total`) VALUES ('aaaa', 'upgrade', 'f49ced416d3bbfa9b54027ae49c8b90aa4c179a685a7584d442f19ea5155a2ee', 0, 'sql script', 'done', 1, 1);

-- Running upgrade aaaa -> bbbb, rev bbbb
CREATE TABLE t_bbbb (id int);
UPDATE `strata_version` SET `version_num` = 'bbbb' WHERE `version_num` = 'aaaa';
REPLACE INTO `strata_version_revisions` (`revision`, `revises`, `depends_on`, `file`, `checksum`, `content`) VALUES ('bbbb', 'aaaa', '', 'bbbb_rev.sql', 'c3a0a0e67bf6a05b3678368e85d3364b4871dbb0e77293aac26b74ec75296f01', '-- Message: rev bbbb
-- Revision: bbbb
-- Revises: aaaa

-- strata:upgrade
CREATE TABLE t_bbbb (id int);

-- strata:downgrade
DROP TABLE t_bbbb;
');
INSERT INTO `strata_version_history` (`revision`, `direction`, `checksum`, `duration_ms`, `note`, `status`, `stmts_done`, `stmts_total`) VALUES ('bbbb', 'upgrade', '1f1d8777344a955901b3ddac816af28681349f4ff9b9d86e64790e2395c6bd19', 0, 'sql script', 'done', 1, 1);

-- Running upgrade aaaa -> cccc, rev cccc
CREATE TABLE t_cccc (id int);
INSERT INTO `strata_version` (`version_num`) VALUES ('cccc');
REPLACE INTO `strata_version_revisions` (`revision`, `revises`, `depends_on`, `file`, `checksum`, `content`) VALUES ('cccc', 'aaaa', '', 'cccc_rev.sql', '358fa5176cf7cd2265ed0e47a57dce61849603a2a2f495c73d625cf9911f9c24', '-- Message: rev cccc
-- Revision: cccc
-- Revises: aaaa

-- strata:upgrade
CREATE TABLE t_cccc (id int);

-- strata:downgrade
DROP TABLE t_cccc;
');
INSERT INTO `strata_version_history` (`revision`, `direction`, `checksum`, `duration_ms`, `note`, `status`, `stmts_done`, `stmts_total`) VALUES ('cccc', 'upgrade', '97b66d4db5ed8a9e4c2f0d001f0049da48e8c504fd214cb563360ee52682ec3f', 0, 'sql script', 'done', 1, 1);

-- Running upgrade bbbb, cccc -> mmmm, rev mmmm
CREATE TABLE t_mmmm (id int);
DELETE FROM `strata_version` WHERE `version_num` = 'cccc';
UPDATE `strata_version` SET `version_num` = 'mmmm' WHERE `version_num` = 'bbbb';
REPLACE INTO `strata_version_revisions` (`revision`, `revises`, `depends_on`, `file`, `checksum`, `content`) VALUES ('mmmm', 'bbbb,cccc', '', 'mmmm_rev.sql', '8dfb212dd711e10dca30172c8121cc0e6c56cb7b96bb72a51d6bbf2cfbbdf048', '-- Message: rev mmmm
-- Revision: mmmm
-- Revises: bbbb, cccc

-- strata:upgrade
CREATE TABLE t_mmmm (id int);

-- strata:downgrade
DROP TABLE t_mmmm;
');
INSERT INTO `strata_version_history` (`revision`, `direction`, `checksum`, `duration_ms`, `note`, `status`, `stmts_done`, `stmts_total`) VALUES ('mmmm', 'upgrade', '27efbbaf3e01750ab7c78965182666062888d0cd97d14d5611659f7616cb85d6', 0, 'sql script', 'done', 1, 1);
-- strata downgrade mmmm:base (mysql)

CREATE TABLE IF NOT EXISTS `strata_version` (`version_num` varchar(32) NOT NULL, CONSTRAINT `strata_version_pkc` PRIMARY KEY (`version_num`));
CREATE TABLE IF NOT EXISTS `strata_version_history` (`id` bigint NOT NULL AUTO_INCREMENT PRIMARY KEY, `revision` varchar(32) NOT NULL, `direction` varchar(16) NOT NULL, `checksum` varchar(64) NOT NULL, `applied_at` datetime(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6), `duration_ms` bigint NOT NULL, `note` varchar(255) NOT NULL, `status` varchar(16) NOT NULL, `stmts_done` int NOT NULL, `stmts_total` int NOT NULL, `stmt_sums` mediumtext NULL, `error` text NULL);
CREATE TABLE IF NOT EXISTS `strata_version_revisions` (`revision` varchar(32) NOT NULL, `revises` text NOT NULL, `depends_on` text NOT NULL, `file` varchar(255) NOT NULL, `checksum` varchar(64) NOT NULL, `content` longtext NOT NULL, `stored_at` datetime(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6), CONSTRAINT `strata_version_revisions_pkc` PRIMARY KEY (`revision`));

-- Running downgrade mmmm -> bbbb, cccc, rev mmmm
DROP TABLE t_mmmm;
UPDATE `strata_version` SET `version_num` = 'bbbb' WHERE `version_num` = 'mmmm';
INSERT INTO `strata_version` (`version_num`) VALUES ('cccc');
DELETE FROM `strata_version_revisions` WHERE `revision` = 'mmmm';
INSERT INTO `strata_version_history` (`revision`, `direction`, `checksum`, `duration_ms`, `note`, `status`, `stmts_done`, `stmts_total`) VALUES ('mmmm', 'downgrade', '27efbbaf3e01750ab7c78965182666062888d0cd97d14d5611659f7616cb85d6', 0, 'sql script', 'done', 1, 1);

-- Running downgrade cccc -> aaaa, rev cccc
DROP TABLE t_cccc;
DELETE FROM `strata_version` WHERE `version_num` = 'cccc';
DELETE FROM `strata_version_revisions` WHERE `revision` = 'cccc';
INSERT INTO `strata_version_history` (`revision`, `direction`, `checksum`, `duration_ms`, `note`, `status`, `stmts_done`, `stmts_total`) VALUES ('cccc', 'downgrade', '97b66d4db5ed8a9e4c2f0d001f0049da48e8c504fd214cb563360ee52682ec3f', 0, 'sql script', 'done', 1, 1);

-- Running downgrade bbbb -> aaaa, rev bbbb
DROP TABLE t_bbbb;
UPDATE `strata_version` SET `version_num` = 'aaaa' WHERE `version_num` = 'bbbb';
DELETE FROM `strata_version_revisions` WHERE `revision` = 'bbbb';
INSERT INTO `strata_version_history` (`revision`, `direction`, `checksum`, `duration_ms`, `note`, `status`, `stmts_done`, `stmts_total`) VALUES ('bbbb', 'downgrade', '1f1d8777344a955901b3ddac816af28681349f4ff9b9d86e64790e2395c6bd19', 0, 'sql script', 'done', 1, 1);

-- Running downgrade aaaa -> base, rev aaaa
DROP TABLE t_aaaa;
DELETE FROM `strata_version` WHERE `version_num` = 'aaaa';
DELETE FROM `strata_version_revisions` WHERE `revision` = 'aaaa';
INSERT INTO `strata_version_history` (`revision`, `direction`, `checksum`, `duration_ms`, `note`, `status`, `stmts_done`, `stmts_total`) VALUES ('aaaa', 'downgrade', 'f49ced416d3bbfa9b54027ae49c8b90aa4c179a685a7584d442f19ea5155a2ee', 0, 'sql script', 'done', 1, 1);
