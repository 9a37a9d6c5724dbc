CREATE TABLE `article` (
  `id` bigint NOT NULL AUTO_INCREMENT,
  `slug` varchar(100) NOT NULL,
  `title` varchar(200) CHARSET utf8mb4 NOT NULL COLLATE utf8mb4_bin,
  `body` text NOT NULL,
  `mood` enum('sad','ok') NOT NULL DEFAULT 'ok',
  `kind` enum('a','b') NOT NULL DEFAULT 'a',
  `updated` datetime(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6) ON UPDATE CURRENT_TIMESTAMP(6),
  `words` bigint AS (length(body)) VIRTUAL,
  PRIMARY KEY (`id`),
  UNIQUE INDEX `article_slug_uq` (`slug`),
  INDEX `article_title_idx` (`title` (20), `id` DESC),
  FULLTEXT INDEX `article_body_ft` (`body`)
) CHARSET latin1 COLLATE latin1_bin;
