/*
 * migrations.h: the numbered migrations of sql/, compiled into the binary
 * (src/migrations.c is generated from the sql/NNN_name.sql files by
 * sql/embed.sh), so the
 * worker always knows exactly which schema it needs.
 */
#ifndef MIGRATIONS_H
#define MIGRATIONS_H

#include <stddef.h>

struct conf;

struct migration {
	unsigned	 version;	/* NNN of sql/NNN_name.sql */
	const char	*name;		/* file name */
	const char	*sql;		/* the whole file */
};

extern const struct migration	migrations[];
extern const size_t		nmigrations;

/* The version the newest embedded migration brings the schema to. */
unsigned	 migrations_latest(void);

/*
 * Apply every pending migration in order, each in its own transaction where
 * MariaDB allows (DDL commits implicitly), recording it only once it fully
 * succeeded. Progress goes to the log. Returns 0, or -1 after logging which
 * migration failed and why.
 */
int		 migrate_run(const struct conf *);
/* The same over any list, in order (tests use their own lists). */
int		 migrate_apply(const struct conf *, const struct migration *,
		    size_t);

#endif
