/*
 * migrations.h: the numbered migrations of sql/, compiled into the binary
 * (src/migrations.c is generated from the sql/NNN_name.sql files by
 * sql/embed.sh), so the
 * worker always knows exactly which schema it needs.
 */
#ifndef MIGRATIONS_H
#define MIGRATIONS_H

#include <stddef.h>
#include <stdio.h>

struct conf;

struct migration {
	unsigned	 version;	/* NNN of sql/NNN_name.sql */
	const char	*name;		/* file name */
	const char	*sql;		/* the whole file, as the server takes it */
	const char	*text;		/* the file as written (DELIMITER lines):
					 * for the mariadb client */
};

/*
 * The oldest server the schema runs on: MariaDB 10.7 brought the UUID
 * column type. As mysql_get_server_version() counts: 10.7.0 = 100700.
 */
#define SCHEMA_MIN_SERVER	100700
#define SCHEMA_MIN_SERVER_NAME	"MariaDB 10.7"


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

/*
 * Whether the server (mysql_get_server_info() and _version()) can hold the
 * schema: 0, or -1 with a message for the admin in msg.
 */
int		 migrate_server_ok(const char *info, unsigned long version,
		    char *msg, size_t msgsz);

/*
 * Write the whole schema as one file for the mariadb client or a control
 * panel's SQL import: a check of the server's version, every migration as
 * written, and the schema_migrations rows that tell partnerd it is there.
 */
void		 migrate_print_schema(FILE *);

#endif
