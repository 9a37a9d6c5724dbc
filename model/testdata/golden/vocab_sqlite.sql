CREATE TABLE `note` (
  `id` integer NOT NULL,
  `title` text collate nocase NOT NULL,
  `mood` text NOT NULL DEFAULT 'ok',
  `len` integer NOT NULL AS (length(title)) VIRTUAL,
  PRIMARY KEY (`id`)
) WITHOUT ROWID, STRICT;
