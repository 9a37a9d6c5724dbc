-- strata upgrade base:head (mysql)

CREATE TABLE IF NOT EXISTS `strata_version` (`version_num` varchar(32) NOT NULL, CONSTRAINT `strata_version_pkc` PRIMARY KEY (`version_num`));

-- Running upgrade base -> aaaa, rev aaaa
CREATE TABLE t_aaaa (id int);
INSERT INTO `strata_version` (`version_num`) VALUES ('aaaa');

-- Running upgrade aaaa -> bbbb, rev bbbb
CREATE TABLE t_bbbb (id int);
UPDATE `strata_version` SET `version_num` = 'bbbb' WHERE `version_num` = 'aaaa';

-- Running upgrade aaaa -> cccc, rev cccc
CREATE TABLE t_cccc (id int);
INSERT INTO `strata_version` (`version_num`) VALUES ('cccc');

-- Running upgrade bbbb, cccc -> mmmm, rev mmmm
CREATE TABLE t_mmmm (id int);
DELETE FROM `strata_version` WHERE `version_num` = 'cccc';
UPDATE `strata_version` SET `version_num` = 'mmmm' WHERE `version_num` = 'bbbb';
-- strata downgrade mmmm:base (mysql)

CREATE TABLE IF NOT EXISTS `strata_version` (`version_num` varchar(32) NOT NULL, CONSTRAINT `strata_version_pkc` PRIMARY KEY (`version_num`));

-- Running downgrade mmmm -> bbbb, cccc, rev mmmm
DROP TABLE t_mmmm;
UPDATE `strata_version` SET `version_num` = 'bbbb' WHERE `version_num` = 'mmmm';
INSERT INTO `strata_version` (`version_num`) VALUES ('cccc');

-- Running downgrade cccc -> aaaa, rev cccc
DROP TABLE t_cccc;
DELETE FROM `strata_version` WHERE `version_num` = 'cccc';

-- Running downgrade bbbb -> aaaa, rev bbbb
DROP TABLE t_bbbb;
UPDATE `strata_version` SET `version_num` = 'aaaa' WHERE `version_num` = 'bbbb';

-- Running downgrade aaaa -> base, rev aaaa
DROP TABLE t_aaaa;
DELETE FROM `strata_version` WHERE `version_num` = 'aaaa';
