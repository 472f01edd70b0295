/*
 * guard-mysql.c: classifying MariaDB/MySQL statements into facts (see
 * guard.h). Handles untrusted input (SQL from agents trying to get past
 * the guardrails); pure: never prints or exits.
 *
 * A statement is read as the connected server reads it: the tokenizer in
 * sql-mysql.c applies the server's version and flavour to executable
 * comments and its sql_mode to quotes and backslashes. When the version is
 * not known, or a comment can be read two ways by the server (Galera's
 * 99997, MySQL 8.0.34's six-digit versions), the statement is classified
 * under every reading and the facts are merged. The context (USE, PREPARE)
 * changes only if all readings agree on the change.
 *
 * This is not a full parser: the first keywords decide the kind, a scan of
 * the tokens finds table references (after FROM, JOIN, UPDATE, INTO...),
 * function calls (a name followed by "("), subqueries and clauses, and a
 * small constant evaluator decides whether a WHERE is always true.
 * Everything it does not recognise is unknown, and nesting (parentheses,
 * statements in statements) is capped.
 *
 * Decisions worth knowing:
 *  - The text after a top-level ";" the server would read as a second
 *    statement makes the statement unknown (the backend runs one statement
 *    per query; a trailing ";" is fine).
 *  - A statement whose code is all in comments the server skips is unknown.
 *  - A JOIN's ON condition is no WHERE: UPDATE/DELETE over a join without
 *    WHERE writes without WHERE. A WHERE made only of constants,
 *    variables, ? placeholders, functions of those and uncorrelated
 *    subqueries is always true unless it is provably false.
 *  - EXECUTE of a name not prepared earlier in the session is unknown; in a
 *    routine body it is dynamic SQL. PREPARE and EXECUTE IMMEDIATE of
 *    string literals classify the text; of anything else, dynamic SQL.
 *  - EXPLAIN does not run the statement but the optimizer may evaluate
 *    constant parts: it keeps the statement's facts but the write ones.
 *  - A builtin the server knows only with "(" right after it (COUNT, SUM,
 *    NOW...) is opaque when a space or comment comes first: the server then
 *    looks for a stored function of that name.
 *  - Optimizer hints that set variables or time limits (SET_VAR,
 *    MAX_EXECUTION_TIME) are pinned-setting changes.
 *  - DEFINER = someone other than CURRENT_USER is a privilege fact.
 *  - CREATE OR REPLACE TABLE/DATABASE, ALTER TABLE ... DROP PARTITION or
 *    DISCARD TABLESPACE destroy data: kind drop too; TRUNCATE PARTITION:
 *    kind truncate.
 *  - DATA/INDEX DIRECTORY, ENGINE=CONNECT, FILE_NAME, IMPORT TABLESPACE,
 *    tablespace data files reach server files: file-access. sql_log_bin,
 *    server_id and the like change more than the session: server-config.
 *  - UNLOCK TABLES is a transaction statement, MySQL's DO is kind do,
 *    SIGNAL and GET DIAGNOSTICS are kind show.
 *  - Writes to the mysql schema (also through a view over it) change
 *    privileges (grant tables, routines, events), load code (plugin,
 *    func) or configure the server (the rest, performance_schema, sys).
 *  - FEDERATED, SPIDER and CONNECT tables and their CONNECTION-like
 *    options reach other servers or files: file-access.
 *  - REPLACE ... SELECT and INSERT ... SELECT ... ON DUPLICATE KEY UPDATE
 *    with no keyed WHERE in the query write without WHERE.
 *  - A builtin the server's flavour lacks, or a keyword MariaDB lets name
 *    a function (AGAINST(...)), calls a stored function: opaque.
 *  - USE, PREPARE and DEALLOCATE in dynamic SQL are unknown: dbgate could
 *    not follow the session.
 *  - With a masked-columns callback, a second walk over the tokens sets
 *    masked-out and masked-ref (see my_mask); names are matched without
 *    their qualifiers against the masked columns of every relation of
 *    the statement and the names of masked outputs. A query also says
 *    which of its outputs may carry a masked value (out_masked), unless
 *    a * or a name it cannot follow is there. Without a callback,
 *    nothing is asked and nothing walked.
 *  - Reading statistics, process lists, statement history, the general
 *    log, InnoDB lock data, and SHOW PROCESSLIST, SHOW ENGINE INNODB
 *    STATUS, SHOW EXPLAIN FOR, EXPLAIN FOR CONNECTION: raw-values.
 */
#include <limits.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "dbgate.h"
#include "guard.h"
#include "sql-mysql.h"

#define MYKW_R		0x01	/* reserved: no alias, no function */
#define MYKW_T		0x02	/* names a type */
#define MYKW_NF		0x04	/* not a function call before "(" */

/*
 * Keywords the classifier uses and the words MariaDB reserves. The enum
 * and my_kwtab are in the same strcmp order: keyword id i + 1 is entry i.
 */
enum my_kw {
	K_NONE = 0,
	K_ACCESSIBLE, K_ADD, K_AFTER, K_AGAINST, K_AGGREGATE, K_ALGORITHM,
	K_ALL, K_ALTER, K_ANALYZE, K_AND, K_ANY, K_AS, K_ASC, K_ASCII,
	K_ASENSITIVE, K_AT, K_ATOMIC, K_BACKUP, K_BEFORE, K_BEGIN, K_BETWEEN,
	K_BIGINT, K_BINARY, K_BINLOG, K_BIT, K_BLOB, K_BODY, K_BOOL,
	K_BOOLEAN, K_BOTH, K_BUFFER, K_BY, K_CACHE, K_CALL, K_CASCADE, K_CASE,
	K_CHAIN, K_CHANGE, K_CHAR, K_CHARACTER, K_CHARSET, K_CHECK,
	K_CHECKSUM, K_CLEAR, K_CLONE, K_CLOSE, K_COLLATE, K_COLLATION,
	K_COLUMN, K_COLUMNS, K_COMMENT, K_COMMIT, K_COMMITTED, K_COMPLETION,
	K_CONCURRENT, K_CONDITION, K_CONNECT, K_CONNECTION, K_CONSISTENT,
	K_CONSTRAINT, K_CONTAINS, K_CONTINUE, K_CONVERT, K_CREATE, K_CROSS,
	K_CURRENT, K_CURRENT_DATE, K_CURRENT_ROLE, K_CURRENT_TIME,
	K_CURRENT_TIMESTAMP, K_CURRENT_USER, K_CURSOR, K_DATA, K_DATABASE,
	K_DATABASES, K_DATAFILE, K_DATE, K_DATETIME, K_DAY, K_DAY_HOUR,
	K_DAY_MICROSECOND, K_DAY_MINUTE, K_DAY_SECOND, K_DEALLOCATE, K_DEC,
	K_DECIMAL, K_DECLARE, K_DEFAULT, K_DEFINER, K_DELAYED, K_DELETE,
	K_DELETE_DOMAIN_ID, K_DELIMITER, K_DESC, K_DESCRIBE, K_DETERMINISTIC,
	K_DIAGNOSTICS, K_DIRECTORY, K_DISABLE, K_DISCARD, K_DISTINCT,
	K_DISTINCTROW, K_DIV, K_DO, K_DO_DOMAIN_IDS, K_DOUBLE, K_DROP, K_DUAL,
	K_DUMPFILE, K_DUPLICATE, K_EACH, K_EDIT, K_EGO, K_ELSE, K_ELSEIF,
	K_ENABLE, K_ENCLOSED, K_END, K_ENDS, K_ENGINE, K_ENUM, K_ESCAPE,
	K_ESCAPED, K_EVENT, K_EVERY, K_EXCEPT, K_EXECUTE, K_EXISTS, K_EXIT,
	K_EXPLAIN, K_EXPORT, K_EXTENDED, K_FALSE, K_FETCH, K_FIELDS,
	K_FILE_NAME, K_FIRST, K_FIXED, K_FLOAT, K_FLOAT4, K_FLOAT8, K_FLUSH,
	K_FOLLOWS, K_FOR, K_FORCE, K_FOREIGN, K_FORMAT, K_FOUND, K_FROM,
	K_FULL, K_FULLTEXT, K_FUNCTION, K_GENERAL, K_GEOMETRY,
	K_GEOMETRYCOLLECTION, K_GET, K_GLOBAL, K_GO, K_GRANT, K_GROUP,
	K_GROUP_REPLICATION, K_HANDLER, K_HARD, K_HAVING, K_HELP,
	K_HIGH_PRIORITY, K_HISTOGRAM, K_HISTORY, K_HOUR, K_HOUR_MICROSECOND,
	K_HOUR_MINUTE, K_HOUR_SECOND, K_IDENTIFIED, K_IF, K_IGNORE,
	K_IGNORE_DOMAIN_IDS, K_IGNORE_SERVER_IDS, K_IMMEDIATE, K_IMPORT, K_IN,
	K_INDEX, K_INDEXES, K_INET4, K_INET6, K_INFILE, K_INNER, K_INOUT,
	K_INSENSITIVE, K_INSERT, K_INSTALL, K_INSTANCE, K_INT, K_INT1, K_INT2,
	K_INT3, K_INT4, K_INT8, K_INTEGER, K_INTERSECT, K_INTERVAL, K_INTO,
	K_INVOKER, K_IS, K_ISOLATION, K_ITERATE, K_JOIN, K_JSON, K_JSON_TABLE,
	K_KEY, K_KEYS, K_KILL, K_LANGUAGE, K_LAST, K_LATERAL, K_LEADING,
	K_LEAVE, K_LEFT, K_LEVEL, K_LIKE, K_LIMIT, K_LINEAR, K_LINES,
	K_LINESTRING, K_LOAD, K_LOCAL, K_LOCALTIME, K_LOCALTIMESTAMP, K_LOCK,
	K_LOGFILE, K_LOGS, K_LONG, K_LONGBLOB, K_LONGTEXT, K_LOOP,
	K_LOW_PRIORITY, K_MASTER, K_MASTER_HEARTBEAT_PERIOD,
	K_MASTER_SSL_VERIFY_SERVER_CERT, K_MATCH, K_MAXVALUE, K_MEDIUMBLOB,
	K_MEDIUMINT, K_MEDIUMTEXT, K_MEMBER, K_MERGE, K_MICROSECOND,
	K_MIDDLEINT, K_MINUTE, K_MINUTE_MICROSECOND, K_MINUTE_SECOND, K_MOD,
	K_MODE, K_MODIFIES, K_MONTH, K_MULTILINESTRING, K_MULTIPOINT,
	K_MULTIPOLYGON, K_NAMES, K_NATIONAL, K_NATURAL, K_NCHAR, K_NESTED,
	K_NEW, K_NEXT, K_NO, K_NO_WRITE_TO_BINLOG, K_NOPAGER, K_NOT, K_NOTEE,
	K_NOWAIT, K_NOWARNING, K_NULL, K_NUMERIC, K_NVARCHAR, K_OF, K_OFFLINE,
	K_OFFSET, K_OJ, K_OLD, K_ON, K_ONLINE, K_ONLY, K_OPEN, K_OPTIMIZE,
	K_OPTION, K_OPTIONALLY, K_OR, K_ORDER, K_ORDINALITY, K_OUT, K_OUTER,
	K_OUTFILE, K_OVER, K_PAGE_CHECKSUM, K_PAGER, K_PARSE_VCOL_EXPR,
	K_PARTITION, K_PARTITIONS, K_PASSWORD, K_PERSIST, K_PERSIST_ONLY,
	K_PERSISTENT, K_PLUGIN, K_POINT, K_POLYGON, K_PORTION, K_POSITION,
	K_PRECEDES, K_PRECISION, K_PREPARE, K_PRESERVE, K_PREVIOUS, K_PRIMARY,
	K_PRINT, K_PRIVILEGES, K_PROCEDURE, K_PROMPT, K_PURGE, K_QUARTER,
	K_QUERY, K_QUERY_ATTRIBUTES, K_QUERY_CACHE, K_QUICK, K_QUIT, K_RANGE,
	K_READ, K_READ_WRITE, K_READS, K_REAL, K_RECURSIVE, K_REF_SYSTEM_ID,
	K_REFERENCES, K_REGEXP, K_REHASH, K_RELEASE, K_RENAME, K_REPAIR,
	K_REPEAT, K_REPLACE, K_REPLICA, K_REPLICATION, K_REQUIRE, K_RESET,
	K_RESETCONNECTION, K_RESIGNAL, K_RESOURCE, K_RESTART, K_RESTRICT,
	K_RESUME, K_RETURN, K_RETURNING, K_RETURNS, K_REVERSE, K_REVOKE,
	K_RIGHT, K_RLIKE, K_ROLE, K_ROLLBACK, K_ROUTINE, K_ROW, K_ROW_NUMBER,
	K_ROWS, K_SAVEPOINT, K_SCHEDULE, K_SCHEMA, K_SCHEMAS, K_SECOND,
	K_SECOND_MICROSECOND, K_SECURITY, K_SELECT, K_SENSITIVE, K_SEPARATOR,
	K_SEQUENCE, K_SERIAL, K_SERIALIZABLE, K_SERVER, K_SESSION, K_SET,
	K_SHARE, K_SHOW, K_SHUTDOWN, K_SIGNAL, K_SIGNED, K_SLAVE, K_SLOW,
	K_SMALLINT, K_SNAPSHOT, K_SOFT, K_SOME, K_SONAME, K_SOUNDS, K_SOURCE,
	K_SPATIAL, K_SPECIFIC, K_SQL, K_SQL_BIG_RESULT, K_SQL_CALC_FOUND_ROWS,
	K_SQL_SMALL_RESULT, K_SQLEXCEPTION, K_SQLSTATE, K_SQLWARNING, K_SSL,
	K_STACKED, K_START, K_STARTING, K_STARTS, K_STATEMENT,
	K_STATS_AUTO_RECALC, K_STATS_PERSISTENT, K_STATS_SAMPLE_PAGES,
	K_STATUS, K_STOP, K_STRAIGHT_JOIN, K_SYSTEM, K_SYSTEM_TIME, K_TABLE,
	K_TABLES, K_TABLESPACE, K_TEE, K_TEMPORARY, K_TERMINATED, K_TEXT,
	K_THAN, K_THEN, K_TIME, K_TIMESTAMP, K_TINYBLOB, K_TINYINT,
	K_TINYTEXT, K_TO, K_TRAILING, K_TRANSACTION, K_TRIGGER, K_TRUE,
	K_TRUNCATE, K_UNCOMMITTED, K_UNDEFINED, K_UNDO, K_UNINSTALL, K_UNION,
	K_UNIQUE, K_UNKNOWN, K_UNLOCK, K_UNSIGNED, K_UNTIL, K_UPDATE, K_USAGE,
	K_USE, K_USER, K_USING, K_UTC_DATE, K_UTC_TIME, K_UTC_TIMESTAMP,
	K_UUID, K_VALUE, K_VALUES, K_VARBINARY, K_VARCHAR, K_VARCHARACTER,
	K_VARYING, K_VECTOR, K_VIEW, K_WAIT, K_WARNINGS, K_WEEK, K_WHEN,
	K_WHERE, K_WHILE, K_WINDOW, K_WITH, K_WORK, K_WRITE, K_XA, K_XML,
	K_XOR, K_YEAR, K_YEAR_MONTH, K_ZEROFILL,
	K_MAX
};

/* Keywords, sorted; entry i is keyword id i + 1. */
static const struct my_kwent {
	const char	*name;
	unsigned int	 flags;
} my_kwtab[] = {
	{ "accessible", MYKW_R },
	{ "add", MYKW_R },
	{ "after", 0 },
	{ "against", MYKW_NF },
	{ "aggregate", 0 },
	{ "algorithm", 0 },
	{ "all", MYKW_R },
	{ "alter", MYKW_R },
	{ "analyze", MYKW_R },
	{ "and", MYKW_R },
	{ "any", MYKW_NF },
	{ "as", MYKW_R },
	{ "asc", MYKW_R },
	{ "ascii", 0 },
	{ "asensitive", MYKW_R },
	{ "at", 0 },
	{ "atomic", 0 },
	{ "backup", 0 },
	{ "before", MYKW_R },
	{ "begin", 0 },
	{ "between", MYKW_R },
	{ "bigint", MYKW_R|MYKW_T },
	{ "binary", MYKW_R|MYKW_T },
	{ "binlog", 0 },
	{ "bit", MYKW_T },
	{ "blob", MYKW_R|MYKW_T },
	{ "body", 0 },
	{ "bool", MYKW_T },
	{ "boolean", MYKW_T },
	{ "both", MYKW_R },
	{ "buffer", 0 },
	{ "by", MYKW_R },
	{ "cache", 0 },
	{ "call", MYKW_R },
	{ "cascade", MYKW_R },
	{ "case", MYKW_R },
	{ "chain", 0 },
	{ "change", MYKW_R },
	{ "char", MYKW_R|MYKW_T },
	{ "character", MYKW_R|MYKW_T },
	{ "charset", 0 },
	{ "check", MYKW_R },
	{ "checksum", 0 },
	{ "clear", 0 },
	{ "clone", 0 },
	{ "close", 0 },
	{ "collate", MYKW_R },
	{ "collation", 0 },
	{ "column", MYKW_R },
	{ "columns", MYKW_NF },
	{ "comment", 0 },
	{ "commit", 0 },
	{ "committed", 0 },
	{ "completion", 0 },
	{ "concurrent", 0 },
	{ "condition", MYKW_R },
	{ "connect", 0 },
	{ "connection", 0 },
	{ "consistent", 0 },
	{ "constraint", MYKW_R },
	{ "contains", 0 },
	{ "continue", MYKW_R },
	{ "convert", MYKW_R },
	{ "create", MYKW_R },
	{ "cross", MYKW_R },
	{ "current", 0 },
	{ "current_date", MYKW_R },
	{ "current_role", MYKW_R },
	{ "current_time", MYKW_R },
	{ "current_timestamp", MYKW_R },
	{ "current_user", MYKW_R },
	{ "cursor", MYKW_R },
	{ "data", 0 },
	{ "database", MYKW_R },
	{ "databases", MYKW_R },
	{ "datafile", 0 },
	{ "date", MYKW_T },
	{ "datetime", MYKW_T },
	{ "day", 0 },
	{ "day_hour", MYKW_R },
	{ "day_microsecond", MYKW_R },
	{ "day_minute", MYKW_R },
	{ "day_second", MYKW_R },
	{ "deallocate", 0 },
	{ "dec", MYKW_R|MYKW_T },
	{ "decimal", MYKW_R|MYKW_T },
	{ "declare", MYKW_R },
	{ "default", MYKW_R },
	{ "definer", 0 },
	{ "delayed", MYKW_R },
	{ "delete", MYKW_R },
	{ "delete_domain_id", MYKW_R },
	{ "delimiter", 0 },
	{ "desc", MYKW_R },
	{ "describe", MYKW_R },
	{ "deterministic", MYKW_R },
	{ "diagnostics", 0 },
	{ "directory", 0 },
	{ "disable", 0 },
	{ "discard", 0 },
	{ "distinct", MYKW_R },
	{ "distinctrow", MYKW_R },
	{ "div", MYKW_R },
	{ "do", 0 },
	{ "do_domain_ids", MYKW_R },
	{ "double", MYKW_R|MYKW_T },
	{ "drop", MYKW_R },
	{ "dual", MYKW_R },
	{ "dumpfile", 0 },
	{ "duplicate", 0 },
	{ "each", MYKW_R },
	{ "edit", 0 },
	{ "ego", 0 },
	{ "else", MYKW_R },
	{ "elseif", MYKW_R },
	{ "enable", 0 },
	{ "enclosed", MYKW_R },
	{ "end", 0 },
	{ "ends", 0 },
	{ "engine", 0 },
	{ "enum", MYKW_T },
	{ "escape", 0 },
	{ "escaped", MYKW_R },
	{ "event", 0 },
	{ "every", 0 },
	{ "except", MYKW_R },
	{ "execute", 0 },
	{ "exists", MYKW_R },
	{ "exit", MYKW_R },
	{ "explain", MYKW_R },
	{ "export", 0 },
	{ "extended", 0 },
	{ "false", MYKW_R },
	{ "fetch", MYKW_R },
	{ "fields", 0 },
	{ "file_name", 0 },
	{ "first", 0 },
	{ "fixed", MYKW_T },
	{ "float", MYKW_R|MYKW_T },
	{ "float4", MYKW_R|MYKW_T },
	{ "float8", MYKW_R|MYKW_T },
	{ "flush", 0 },
	{ "follows", 0 },
	{ "for", MYKW_R },
	{ "force", MYKW_R },
	{ "foreign", MYKW_R },
	{ "format", 0 },
	{ "found", 0 },
	{ "from", MYKW_R },
	{ "full", 0 },
	{ "fulltext", MYKW_R },
	{ "function", 0 },
	{ "general", 0 },	/* reserved in MySQL only */
	{ "geometry", MYKW_T },
	{ "geometrycollection", MYKW_T },
	{ "get", 0 },
	{ "global", 0 },
	{ "go", 0 },
	{ "grant", MYKW_R },
	{ "group", MYKW_R },
	{ "group_replication", 0 },
	{ "handler", 0 },
	{ "hard", 0 },
	{ "having", MYKW_R },
	{ "help", 0 },
	{ "high_priority", MYKW_R },
	{ "histogram", 0 },
	{ "history", 0 },
	{ "hour", 0 },
	{ "hour_microsecond", MYKW_R },
	{ "hour_minute", MYKW_R },
	{ "hour_second", MYKW_R },
	{ "identified", 0 },
	{ "if", MYKW_R },
	{ "ignore", MYKW_R },
	{ "ignore_domain_ids", MYKW_R },
	{ "ignore_server_ids", 0 },	/* reserved in MySQL only */
	{ "immediate", 0 },
	{ "import", 0 },
	{ "in", MYKW_R },
	{ "index", MYKW_R },
	{ "indexes", 0 },
	{ "inet4", MYKW_T },
	{ "inet6", MYKW_T },
	{ "infile", MYKW_R },
	{ "inner", MYKW_R },
	{ "inout", MYKW_R },
	{ "insensitive", MYKW_R },
	{ "insert", MYKW_R },
	{ "install", 0 },
	{ "instance", 0 },
	{ "int", MYKW_R|MYKW_T },
	{ "int1", MYKW_R|MYKW_T },
	{ "int2", MYKW_R|MYKW_T },
	{ "int3", MYKW_R|MYKW_T },
	{ "int4", MYKW_R|MYKW_T },
	{ "int8", MYKW_R|MYKW_T },
	{ "integer", MYKW_R|MYKW_T },
	{ "intersect", MYKW_R },
	{ "interval", MYKW_R },
	{ "into", MYKW_R },
	{ "invoker", 0 },
	{ "is", MYKW_R },
	{ "isolation", 0 },
	{ "iterate", MYKW_R },
	{ "join", MYKW_R },
	{ "json", MYKW_T },
	{ "json_table", 0 },
	{ "key", MYKW_R },
	{ "keys", MYKW_R },
	{ "kill", MYKW_R },
	{ "language", 0 },
	{ "last", 0 },
	{ "lateral", MYKW_NF },
	{ "leading", MYKW_R },
	{ "leave", MYKW_R },
	{ "left", MYKW_R },
	{ "level", 0 },
	{ "like", MYKW_R },
	{ "limit", MYKW_R },
	{ "linear", MYKW_R },
	{ "lines", MYKW_R },
	{ "linestring", MYKW_T },
	{ "load", MYKW_R },
	{ "local", 0 },
	{ "localtime", MYKW_R },
	{ "localtimestamp", MYKW_R },
	{ "lock", MYKW_R },
	{ "logfile", 0 },
	{ "logs", 0 },
	{ "long", MYKW_R|MYKW_T },
	{ "longblob", MYKW_R|MYKW_T },
	{ "longtext", MYKW_R|MYKW_T },
	{ "loop", MYKW_R },
	{ "low_priority", MYKW_R },
	{ "master", 0 },
	{ "master_heartbeat_period", 0 },	/* reserved in MySQL only */
	{ "master_ssl_verify_server_cert", MYKW_R },
	{ "match", MYKW_R },
	{ "maxvalue", MYKW_R },
	{ "mediumblob", MYKW_R|MYKW_T },
	{ "mediumint", MYKW_R|MYKW_T },
	{ "mediumtext", MYKW_R|MYKW_T },
	{ "member", 0 },
	{ "merge", 0 },
	{ "microsecond", 0 },
	{ "middleint", MYKW_R|MYKW_T },
	{ "minute", 0 },
	{ "minute_microsecond", MYKW_R },
	{ "minute_second", MYKW_R },
	{ "mod", MYKW_R },
	{ "mode", 0 },
	{ "modifies", MYKW_R },
	{ "month", 0 },
	{ "multilinestring", MYKW_T },
	{ "multipoint", MYKW_T },
	{ "multipolygon", MYKW_T },
	{ "names", 0 },
	{ "national", MYKW_T },
	{ "natural", MYKW_R },
	{ "nchar", MYKW_T },
	{ "nested", MYKW_NF },
	{ "new", 0 },
	{ "next", 0 },
	{ "no", 0 },
	{ "no_write_to_binlog", MYKW_R },
	{ "nopager", 0 },
	{ "not", MYKW_R },
	{ "notee", 0 },
	{ "nowait", 0 },
	{ "nowarning", 0 },
	{ "null", MYKW_R },
	{ "numeric", MYKW_R|MYKW_T },
	{ "nvarchar", MYKW_T },
	{ "of", 0 },
	{ "offline", 0 },
	{ "offset", MYKW_R },
	{ "oj", 0 },
	{ "old", 0 },
	{ "on", MYKW_R },
	{ "online", 0 },
	{ "only", 0 },
	{ "open", 0 },
	{ "optimize", MYKW_R },
	{ "option", MYKW_R },
	{ "optionally", MYKW_R },
	{ "or", MYKW_R },
	{ "order", MYKW_R },
	{ "ordinality", MYKW_NF },
	{ "out", MYKW_R },
	{ "outer", MYKW_R },
	{ "outfile", MYKW_R },
	{ "over", MYKW_R },
	{ "page_checksum", MYKW_R },
	{ "pager", 0 },
	{ "parse_vcol_expr", MYKW_R },
	{ "partition", MYKW_R },
	{ "partitions", 0 },
	{ "password", 0 },
	{ "persist", 0 },
	{ "persist_only", 0 },
	{ "persistent", 0 },
	{ "plugin", 0 },
	{ "point", MYKW_T },
	{ "polygon", MYKW_T },
	{ "portion", 0 },
	{ "position", MYKW_R },
	{ "precedes", 0 },
	{ "precision", MYKW_R|MYKW_T },
	{ "prepare", 0 },
	{ "preserve", 0 },
	{ "previous", 0 },
	{ "primary", MYKW_R },
	{ "print", 0 },
	{ "privileges", 0 },
	{ "procedure", MYKW_R },
	{ "prompt", 0 },
	{ "purge", MYKW_R },
	{ "quarter", 0 },
	{ "query", 0 },
	{ "query_attributes", 0 },
	{ "query_cache", 0 },
	{ "quick", 0 },
	{ "quit", 0 },
	{ "range", MYKW_R },
	{ "read", MYKW_R },
	{ "read_write", MYKW_R },
	{ "reads", MYKW_R },
	{ "real", MYKW_R|MYKW_T },
	{ "recursive", MYKW_R },
	{ "ref_system_id", MYKW_R },
	{ "references", MYKW_R },
	{ "regexp", MYKW_R },
	{ "rehash", 0 },
	{ "release", MYKW_R },
	{ "rename", MYKW_R },
	{ "repair", 0 },
	{ "repeat", MYKW_R },
	{ "replace", MYKW_R },
	{ "replica", 0 },
	{ "replication", 0 },
	{ "require", MYKW_R },
	{ "reset", 0 },
	{ "resetconnection", 0 },
	{ "resignal", MYKW_R },
	{ "resource", 0 },
	{ "restart", 0 },
	{ "restrict", MYKW_R },
	{ "resume", 0 },
	{ "return", MYKW_R },
	{ "returning", MYKW_R },
	{ "returns", 0 },
	{ "reverse", 0 },
	{ "revoke", MYKW_R },
	{ "right", MYKW_R },
	{ "rlike", MYKW_R },
	{ "role", 0 },
	{ "rollback", 0 },
	{ "routine", 0 },
	{ "row", 0 },
	{ "row_number", MYKW_R },
	{ "rows", MYKW_R },
	{ "savepoint", 0 },
	{ "schedule", 0 },
	{ "schema", MYKW_R },
	{ "schemas", MYKW_R },
	{ "second", 0 },
	{ "second_microsecond", MYKW_R },
	{ "security", 0 },
	{ "select", MYKW_R },
	{ "sensitive", MYKW_R },
	{ "separator", MYKW_R },
	{ "sequence", 0 },
	{ "serial", MYKW_T },
	{ "serializable", 0 },
	{ "server", 0 },
	{ "session", 0 },
	{ "set", MYKW_R|MYKW_T },
	{ "share", 0 },
	{ "show", MYKW_R },
	{ "shutdown", 0 },
	{ "signal", MYKW_R },
	{ "signed", MYKW_T },
	{ "slave", 0 },
	{ "slow", 0 },	/* reserved in MySQL only */
	{ "smallint", MYKW_R|MYKW_T },
	{ "snapshot", 0 },
	{ "soft", 0 },
	{ "some", MYKW_NF },
	{ "soname", 0 },
	{ "sounds", 0 },
	{ "source", 0 },
	{ "spatial", MYKW_R },
	{ "specific", MYKW_R },
	{ "sql", MYKW_R },
	{ "sql_big_result", MYKW_R },
	{ "sql_calc_found_rows", MYKW_R },
	{ "sql_small_result", MYKW_R },
	{ "sqlexception", MYKW_R },
	{ "sqlstate", MYKW_R },
	{ "sqlwarning", MYKW_R },
	{ "ssl", MYKW_R },
	{ "stacked", 0 },
	{ "start", 0 },
	{ "starting", MYKW_R },
	{ "starts", 0 },
	{ "statement", 0 },
	{ "stats_auto_recalc", MYKW_R },
	{ "stats_persistent", MYKW_R },
	{ "stats_sample_pages", MYKW_R },
	{ "status", 0 },
	{ "stop", 0 },
	{ "straight_join", MYKW_R },
	{ "system", 0 },
	{ "system_time", 0 },
	{ "table", MYKW_R },
	{ "tables", 0 },
	{ "tablespace", 0 },
	{ "tee", 0 },
	{ "temporary", 0 },
	{ "terminated", MYKW_R },
	{ "text", MYKW_T },
	{ "than", 0 },
	{ "then", MYKW_R },
	{ "time", MYKW_T },
	{ "timestamp", MYKW_T },
	{ "tinyblob", MYKW_R|MYKW_T },
	{ "tinyint", MYKW_R|MYKW_T },
	{ "tinytext", MYKW_R|MYKW_T },
	{ "to", MYKW_R },
	{ "trailing", MYKW_R },
	{ "transaction", 0 },
	{ "trigger", MYKW_R },
	{ "true", MYKW_R },
	{ "truncate", 0 },
	{ "uncommitted", 0 },
	{ "undefined", 0 },
	{ "undo", MYKW_R },
	{ "uninstall", 0 },
	{ "union", MYKW_R },
	{ "unique", MYKW_R },
	{ "unknown", 0 },
	{ "unlock", MYKW_R },
	{ "unsigned", MYKW_R|MYKW_T },
	{ "until", 0 },
	{ "update", MYKW_R },
	{ "usage", MYKW_R },
	{ "use", MYKW_R },
	{ "user", 0 },
	{ "using", MYKW_R },
	{ "utc_date", MYKW_R },
	{ "utc_time", MYKW_R },
	{ "utc_timestamp", MYKW_R },
	{ "uuid", MYKW_T },
	{ "value", 0 },
	{ "values", MYKW_R },
	{ "varbinary", MYKW_R|MYKW_T },
	{ "varchar", MYKW_R|MYKW_T },
	{ "varcharacter", MYKW_R|MYKW_T },
	{ "varying", MYKW_R|MYKW_T },
	{ "vector", MYKW_T },
	{ "view", 0 },
	{ "wait", 0 },
	{ "warnings", 0 },
	{ "week", 0 },
	{ "when", MYKW_R },
	{ "where", MYKW_R },
	{ "while", MYKW_R },
	{ "window", MYKW_R },
	{ "with", MYKW_R },
	{ "work", 0 },
	{ "write", MYKW_R },
	{ "xa", 0 },
	{ "xml", 0 },
	{ "xor", MYKW_R },
	{ "year", MYKW_T },
	{ "year_month", MYKW_R },
	{ "zerofill", MYKW_R },
};

/*
 * Functions: the allow-list of side-effect-free builtins (safe 1), and
 * builtins that carry facts of their own. Sorted.
 */
static const struct my_fnent {
	const char	*name;
	int		 safe;
	unsigned int	 flags;
} my_fntab[] = {
	{ "abs", 1, 0 },
	{ "acos", 1, 0 },
	{ "adddate", 1, 0 },
	{ "addtime", 1, 0 },
	{ "aes_decrypt", 1, 0 },
	{ "aes_encrypt", 1, 0 },
	{ "any_value", 1, 0 },
	{ "ascii", 1, 0 },
	{ "asin", 1, 0 },
	{ "atan", 1, 0 },
	{ "atan2", 1, 0 },
	{ "avg", 1, 0 },
	{ "bin", 1, 0 },
	{ "bin_to_uuid", 1, 0 },
	{ "bit_and", 1, 0 },
	{ "bit_count", 1, 0 },
	{ "bit_length", 1, 0 },
	{ "bit_or", 1, 0 },
	{ "bit_xor", 1, 0 },
	{ "cast", 1, 0 },
	{ "ceil", 1, 0 },
	{ "ceiling", 1, 0 },
	{ "char", 1, 0 },
	{ "char_length", 1, 0 },
	{ "character_length", 1, 0 },
	{ "charset", 1, 0 },
	{ "chr", 1, 0 },
	{ "coalesce", 1, 0 },
	{ "coercibility", 1, 0 },
	{ "collation", 1, 0 },
	{ "column_check", 1, 0 },
	{ "column_create", 1, 0 },
	{ "column_exists", 1, 0 },
	{ "column_get", 1, 0 },
	{ "column_json", 1, 0 },
	{ "column_list", 1, 0 },
	{ "compress", 1, 0 },
	{ "concat", 1, 0 },
	{ "concat_ws", 1, 0 },
	{ "connection_id", 1, 0 },
	{ "conv", 1, 0 },
	{ "convert", 1, 0 },
	{ "convert_tz", 1, 0 },
	{ "cos", 1, 0 },
	{ "cot", 1, 0 },
	{ "count", 1, 0 },
	{ "crc32", 1, 0 },
	{ "crc32c", 1, 0 },
	{ "cume_dist", 1, 0 },
	{ "curdate", 1, 0 },
	{ "current_date", 1, 0 },
	{ "current_role", 1, 0 },
	{ "current_time", 1, 0 },
	{ "current_timestamp", 1, 0 },
	{ "current_user", 1, 0 },
	{ "curtime", 1, 0 },
	{ "database", 1, 0 },
	{ "date", 1, 0 },
	{ "date_add", 1, 0 },
	{ "date_format", 1, 0 },
	{ "date_sub", 1, 0 },
	{ "datediff", 1, 0 },
	{ "day", 1, 0 },
	{ "dayname", 1, 0 },
	{ "dayofmonth", 1, 0 },
	{ "dayofweek", 1, 0 },
	{ "dayofyear", 1, 0 },
	{ "decode", 1, 0 },
	{ "decode_histogram", 1, 0 },
	{ "default", 1, 0 },
	{ "degrees", 1, 0 },
	{ "dense_rank", 1, 0 },
	{ "elt", 1, 0 },
	{ "encode", 1, 0 },
	{ "exp", 1, 0 },
	{ "export_set", 1, 0 },
	{ "extract", 1, 0 },
	{ "extractvalue", 1, 0 },
	{ "field", 1, 0 },
	{ "find_in_set", 1, 0 },
	{ "first_value", 1, 0 },
	{ "floor", 1, 0 },
	{ "format", 1, 0 },
	{ "format_bytes", 1, 0 },
	{ "format_pico_time", 1, 0 },
	{ "found_rows", 1, 0 },
	{ "from_base64", 1, 0 },
	{ "from_days", 1, 0 },
	{ "from_unixtime", 1, 0 },
	{ "get_format", 1, 0 },
	{ "get_lock", 0, GF_LOCK },
	{ "greatest", 1, 0 },
	{ "group_concat", 1, 0 },
	{ "hex", 1, 0 },
	{ "hour", 1, 0 },
	{ "if", 1, 0 },
	{ "ifnull", 1, 0 },
	{ "inet6_aton", 1, 0 },
	{ "inet6_ntoa", 1, 0 },
	{ "inet_aton", 1, 0 },
	{ "inet_ntoa", 1, 0 },
	{ "insert", 1, 0 },
	{ "instr", 1, 0 },
	{ "interval", 1, 0 },
	{ "is_free_lock", 1, GF_LOCK },
	{ "is_ipv4", 1, 0 },
	{ "is_ipv4_compat", 1, 0 },
	{ "is_ipv4_mapped", 1, 0 },
	{ "is_ipv6", 1, 0 },
	{ "is_used_lock", 1, GF_LOCK },
	{ "is_uuid", 1, 0 },
	{ "isnull", 1, 0 },
	{ "json_array", 1, 0 },
	{ "json_array_append", 1, 0 },
	{ "json_array_insert", 1, 0 },
	{ "json_arrayagg", 1, 0 },
	{ "json_compact", 1, 0 },
	{ "json_contains", 1, 0 },
	{ "json_contains_path", 1, 0 },
	{ "json_depth", 1, 0 },
	{ "json_detailed", 1, 0 },
	{ "json_equals", 1, 0 },
	{ "json_exists", 1, 0 },
	{ "json_extract", 1, 0 },
	{ "json_insert", 1, 0 },
	{ "json_keys", 1, 0 },
	{ "json_length", 1, 0 },
	{ "json_loose", 1, 0 },
	{ "json_merge", 1, 0 },
	{ "json_merge_patch", 1, 0 },
	{ "json_merge_preserve", 1, 0 },
	{ "json_normalize", 1, 0 },
	{ "json_object", 1, 0 },
	{ "json_objectagg", 1, 0 },
	{ "json_overlaps", 1, 0 },
	{ "json_pretty", 1, 0 },
	{ "json_query", 1, 0 },
	{ "json_quote", 1, 0 },
	{ "json_remove", 1, 0 },
	{ "json_replace", 1, 0 },
	{ "json_schema_valid", 1, 0 },
	{ "json_search", 1, 0 },
	{ "json_set", 1, 0 },
	{ "json_table", 1, 0 },
	{ "json_type", 1, 0 },
	{ "json_unquote", 1, 0 },
	{ "json_valid", 1, 0 },
	{ "json_value", 1, 0 },
	{ "lag", 1, 0 },
	{ "last_day", 1, 0 },
	{ "last_insert_id", 1, 0 },
	{ "last_value", 1, 0 },
	{ "lcase", 1, 0 },
	{ "lead", 1, 0 },
	{ "least", 1, 0 },
	{ "left", 1, 0 },
	{ "length", 1, 0 },
	{ "ln", 1, 0 },
	{ "load_file", 0, GF_FILE },
	{ "localtime", 1, 0 },
	{ "localtimestamp", 1, 0 },
	{ "locate", 1, 0 },
	{ "log", 1, 0 },
	{ "log10", 1, 0 },
	{ "log2", 1, 0 },
	{ "lower", 1, 0 },
	{ "lpad", 1, 0 },
	{ "ltrim", 1, 0 },
	{ "make_set", 1, 0 },
	{ "makedate", 1, 0 },
	{ "maketime", 1, 0 },
	{ "max", 1, 0 },
	{ "md5", 1, 0 },
	{ "median", 1, 0 },
	{ "microsecond", 1, 0 },
	{ "mid", 1, 0 },
	{ "min", 1, 0 },
	{ "minute", 1, 0 },
	{ "mod", 1, 0 },
	{ "month", 1, 0 },
	{ "monthname", 1, 0 },
	{ "natural_sort_key", 1, 0 },
	{ "nextval", 0, GF_WRITE },
	{ "now", 1, 0 },
	{ "nth_value", 1, 0 },
	{ "ntile", 1, 0 },
	{ "nullif", 1, 0 },
	{ "nvl", 1, 0 },
	{ "nvl2", 1, 0 },
	{ "oct", 1, 0 },
	{ "octet_length", 1, 0 },
	{ "old_password", 1, 0 },
	{ "ord", 1, 0 },
	{ "password", 1, 0 },
	{ "percent_rank", 1, 0 },
	{ "percentile_cont", 1, 0 },
	{ "percentile_disc", 1, 0 },
	{ "period_add", 1, 0 },
	{ "period_diff", 1, 0 },
	{ "pi", 1, 0 },
	{ "position", 1, 0 },
	{ "pow", 1, 0 },
	{ "power", 1, 0 },
	{ "quarter", 1, 0 },
	{ "quote", 1, 0 },
	{ "radians", 1, 0 },
	{ "rand", 1, 0 },
	{ "random_bytes", 1, 0 },
	{ "rank", 1, 0 },
	{ "regexp_instr", 1, 0 },
	{ "regexp_like", 1, 0 },
	{ "regexp_replace", 1, 0 },
	{ "regexp_substr", 1, 0 },
	{ "release_all_locks", 0, GF_LOCK },
	{ "release_lock", 0, GF_LOCK },
	{ "repeat", 1, 0 },
	{ "replace", 1, 0 },
	{ "reverse", 1, 0 },
	{ "right", 1, 0 },
	{ "round", 1, 0 },
	{ "row", 1, 0 },
	{ "row_count", 1, 0 },
	{ "row_number", 1, 0 },
	{ "rpad", 1, 0 },
	{ "rtrim", 1, 0 },
	{ "schema", 1, 0 },
	{ "sec_to_time", 1, 0 },
	{ "second", 1, 0 },
	{ "session_user", 1, 0 },
	{ "setval", 0, GF_WRITE },
	{ "sformat", 1, 0 },
	{ "sha", 1, 0 },
	{ "sha1", 1, 0 },
	{ "sha2", 1, 0 },
	{ "sign", 1, 0 },
	{ "sin", 1, 0 },
	{ "sleep", 1, 0 },
	{ "soundex", 1, 0 },
	{ "space", 1, 0 },
	{ "sqrt", 1, 0 },
	{ "std", 1, 0 },
	{ "stddev", 1, 0 },
	{ "stddev_pop", 1, 0 },
	{ "stddev_samp", 1, 0 },
	{ "str_to_date", 1, 0 },
	{ "strcmp", 1, 0 },
	{ "subdate", 1, 0 },
	{ "substr", 1, 0 },
	{ "substring", 1, 0 },
	{ "substring_index", 1, 0 },
	{ "subtime", 1, 0 },
	{ "sum", 1, 0 },
	{ "sys_eval", 0, GF_PROGRAM },
	{ "sys_exec", 0, GF_PROGRAM },
	{ "sys_guid", 1, 0 },
	{ "sysdate", 1, 0 },
	{ "system_user", 1, 0 },
	{ "tan", 1, 0 },
	{ "time", 1, 0 },
	{ "time_format", 1, 0 },
	{ "time_to_sec", 1, 0 },
	{ "timediff", 1, 0 },
	{ "timestamp", 1, 0 },
	{ "timestampadd", 1, 0 },
	{ "timestampdiff", 1, 0 },
	{ "to_base64", 1, 0 },
	{ "to_char", 1, 0 },
	{ "to_days", 1, 0 },
	{ "to_seconds", 1, 0 },
	{ "trim", 1, 0 },
	{ "truncate", 1, 0 },
	{ "ucase", 1, 0 },
	{ "uncompress", 1, 0 },
	{ "uncompressed_length", 1, 0 },
	{ "unhex", 1, 0 },
	{ "unix_timestamp", 1, 0 },
	{ "updatexml", 1, 0 },
	{ "upper", 1, 0 },
	{ "user", 1, 0 },
	{ "utc_date", 1, 0 },
	{ "utc_time", 1, 0 },
	{ "utc_timestamp", 1, 0 },
	{ "uuid", 1, 0 },
	{ "uuid_short", 1, 0 },
	{ "uuid_to_bin", 1, 0 },
	{ "value", 1, 0 },
	{ "values", 1, 0 },
	{ "var_pop", 1, 0 },
	{ "var_samp", 1, 0 },
	{ "variance", 1, 0 },
	{ "version", 1, 0 },
	{ "week", 1, 0 },
	{ "weekday", 1, 0 },
	{ "weekofyear", 1, 0 },
	{ "weight_string", 1, 0 },
	{ "year", 1, 0 },
	{ "yearweek", 1, 0 },
};

/* Settings the backend pins for the session (sorted). */
static const char *const my_pinned[] = {
	"character_set_client", "character_set_connection",
	"character_set_results", "collation_connection",
	"idle_readonly_transaction_timeout", "idle_transaction_timeout",
	"idle_write_transaction_timeout", "innodb_lock_wait_timeout",
	"lock_wait_timeout", "max_execution_time", "max_statement_time",
	"sql_mode",
};

/* Pinned too when the target is read-only. */
static const char *const my_pinned_ro[] = {
	"transaction_read_only", "tx_read_only",
};

/*
 * Session variables that change the server beyond the session: its
 * replication, its logs, its files, its debugging hooks (sorted).
 */
static const char *const my_server_vars[] = {
	"binlog_format", "debug", "debug_dbug", "debug_sync",
	"gtid_domain_id", "gtid_next", "gtid_seq_no", "innodb_tmpdir",
	"log_disabled_statements", "log_slow_disabled_statements",
	"log_slow_query", "original_commit_timestamp",
	"pseudo_replica_mode", "pseudo_slave_mode", "pseudo_thread_id",
	"server_id", "skip_parallel_replication", "skip_replication",
	"slow_query_log", "sql_log_bin", "sql_log_off",
	"wsrep_gtid_seq_no", "wsrep_on", "wsrep_osu_method",
};

/*
 * Tables of the mysql schema that hold privileges or run as their definer
 * (the grant tables, stored routines, events): writing them is a privilege
 * change (sorted).
 */
static const char *const my_priv_tables[] = {
	"columns_priv", "db", "default_roles", "event", "global_grants",
	"global_priv", "host", "proc", "procs_priv", "proxies_priv",
	"role_edges", "roles_mapping", "tables_priv", "user",
};

/* Tables of the mysql schema that load server code (sorted). */
static const char *const my_ext_tables[] = {
	"component", "func", "plugin",
};

/* Schemas whose tables configure the server (sorted). */
static const char *const my_sys_schemas[] = {
	"mysql", "performance_schema", "sys",
};

/* Leading words of the mysql client's own commands. */
static const char *const my_client_words[] = {
	"charset", "clear", "connect", "delimiter", "edit", "ego", "exit",
	"go", "nopager", "notee", "nowarning", "pager", "print", "prompt",
	"query_attributes", "quit", "rehash", "resetconnection", "source",
	"status", "system", "tee", "warnings",
};

/*
 * Allow-listed builtins one flavour lacks: there the name calls a stored
 * function of the current database (sorted). MariaDB 10.11 has none of the
 * first list (JSON_TABLE only as a table); MySQL none of the second.
 */
static const char *const my_mysql_only[] = {
	"any_value", "bin_to_uuid", "format_bytes", "format_pico_time",
	"is_uuid", "json_schema_valid", "json_table", "regexp_like",
	"uuid_to_bin",
};
static const char *const my_mariadb_only[] = {
	"chr", "column_check", "column_create", "column_exists",
	"column_get", "column_json", "column_list", "crc32c", "decode",
	"decode_histogram", "encode", "json_compact", "json_detailed",
	"json_equals", "json_exists", "json_loose", "json_normalize",
	"json_query", "median", "natural_sort_key", "nvl", "nvl2",
	"old_password", "password", "percentile_cont", "percentile_disc",
	"sformat", "sys_guid", "to_char", "value",
};

/*
 * Builtins the server knows only when "(" follows at once (sql_functions
 * in sql/lex.h): with a space or comment before "(", the name is looked up
 * as a stored or loadable function instead.
 */
static const char *const my_gapfuncs[] = {
	"adddate", "bit_and", "bit_or", "bit_xor", "cast", "count",
	"cume_dist", "curdate", "curtime", "date_add", "date_sub",
	"dense_rank", "extract", "first_value", "group_concat",
	"json_arrayagg", "json_objectagg", "lag", "last_value", "lead",
	"max", "median", "mid", "min", "now", "nth_value", "ntile",
	"percent_rank", "percentile_cont", "percentile_disc",
	"position", "rank", "row_number", "session_user", "std",
	"stddev", "stddev_pop", "stddev_samp", "subdate", "substr",
	"substring", "sum", "sysdate", "system_user", "trim",
	"trim_oracle", "var_pop", "var_samp", "variance",
};

#define MY_EXACT	1e15	/* numbers worked out are below this */
#define MY_MAXDEPTH	16	/* statements nested in statements */
#define MY_MAXLEVEL	64	/* nested parentheses */
#define MY_MAXCTE	32
#define MY_MAXALIAS	32
#define MY_MAXNAME	260	/* bytes in an identifier */
#define MY_MAXREAD	4	/* readings of one statement */
#define MY_MAXFACTS	512	/* functions, relations per statement */

#define MY_EFF_NONE		0
#define MY_EFF_USE		1
#define MY_EFF_PREPARE		2
#define MY_EFF_DEALLOCATE	3

/* What a top-level statement does to the session context. */
struct my_effect {
	int			 type;		/* MY_EFF_* */
	char			*name;
	struct guard_facts	 facts;		/* MY_EFF_PREPARE */
};

/* A table reference in a FROM list, for multi-table DELETE targets. */
struct my_alias {
	size_t		 alias;		/* token, or SIZE_MAX */
	size_t		 schema;	/* token, or SIZE_MAX */
	size_t		 name;		/* token */
};

struct my_mcache;

/* One classification of one token list. */
struct my_cls {
	struct guard_ctx		*ctx;
	const struct sql_mysql_reading	*rd;
	const char			*s;
	const struct sql_mytok		*t;
	size_t				 n;
	const char			*defdb;	/* for unqualified names */
	int				 depth;	/* statement nesting */
	int				 body;	/* in a routine body */
	struct my_effect		*eff;	/* at the top only */
	size_t				 cte[MY_MAXCTE];
	size_t				 ncte;
	struct my_alias			 alias[MY_MAXALIAS];
	size_t				 nalias;
	int				 record; /* aliases */
	int				*gated;	/* met a gated comment */
	struct my_mcache		*mcache; /* masked columns */
	int				 prep;	/* a PREPARE text */
	int				 prepping; /* reading one */
};

static size_t	my_stmt(struct my_cls *, struct guard_facts *, size_t,
		    size_t);
static size_t	my_sp_stmt(struct my_cls *, struct guard_facts *, size_t,
		    size_t);
static void	my_text(struct my_cls *, const char *, size_t,
		    struct guard_facts *);

/* The keyword id of token i, or K_NONE (also at or past e). */
static int
my_kw(const struct my_cls *c, size_t i, size_t e)
{
	if (i >= e || c->t[i].kind != SQL_MYTOK_WORD)
		return (K_NONE);
	return (c->t[i].kw);
}

/* The flags of a keyword id. */
static unsigned int
my_kwflags(int kw)
{
	if (kw <= K_NONE || kw >= K_MAX)
		return (0);
	return (my_kwtab[kw - 1].flags);
}

/* Whether token i is the operator op. */
static int
my_op(const struct my_cls *c, size_t i, size_t e, const char *op)
{
	size_t	 n = strlen(op);

	return (i < e && c->t[i].kind == SQL_MYTOK_OP && c->t[i].len == n &&
	    memcmp(c->s + c->t[i].start, op, n) == 0);
}

/* Whether token i is of kind k. */
static int
my_is(const struct my_cls *c, size_t i, size_t e, int k)
{
	return (i < e && c->t[i].kind == k);
}

/* Whether token i can be a name: an unquoted or quoted identifier. */
static int
my_isname(const struct my_cls *c, size_t i, size_t e)
{
	return (i < e && (c->t[i].kind == SQL_MYTOK_WORD ||
	    c->t[i].kind == SQL_MYTOK_QIDENT));
}

/* Whether token i is a name that is not a reserved word. */
static int
my_isfreename(const struct my_cls *c, size_t i, size_t e)
{
	return (my_isname(c, i, e) && !(my_kwflags(my_kw(c, i, e)) &
	    MYKW_R));
}

/* Look a word up in a sorted table of strings. */
static int
my_bsearch(const char *w, const char *const *tab, size_t n)
{
	size_t	 lo = 0, hi = n, mid;
	int	 r;

	while (lo < hi) {
		mid = (lo + hi) / 2;
		if ((r = strcmp(w, tab[mid])) == 0)
			return (1);
		if (r < 0)
			hi = mid;
		else
			lo = mid + 1;
	}
	return (0);
}

/* Give each word token its keyword id. */
static void
my_keywords(struct sql_mytok *t, size_t n, const char *s)
{
	char	 w[32];
	size_t	 i, k, lo, hi, mid;
	int	 r;

	for (i = 0; i < n; i++) {
		if (t[i].kind != SQL_MYTOK_WORD || t[i].len >= sizeof w)
			continue;
		for (k = 0; k < t[i].len; k++) {
			w[k] = s[t[i].start + k];
			if (w[k] >= 'A' && w[k] <= 'Z')
				w[k] += 'a' - 'A';
		}
		w[k] = '\0';
		lo = 0;
		hi = nitems(my_kwtab);
		while (lo < hi) {
			mid = (lo + hi) / 2;
			if ((r = strcmp(w, my_kwtab[mid].name)) == 0) {
				t[i].kw = (uint16_t)(mid + 1);
				break;
			}
			if (r < 0)
				hi = mid;
			else
				lo = mid + 1;
		}
	}
}

/*
 * Copy name token i into buf: unquoted names folded to lower case (ASCII
 * only), quoted ones as written. Returns 0, or -1 if it does not fit.
 */
static int
my_ident(const struct my_cls *c, size_t i, char *buf, size_t size)
{
	const struct sql_mytok	*t = &c->t[i];
	const char		*p = c->s + t->start, *e = p + t->len;
	size_t			 n = 0;
	char			 q;

	if (t->kind == SQL_MYTOK_WORD) {
		if (t->len >= size)
			return (-1);
		for (; p < e; p++) {
			buf[n++] = *p >= 'A' && *p <= 'Z' ?
			    (char)(*p + ('a' - 'A')) : *p;
		}
		buf[n] = '\0';
		return (0);
	}
	if (t->kind != SQL_MYTOK_QIDENT || t->len < 2)
		return (-1);
	q = *p++;
	e--;
	for (; p < e; p++) {
		if (*p == q && p + 1 < e && p[1] == q)
			p++;
		if (n + 1 >= size)
			return (-1);
		buf[n++] = *p;
	}
	buf[n] = '\0';
	return (0);
}

/* Fold a token's text to lower case into buf (truncating). */
static void
my_lower(const struct my_cls *c, size_t i, char *buf, size_t size)
{
	const struct sql_mytok	*t = &c->t[i];
	size_t			 k;

	for (k = 0; k < t->len && k + 1 < size; k++) {
		buf[k] = c->s[t->start + k];
		if (buf[k] >= 'A' && buf[k] <= 'Z')
			buf[k] += 'a' - 'A';
	}
	buf[k] = '\0';
}

/* Index past the ")" matching the "(" at i, or e if unbalanced. */
static size_t
my_close(const struct my_cls *c, size_t i, size_t e)
{
	size_t	 d = 0;

	for (; i < e; i++) {
		if (c->t[i].kind == SQL_MYTOK_SEMI)
			return (e);
		if (my_op(c, i, e, "("))
			d++;
		else if (my_op(c, i, e, ")") && --d == 0)
			return (i + 1);
	}
	return (e);
}

/* The first ";" in b..e, or e. */
static size_t
my_semi(const struct my_cls *c, size_t b, size_t e)
{
	for (; b < e; b++) {
		if (c->t[b].kind == SQL_MYTOK_SEMI)
			return (b);
	}
	return (e);
}

/* The first keyword kw at parenthesis depth 0 in b..e, or e. */
static size_t
my_find(const struct my_cls *c, size_t b, size_t e, int kw)
{
	size_t	 d = 0;

	for (; b < e; b++) {
		if (my_op(c, b, e, "("))
			d++;
		else if (my_op(c, b, e, ")") && d > 0)
			d--;
		else if (d == 0 && my_kw(c, b, e) == kw)
			return (b);
	}
	return (e);
}

/* Whether an unqualified name is one of the statement's CTEs. */
static int
my_iscte(const struct my_cls *c, const char *name)
{
	char	 buf[MY_MAXNAME];
	size_t	 i;

	for (i = 0; i < c->ncte; i++) {
		if (my_ident(c, c->cte[i], buf, sizeof buf) == 0 &&
		    strcmp(buf, name) == 0)
			return (1);
	}
	return (0);
}

/*
 * Add a function or relation, up to a cap: adding is linear in what is
 * there, so a statement naming thousands of them is unknown instead.
 */
static void
my_addfunc(struct guard_facts *f, const char *schema, const char *name,
    int opaque)
{
	if (f->nfuncs >= MY_MAXFACTS) {
		guard_unknown(f, "more than %d different functions",
		    MY_MAXFACTS);
		return;
	}
	guard_add_func(f, schema, name, opaque);
}

/* ASCII lower case of s into buf; -1 if it does not fit. */
static int
my_lowercpy(const char *s, char *buf, size_t size)
{
	size_t	 k;

	for (k = 0; s[k] != '\0'; k++) {
		if (k + 1 >= size)
			return (-1);
		buf[k] = s[k] >= 'A' && s[k] <= 'Z' ? s[k] + ('a' - 'A') :
		    s[k];
	}
	buf[k] = '\0';
	return (0);
}

/*
 * A write to a system table: the grant tables and routines of the mysql
 * schema change privileges, its plugin tables load code, any other table
 * there or in performance_schema or sys configures the server.
 */
static void
my_systable(struct guard_facts *f, const char *schema, const char *name)
{
	char	 sch[MY_MAXNAME], nm[MY_MAXNAME];

	if (my_lowercpy(schema, sch, sizeof sch) != 0 ||
	    my_lowercpy(name, nm, sizeof nm) != 0) {
		f->flags |= GF_SERVER_CONFIG | GF_WRITE;
		return;
	}
	if (!my_bsearch(sch, my_sys_schemas, nitems(my_sys_schemas)))
		return;
	f->flags |= GF_WRITE;
	if (strcmp(sch, "mysql") == 0 && my_bsearch(nm, my_priv_tables,
	    nitems(my_priv_tables)))
		f->flags |= GF_PRIVILEGE;
	else if (strcmp(sch, "mysql") == 0 && my_bsearch(nm, my_ext_tables,
	    nitems(my_ext_tables)))
		f->flags |= GF_EXTENSION;
	else
		f->flags |= GF_SERVER_CONFIG;
}

/*
 * A view over a table of the mysql schema can be written through: as a
 * write to that table.
 */
static void
my_sysview(struct guard_facts *f)
{
	size_t	 k;

	for (k = 0; k < f->nrels; k++) {
		if (f->rels[k].schema != NULL &&
		    strcasecmp(f->rels[k].schema, "mysql") == 0)
			my_systable(f, f->rels[k].schema, f->rels[k].name);
	}
}

/* See my_addfunc; a write to a system table is a fact of its own. */
static void
my_addrel1(struct guard_facts *f, const char *schema, const char *name,
    unsigned int access)
{
	if ((access & GUARD_WRITE) && schema != NULL)
		my_systable(f, schema, name);
	if (f->nrels >= MY_MAXFACTS) {
		guard_unknown(f, "more than %d different relations",
		    MY_MAXFACTS);
		return;
	}
	guard_add_rel(f, schema, name, access);
}

/* Add the relation named by tokens (schema may be SIZE_MAX). */
static void
my_addrel(struct my_cls *c, struct guard_facts *f, size_t schema,
    size_t name, unsigned int access)
{
	char	 sch[MY_MAXNAME], nm[MY_MAXNAME];

	if (my_ident(c, name, nm, sizeof nm) != 0 || (schema != SIZE_MAX &&
	    my_ident(c, schema, sch, sizeof sch) != 0)) {
		guard_unknown(f, "an identifier is longer than the server "
		    "allows");
		return;
	}
	if (schema == SIZE_MAX && my_iscte(c, nm))
		return;
	my_addrel1(f, schema != SIZE_MAX ? sch : c->defdb, nm, access);
}

/*
 * Read a table name (name or schema.name) at i and add it as a relation.
 * Returns the index past it (i itself if there is no name there) and the
 * tokens of its parts.
 */
static size_t
my_table(struct my_cls *c, struct guard_facts *f, size_t i, size_t e,
    unsigned int access, size_t *schemap, size_t *namep)
{
	size_t	 schema = SIZE_MAX, name = i;

	if (!my_isname(c, i, e))
		return (i);
	if (my_op(c, i + 1, e, ".") && my_isname(c, i + 2, e)) {
		schema = i;
		name = i + 2;
		i += 3;
	} else
		i++;
	my_addrel(c, f, schema, name, access);
	if (schemap != NULL)
		*schemap = schema;
	if (namep != NULL)
		*namep = name;
	return (i);
}

/* Read a comma-separated list of table names from i; returns past it. */
static size_t
my_tables(struct my_cls *c, struct guard_facts *f, size_t i, size_t e,
    unsigned int access)
{
	size_t	 j;

	for (;;) {
		if ((j = my_table(c, f, i, e, access, NULL, NULL)) == i)
			return (i);
		if (!my_op(c, j, e, ","))
			return (j);
		i = j + 1;
	}
}

/* Skip IF [NOT] EXISTS at i. */
static size_t
my_ifexists(const struct my_cls *c, size_t i, size_t e)
{
	if (my_kw(c, i, e) == K_IF && my_kw(c, i + 1, e) == K_EXISTS)
		return (i + 2);
	if (my_kw(c, i, e) == K_IF && my_kw(c, i + 1, e) == K_NOT &&
	    my_kw(c, i + 2, e) == K_EXISTS)
		return (i + 3);
	return (i);
}

/* Record a setting named in a pinned-setting fact. */
static void
my_pinned_set(struct guard_facts *f, const char *name)
{
	f->flags |= GF_PINNED;
	if (f->setting == NULL)
		f->setting = xstrdup(name);
}

/* Look a function name up in the function table. */
static const struct my_fnent *
my_fn(const char *name)
{
	size_t	 lo = 0, hi = nitems(my_fntab), mid;
	int	 r;

	while (lo < hi) {
		mid = (lo + hi) / 2;
		if ((r = strcmp(name, my_fntab[mid].name)) == 0)
			return (&my_fntab[mid]);
		if (r < 0)
			hi = mid;
		else
			lo = mid + 1;
	}
	return (NULL);
}

/* Keywords before "(" that make it an expression in DDL, not a list. */
static int
my_ddl_op(int kw)
{
	switch (kw) {
	case K_DEFAULT:
	case K_UPDATE:
	case K_AND:
	case K_OR:
	case K_NOT:
	case K_XOR:
	case K_IS:
	case K_LIKE:
	case K_IN:
	case K_BETWEEN:
	case K_DIV:
	case K_MOD:
	case K_THEN:
	case K_ELSE:
	case K_WHEN:
	case K_CASE:
	case K_SELECT:
	case K_WHERE:
	case K_RETURN:
	case K_REGEXP:
	case K_RLIKE:
	case K_INTERVAL:
	case K_BINARY:
		return (1);
	}
	return (0);
}

/*
 * Whether a keyword that is also a name (AGAINST, COLUMNS, NESTED...) at
 * i, before "(", calls a function: MariaDB calls a stored function of that
 * name except where the keyword's own syntax puts it (MATCH (...) AGAINST
 * (...), JSON_TABLE's PATH '...' COLUMNS (...), x = ANY (...), MySQL's
 * LATERAL (...)).
 */
static int
my_nfcall(const struct my_cls *c, size_t b, size_t i, size_t e)
{
	static const char *const	 cmps[] = {
		"<=>", "<=", ">=", "<>", "!=", "=", "<", ">",
	};
	size_t				 k;

	switch (my_kw(c, i, e)) {
	case K_AGAINST:
		return (!(i > b && my_op(c, i - 1, e, ")")));
	case K_COLUMNS:
		return (!(i > b && my_is(c, i - 1, e, SQL_MYTOK_STRING)));
	case K_ANY:
	case K_SOME:
		for (k = 0; i > b && k < nitems(cmps); k++) {
			if (my_op(c, i - 1, e, cmps[k]))
				return (0);
		}
		return (1);
	case K_LATERAL:
		return (c->rd->mariadb);
	}
	return (1);
}

/*
 * Token i (a name; q is the first token of a qualified name, else i) is
 * followed by "(": decide whether it calls a function, and add the call.
 * Returns 1 for a call.
 */
static int
my_call(struct my_cls *c, struct guard_facts *f, size_t b, size_t q,
    size_t i, size_t e, int ddl)
{
	const struct my_fnent	*fn;
	char			 name[MY_MAXNAME], sch[MY_MAXNAME];
	unsigned int		 fl;
	size_t			 k;
	int			 kw, opaque;

	kw = my_kw(c, i, e);
	fl = my_kwflags(kw);
	if (q > b && my_kw(c, q - 1, e) == K_AS && (fl & MYKW_T) && q == i)
		return (0);	/* CAST(x AS DATETIME(6)) */
	if (ddl && q > b && my_isname(c, q - 1, e) &&
	    !my_ddl_op(my_kw(c, q - 1, e)))
		return (0);	/* a column type, an index or table name */
	if (q != i || c->t[i].kind == SQL_MYTOK_QIDENT) {
		/* A quoted or qualified name: a stored function. */
		if (my_ident(c, i, name, sizeof name) != 0 || (q != i &&
		    my_ident(c, q, sch, sizeof sch) != 0)) {
			guard_unknown(f, "an identifier is longer than the "
			    "server allows");
			return (1);
		}
		my_addfunc(f, q != i ? sch : NULL, name, 1);
		f->flags |= GF_OPAQUE;
		/* A quoted builtin name is still the builtin: `load_file`(). */
		if (q == i) {
			for (k = 0; name[k] != '\0'; k++)
				sch[k] = name[k] >= 'A' && name[k] <= 'Z' ?
				    (char)(name[k] + ('a' - 'A')) : name[k];
			sch[k] = '\0';
			if ((fn = my_fn(sch)) != NULL)
				f->flags |= fn->flags;
		}
		return (1);
	}
	my_lower(c, i, name, sizeof name);
	if ((fn = my_fn(name)) != NULL) {
		opaque = !fn->safe || ((c->t[i + 1].flags & SQL_MYTOKF_GAP) &&
		    my_bsearch(name, my_gapfuncs, nitems(my_gapfuncs))) ||
		    (c->rd->mariadb ? my_bsearch(name, my_mysql_only,
		    nitems(my_mysql_only)) : my_bsearch(name, my_mariadb_only,
		    nitems(my_mariadb_only)));
		my_addfunc(f, NULL, name, opaque);
		if (opaque)
			f->flags |= GF_OPAQUE;
		f->flags |= fn->flags;
		return (1);
	}
	if (fl & MYKW_R)
		return (0);
	if ((fl & MYKW_NF) && my_nfcall(c, b, i, e) == 0)
		return (0);
	if (ddl && (fl & MYKW_T))
		return (0);
	my_addfunc(f, NULL, name, 1);
	f->flags |= GF_OPAQUE;
	return (1);
}

#define MY_SCAN_SEL	0x01	/* level 0 is a query: FROM has tables */
#define MY_SCAN_TL	0x02	/* level 0 starts with a table list */
#define MY_SCAN_DDL	0x04	/* a name after a name is no call */
#define MY_SCAN_ALIAS	0x08	/* record level-0 table references */

#define MY_TL_NONE	0
#define MY_TL_EXPECT	1	/* a table reference comes next */
#define MY_TL_AFTER	2	/* after one: alias, join, ",", ON... */
#define MY_TL_ON	3	/* in a join condition */

/* One level of parentheses in a scan. */
struct my_level {
	unsigned char	 tl;
	unsigned char	 sel;
	unsigned char	 alias;		/* the alias is read */
	unsigned int	 access;
};

/* Keywords that end a FROM list. */
static int
my_tl_end(int kw)
{
	switch (kw) {
	case K_WHERE:
	case K_GROUP:
	case K_HAVING:
	case K_ORDER:
	case K_LIMIT:
	case K_UNION:
	case K_EXCEPT:
	case K_INTERSECT:
	case K_INTO:
	case K_FOR:
	case K_LOCK:
	case K_PROCEDURE:
	case K_WINDOW:
	case K_RETURNING:
	case K_SET:
	case K_FETCH:
	case K_OFFSET:
	case K_SELECT:
	case K_VALUES:
	case K_DUPLICATE:
		return (1);
	}
	return (0);
}

/* Record the table reference just read at level 0 (for DELETE). */
static void
my_record(struct my_cls *c, size_t schema, size_t name)
{
	if (!c->record || c->nalias >= MY_MAXALIAS)
		return;
	c->alias[c->nalias].alias = SIZE_MAX;
	c->alias[c->nalias].schema = schema;
	c->alias[c->nalias].name = name;
	c->nalias++;
}

/* Record the alias of the table reference just recorded. */
static void
my_record_alias(struct my_cls *c, size_t alias)
{
	if (c->record && c->nalias > 0)
		c->alias[c->nalias - 1].alias = alias;
}

/*
 * Scan tokens b..e for what any part of a statement may hold: table
 * references after FROM and JOIN (and from the start with MY_SCAN_TL),
 * function calls, subqueries, SELECT ... INTO, FOR UPDATE.
 */
static void
my_scan(struct my_cls *c, struct guard_facts *f, size_t b, size_t e,
    int flags, unsigned int access)
{
	struct my_level	 lv[MY_MAXLEVEL], *L;
	size_t		 i, j, d = 0, sch, nm;
	int		 kw, k, call, tabfn = 0;

	memset(&lv[0], 0, sizeof lv[0]);
	lv[0].tl = (flags & MY_SCAN_TL) ? MY_TL_EXPECT : MY_TL_NONE;
	lv[0].sel = (flags & MY_SCAN_SEL) != 0;
	lv[0].access = access;
	for (i = b; i < e; i++) {
		L = &lv[d];
		kw = my_kw(c, i, e);
		if (c->t[i].kind == SQL_MYTOK_OP) {
			if (my_op(c, i, e, "(")) {
				if (d + 1 >= MY_MAXLEVEL)
					goto deep;
				d++;
				memset(&lv[d], 0, sizeof lv[d]);
				lv[d].access = GUARD_READ;
				if (L->tl == MY_TL_EXPECT) {
					/* A derived table or a nested join. */
					k = my_kw(c, i + 1, e);
					if (k != K_SELECT && k != K_WITH &&
					    k != K_VALUES && k != K_TABLE) {
						lv[d].tl = MY_TL_EXPECT;
						lv[d].access = L->access;
					}
					L->tl = MY_TL_AFTER;
					L->alias = 0;
				}
			} else if (my_op(c, i, e, ")")) {
				if (d == 0) {
					guard_unknown(f, "unbalanced \")\"");
					return;
				}
				d--;
			} else if (my_op(c, i, e, ",") &&
			    (L->tl == MY_TL_AFTER || L->tl == MY_TL_ON))
				L->tl = MY_TL_EXPECT;
			continue;
		}
		if (!my_isname(c, i, e))
			continue;

		if (L->tl == MY_TL_EXPECT) {
			if (kw == K_LATERAL || (kw == K_OJ && i > b &&
			    my_op(c, i - 1, e, "{")))
				continue;
			if (kw == K_DUAL) {
				L->tl = MY_TL_AFTER;
				L->alias = 0;
				continue;
			}
			if (kw == K_JSON_TABLE && my_op(c, i + 1, e, "(")) {
				L->tl = MY_TL_AFTER;
				L->alias = 0;
				tabfn = 1;
			} else if (!(my_kwflags(kw) & MYKW_R)) {
				j = my_table(c, f, i, e, L->access, &sch, &nm);
				if (d == 0)
					my_record(c, sch, nm);
				L->tl = MY_TL_AFTER;
				L->alias = 0;
				i = j - 1;
				continue;
			} else
				L->tl = MY_TL_NONE;
		} else if (L->tl == MY_TL_AFTER || L->tl == MY_TL_ON) {
			switch (kw) {
			case K_JOIN:
			case K_STRAIGHT_JOIN:
				L->tl = MY_TL_EXPECT;
				continue;
			case K_INNER:
			case K_CROSS:
			case K_LEFT:
			case K_RIGHT:
			case K_NATURAL:
			case K_OUTER:
			case K_FULL:
				if (!my_op(c, i + 1, e, "("))
					continue;
				break;
			}
			if (L->tl == MY_TL_AFTER) {
				if (kw == K_AS && (my_isname(c, i + 1, e) ||
				    my_is(c, i + 1, e, SQL_MYTOK_STRING))) {
					if (d == 0)
						my_record_alias(c, i + 1);
					L->alias = 1;
					i++;
					continue;
				}
				if (!L->alias && my_isfreename(c, i, e)) {
					if (d == 0)
						my_record_alias(c, i);
					L->alias = 1;
					continue;
				}
				if (kw == K_ON) {
					L->tl = MY_TL_ON;
					continue;
				}
				if (kw == K_USING || kw == K_PARTITION ||
				    kw == K_USE || kw == K_IGNORE ||
				    kw == K_FORCE || kw == K_INDEX ||
				    kw == K_KEY)
					continue;
				if (kw == K_FOR) {
					k = my_kw(c, i + 1, e);
					if (k == K_JOIN) {
						i++;
						continue;
					}
					if ((k == K_ORDER || k == K_GROUP) &&
					    my_kw(c, i + 2, e) == K_BY) {
						i += 2;
						continue;
					}
					if (k == K_SYSTEM_TIME) {
						L->tl = MY_TL_ON;
						i++;
						continue;
					}
				}
				L->tl = MY_TL_NONE;
			} else if (my_tl_end(kw))
				L->tl = MY_TL_NONE;
		}

		switch (kw) {
		case K_SELECT:
			L->sel = 1;
			L->tl = MY_TL_NONE;
			continue;
		case K_FROM:
			if (L->sel) {
				L->tl = MY_TL_EXPECT;
				L->access = GUARD_READ;
			}
			continue;
		case K_JOIN:
			if (L->sel)
				L->tl = MY_TL_EXPECT;
			continue;
		case K_INTO:
			k = my_kw(c, i + 1, e);
			if (k == K_OUTFILE || k == K_DUMPFILE)
				f->flags |= GF_FILE | GF_WRITE;
			else
				f->flags |= GF_INTO_VARIABLE;
			continue;
		case K_FOR:
			k = my_kw(c, i + 1, e);
			if (k == K_UPDATE || k == K_SHARE)
				f->flags |= GF_ROW_LOCK;
			continue;
		case K_LOCK:
			if (my_kw(c, i + 1, e) == K_IN &&
			    my_kw(c, i + 2, e) == K_SHARE)
				f->flags |= GF_ROW_LOCK;
			continue;
		case K_NEXT:
		case K_PREVIOUS:
			if (my_kw(c, i + 1, e) != K_VALUE ||
			    my_kw(c, i + 2, e) != K_FOR)
				break;
			my_addfunc(f, NULL, kw == K_NEXT ? "nextval" :
			    "lastval", kw == K_NEXT);
			if (kw == K_NEXT)
				f->flags |= GF_OPAQUE | GF_WRITE;
			j = my_table(c, f, i + 3, e, kw == K_NEXT ?
			    GUARD_READ | GUARD_WRITE : GUARD_READ, NULL, NULL);
			i = j - 1;
			continue;
		}

		call = -1;
		if (tabfn) {
			/* JSON_TABLE(...) as a table, not a function. */
			call = 1;
			j = i + 1;
			tabfn = 0;
		} else if (my_op(c, i + 1, e, "(")) {
			call = my_call(c, f, b, i, i, e, flags & MY_SCAN_DDL);
			j = i + 1;
		} else if (my_op(c, i + 1, e, ".") && my_isname(c, i + 2, e) &&
		    my_op(c, i + 3, e, "(")) {
			call = my_call(c, f, b, i, i + 2, e,
			    flags & MY_SCAN_DDL);
			j = i + 3;
		}
		if (call < 0)
			continue;
		if (d + 1 >= MY_MAXLEVEL)
			goto deep;
		d++;
		memset(&lv[d], 0, sizeof lv[d]);
		lv[d].access = GUARD_READ;
		i = j;
	}
	if (d != 0)
		guard_unknown(f, "unbalanced \"(\"");
	return;
deep:
	guard_unknown(f, "parentheses nested more than %d deep", MY_MAXLEVEL);
}

/*
 * The constant evaluator for WHERE clauses. A value is a number or string
 * constant, NULL, a constant whose value is not worked out (variables,
 * placeholders, functions of constants), or something that varies with
 * the row (a column, a subquery). Anything it cannot read counts as a
 * constant: fail closed, the WHERE may be always true.
 */
#define MY_V_VARIES	0
#define MY_V_CONST	1	/* constant, value unknown */
#define MY_V_NULL	2
#define MY_V_NUM	3
#define MY_V_STR	4
#define MY_V_COL	5	/* a column reference: varies */

#define MY_T_FALSE	0
#define MY_T_TRUE	1
#define MY_T_NULL	2
#define MY_T_CONST	3
#define MY_T_VARIES	4

struct my_val {
	int		 t;
	double		 n;
	size_t		 tok;		/* string or first column token */
	size_t		 ntok;		/* MY_V_COL: its tokens */
};

struct my_ev {
	struct my_cls	*c;
	size_t		 i;
	size_t		 e;
	int		 depth;
	int		 bad;
};

static struct my_val	my_ev_or(struct my_ev *);
static struct my_val	my_ev_unary(struct my_ev *);

/* A value of type t. */
static struct my_val
my_v(int t)
{
	struct my_val	 v;

	memset(&v, 0, sizeof v);
	v.t = t;
	return (v);
}

/* A number. */
static struct my_val
my_vnum(double n)
{
	struct my_val	 v = my_v(MY_V_NUM);

	v.n = n;
	return (v);
}

/* The number a string or number token reads as; -1 if not worked out. */
static int
my_tokdouble(const struct my_cls *c, size_t i, double *out)
{
	const struct sql_mytok	*t = &c->t[i];
	char			 buf[64];
	size_t			 off = 0, n = t->len;

	if (t->kind == SQL_MYTOK_STRING) {
		if (t->flags & SQL_MYTOKF_ESCAPE || t->len < 2 ||
		    (c->s[t->start] != '\'' && c->s[t->start] != '"'))
			return (-1);
		off = 1;
		n = t->len - 2;
	}
	/*
	 * Long numbers (past BIGINT, or DECIMAL precision) the server
	 * reads exactly or folds oddly; leave them not worked out.
	 */
	if (n >= sizeof buf || n > 15)
		return (-1);
	memcpy(buf, c->s + t->start + off, n);
	buf[n] = '\0';
	*out = strtod(buf, NULL);
	if (*out >= MY_EXACT || *out <= -MY_EXACT)
		return (-1);
	return (0);
}

/* The number a value reads as; -1 if not known. */
static int
my_vdouble(const struct my_ev *ev, const struct my_val *v, double *out)
{
	if (v->t == MY_V_NUM) {
		*out = v->n;
		return (0);
	}
	if (v->t == MY_V_STR)
		return (my_tokdouble(ev->c, v->tok, out));
	return (-1);
}

/* A string value as the number it reads as (or a constant). */
static struct my_val
my_vtonum(const struct my_ev *ev, const struct my_val *v)
{
	double	 n;

	if (v->t != MY_V_STR)
		return (*v);
	if (my_vdouble(ev, v, &n) != 0)
		return (my_v(MY_V_CONST));
	return (my_vnum(n));
}

/* A value's truth. */
static int
my_truth(const struct my_ev *ev, const struct my_val *v)
{
	double	 n;

	switch (v->t) {
	case MY_V_VARIES:
	case MY_V_COL:
		return (MY_T_VARIES);
	case MY_V_NULL:
		return (MY_T_NULL);
	case MY_V_NUM:
	case MY_V_STR:
		if (my_vdouble(ev, v, &n) != 0)
			return (MY_T_CONST);
		return (n != 0 ? MY_T_TRUE : MY_T_FALSE);
	}
	return (MY_T_CONST);
}

/* The value of a truth. */
static struct my_val
my_vtruth(int t)
{
	switch (t) {
	case MY_T_TRUE:
		return (my_vnum(1));
	case MY_T_FALSE:
		return (my_vnum(0));
	case MY_T_NULL:
		return (my_v(MY_V_NULL));
	case MY_T_VARIES:
		return (my_v(MY_V_VARIES));
	}
	return (my_v(MY_V_CONST));
}

/* The combined kind of an operation on a and b that is not worked out. */
static struct my_val
my_vmix(const struct my_val *a, const struct my_val *b)
{
	if (a->t == MY_V_VARIES || a->t == MY_V_COL ||
	    b->t == MY_V_VARIES || b->t == MY_V_COL)
		return (my_v(MY_V_VARIES));
	return (my_v(MY_V_CONST));
}

/* Whether two column references are the same tokens. */
static int
my_samecol(const struct my_ev *ev, const struct my_val *a,
    const struct my_val *b)
{
	const struct my_cls	*c = ev->c;
	const struct sql_mytok	*x, *y;
	size_t			 k;

	if (a->t != MY_V_COL || b->t != MY_V_COL || a->ntok != b->ntok)
		return (0);
	for (k = 0; k < a->ntok; k++) {
		x = &c->t[a->tok + k];
		y = &c->t[b->tok + k];
		if (x->kind != y->kind || x->len != y->len ||
		    strncasecmp(c->s + x->start, c->s + y->start, x->len) != 0)
			return (0);
	}
	return (1);
}

/* Compare two string tokens as the default collation does, or -2. */
static int
my_strcmp(const struct my_cls *c, size_t i, size_t j)
{
	const struct sql_mytok	*x = &c->t[i], *y = &c->t[j];
	size_t			 lx, ly, k;
	int			 a, b;

	if ((x->flags | y->flags) & SQL_MYTOKF_ESCAPE || x->len < 2 ||
	    y->len < 2 || c->s[x->start] == 'n' || c->s[x->start] == 'N' ||
	    c->s[y->start] == 'n' || c->s[y->start] == 'N')
		return (-2);
	lx = x->len - 2;
	ly = y->len - 2;
	/* PAD SPACE: trailing spaces do not count. */
	while (lx > 0 && c->s[x->start + lx] == ' ')
		lx--;
	while (ly > 0 && c->s[y->start + ly] == ' ')
		ly--;
	for (k = 0; k < lx && k < ly; k++) {
		a = (unsigned char)c->s[x->start + 1 + k];
		b = (unsigned char)c->s[y->start + 1 + k];
		if (a >= 0x80 || b >= 0x80)
			return (-2);
		if (a >= 'A' && a <= 'Z')
			a += 'a' - 'A';
		if (b >= 'A' && b <= 'Z')
			b += 'a' - 'A';
		if (a != b)
			return (a < b ? -1 : 1);
	}
	return (lx == ly ? 0 : lx < ly ? -1 : 1);
}

/* a OP b for a comparison operator. */
static struct my_val
my_vcmp(const struct my_ev *ev, const struct my_val *a, const char *op,
    const struct my_val *b)
{
	double	 x, y;
	int	 r;

	if (a->t == MY_V_VARIES || a->t == MY_V_COL ||
	    b->t == MY_V_VARIES || b->t == MY_V_COL) {
		/* col = col holds for every row where it is not NULL. */
		if (my_samecol(ev, a, b) && (strcmp(op, "=") == 0 ||
		    strcmp(op, "<=>") == 0 || strcmp(op, ">=") == 0 ||
		    strcmp(op, "<=") == 0))
			return (my_vnum(1));
		return (my_v(MY_V_VARIES));
	}
	if (a->t == MY_V_NULL || b->t == MY_V_NULL) {
		if (strcmp(op, "<=>") != 0)
			return (my_v(MY_V_NULL));
		/* A constant not worked out may be NULL. */
		if (a->t == MY_V_CONST || b->t == MY_V_CONST)
			return (my_v(MY_V_CONST));
		return (my_vnum(a->t == b->t));
	}
	if (a->t == MY_V_CONST || b->t == MY_V_CONST)
		return (my_v(MY_V_CONST));
	if (a->t == MY_V_STR && b->t == MY_V_STR) {
		if ((r = my_strcmp(ev->c, a->tok, b->tok)) == -2)
			return (my_v(MY_V_CONST));
	} else {
		if (my_vdouble(ev, a, &x) != 0 || my_vdouble(ev, b, &y) != 0)
			return (my_v(MY_V_CONST));
		r = x < y ? -1 : x > y ? 1 : 0;
	}
	if (strcmp(op, "=") == 0 || strcmp(op, "<=>") == 0)
		return (my_vnum(r == 0));
	if (strcmp(op, "<>") == 0 || strcmp(op, "!=") == 0)
		return (my_vnum(r != 0));
	if (strcmp(op, "<") == 0)
		return (my_vnum(r < 0));
	if (strcmp(op, ">") == 0)
		return (my_vnum(r > 0));
	if (strcmp(op, "<=") == 0)
		return (my_vnum(r <= 0));
	if (strcmp(op, ">=") == 0)
		return (my_vnum(r >= 0));
	return (my_v(MY_V_CONST));
}

/*
 * Whether the subquery in b..e refers to a table of the statement (a
 * qualified name whose qualifier is one of its tables or aliases): then
 * it varies with the row. An uncorrelated subquery is a constant.
 */
static int
my_ev_correlated(const struct my_cls *c, size_t b, size_t e)
{
	char	 x[MY_MAXNAME], y[MY_MAXNAME];
	size_t	 i, a, k;

	for (i = b; i + 2 < e; i++) {
		if (!my_isname(c, i, e) || !my_op(c, i + 1, e, ".") ||
		    my_ident(c, i, x, sizeof x) != 0)
			continue;
		for (a = 0; a < c->nalias; a++) {
			k = c->alias[a].alias != SIZE_MAX ? c->alias[a].alias :
			    c->alias[a].name;
			if (my_ident(c, k, y, sizeof y) == 0 &&
			    strcmp(x, y) == 0)
				return (1);
			k = c->alias[a].name;
			if (my_ident(c, k, y, sizeof y) == 0 &&
			    strcmp(x, y) == 0)
				return (1);
		}
	}
	return (0);
}

/*
 * Whether tokens b..e hold a column reference or a correlated subquery
 * (an uncorrelated one, say in a function's arguments, is a constant).
 */
static int
my_ev_varies(const struct my_cls *c, size_t b, size_t e)
{
	size_t	 i, j;
	int	 kw;

	for (i = b; i < e; i++) {
		kw = my_kw(c, i, e);
		if ((kw == K_SELECT || kw == K_WITH || kw == K_VALUES ||
		    kw == K_TABLE) && i > b && my_op(c, i - 1, e, "(")) {
			j = my_close(c, i - 1, e);
			if (my_ev_correlated(c, i - 1, j))
				return (1);
			if (j <= i)
				return (1);
			i = j - 1;
			continue;
		}
		if (kw == K_SELECT)
			return (1);
		if (c->t[i].kind == SQL_MYTOK_QIDENT ||
		    (c->t[i].kind == SQL_MYTOK_WORD && kw == K_NONE &&
		    !my_op(c, i + 1, e, "(") && !(c->s[c->t[i].start] == '_' &&
		    (my_is(c, i + 1, e, SQL_MYTOK_STRING) ||
		    my_is(c, i + 1, e, SQL_MYTOK_HEX)))))
			return (1);
	}
	return (0);
}

/* A subquery's value at ev->i (the "("): skips it. */
static struct my_val
my_ev_subquery(struct my_ev *ev)
{
	size_t	 b = ev->i;

	ev->i = my_close(ev->c, b, ev->e);
	return (my_v(my_ev_correlated(ev->c, b, ev->i) ? MY_V_VARIES :
	    MY_V_CONST));
}

/* Skip a parenthesised run at ev->i: varies if it holds a column. */
static struct my_val
my_ev_skip(struct my_ev *ev)
{
	size_t	 j = my_close(ev->c, ev->i, ev->e);
	int	 v;

	if (j >= ev->e && !my_op(ev->c, j - 1, ev->e, ")"))
		ev->bad = 1;
	v = my_ev_varies(ev->c, ev->i, j);
	ev->i = j;
	return (my_v(v ? MY_V_VARIES : MY_V_CONST));
}

/* A primary: literal, variable, column, call, (expr), CASE... */
static struct my_val
my_ev_primary(struct my_ev *ev)
{
	struct my_cls	*c = ev->c;
	struct my_val	 v, w;
	size_t		 i = ev->i, e = ev->e, j, d;
	double		 n;
	int		 kw;

	if (i >= e) {
		ev->bad = 1;
		return (my_v(MY_V_CONST));
	}
	kw = my_kw(c, i, e);
	switch (c->t[i].kind) {
	case SQL_MYTOK_NUMBER:
		ev->i++;
		if (my_tokdouble(c, i, &n) != 0)
			return (my_v(MY_V_CONST));
		return (my_vnum(n));
	case SQL_MYTOK_STRING:
		for (j = i + 1; my_is(c, j, e, SQL_MYTOK_STRING); j++)
			;
		ev->i = j;
		if (j > i + 1)
			return (my_v(MY_V_CONST));
		v = my_v(MY_V_STR);
		v.tok = i;
		return (v);
	case SQL_MYTOK_HEX:
	case SQL_MYTOK_PARAM:
	case SQL_MYTOK_USERVAR:
		ev->i++;
		return (my_v(MY_V_CONST));
	case SQL_MYTOK_NULL:
		ev->i++;
		return (my_v(MY_V_NULL));
	case SQL_MYTOK_SYSVAR:
		ev->i++;
		if (my_isname(c, ev->i, e))
			ev->i++;
		if (my_op(c, ev->i, e, ".") && my_isname(c, ev->i + 1, e))
			ev->i += 2;
		return (my_v(MY_V_CONST));
	case SQL_MYTOK_OP:
		if (my_op(c, i, e, "{")) {
			for (j = i; j < e && !my_op(c, j, e, "}"); j++)
				;
			ev->i = j < e ? j + 1 : e;
			return (my_v(MY_V_CONST));
		}
		if (!my_op(c, i, e, "("))
			break;
		kw = my_kw(c, i + 1, e);
		if (kw == K_SELECT || kw == K_WITH || kw == K_VALUES ||
		    kw == K_TABLE)
			return (my_ev_subquery(ev));
		ev->i++;
		v = my_ev_or(ev);
		while (my_op(c, ev->i, e, ",")) {
			ev->i++;
			w = my_ev_or(ev);
			v = my_vmix(&v, &w);
		}
		if (!my_op(c, ev->i, e, ")")) {
			ev->bad = 1;
			return (my_v(MY_V_CONST));
		}
		ev->i++;
		return (v);
	case SQL_MYTOK_WORD:
	case SQL_MYTOK_QIDENT:
		switch (kw) {
		case K_TRUE:
			ev->i++;
			return (my_vnum(1));
		case K_FALSE:
			ev->i++;
			return (my_vnum(0));
		case K_NULL:
			ev->i++;
			return (my_v(MY_V_NULL));
		case K_EXISTS:
			ev->i++;
			if (!my_op(c, ev->i, e, "(")) {
				ev->bad = 1;
				return (my_v(MY_V_CONST));
			}
			return (my_ev_subquery(ev));
		case K_CASE:
			for (d = 0, j = i; j < e; j++) {
				if (my_kw(c, j, e) == K_CASE)
					d++;
				else if (my_kw(c, j, e) == K_END && --d == 0)
					break;
			}
			if (j >= e) {
				ev->bad = 1;
				ev->i = e;
				return (my_v(MY_V_CONST));
			}
			ev->i = j + 1;
			return (my_v(my_ev_varies(c, i, j) ? MY_V_VARIES :
			    MY_V_CONST));
		case K_INTERVAL:
			if (my_op(c, i + 1, e, "("))
				break;
			ev->i++;
			v = my_ev_unary(ev);
			if (my_isname(c, ev->i, e))
				ev->i++;
			w = my_v(MY_V_CONST);
			return (my_vmix(&v, &w));
		case K_DATE:
		case K_TIME:
		case K_TIMESTAMP:
			if (!my_is(c, i + 1, e, SQL_MYTOK_STRING))
				break;
			ev->i += 2;
			return (my_v(MY_V_CONST));
		case K_DEFAULT:
		case K_CURRENT_DATE:
		case K_CURRENT_TIME:
		case K_CURRENT_TIMESTAMP:
		case K_CURRENT_USER:
		case K_CURRENT_ROLE:
		case K_LOCALTIME:
		case K_LOCALTIMESTAMP:
		case K_UTC_DATE:
		case K_UTC_TIME:
		case K_UTC_TIMESTAMP:
			if (my_op(c, i + 1, e, "("))
				break;
			ev->i++;
			return (my_v(MY_V_CONST));
		}
		if (c->t[i].kind == SQL_MYTOK_WORD &&
		    c->s[c->t[i].start] == '_' &&
		    (my_is(c, i + 1, e, SQL_MYTOK_STRING) ||
		    my_is(c, i + 1, e, SQL_MYTOK_HEX))) {
			ev->i += 2;	/* _utf8mb4'x' */
			return (my_v(MY_V_CONST));
		}
		/* A (qualified) name: a column, or a call. */
		for (j = i; my_op(c, j + 1, e, ".") &&
		    (my_isname(c, j + 2, e) || my_op(c, j + 2, e, "*")); j += 2)
			;
		if (my_op(c, j + 1, e, "(")) {
			ev->i = j + 1;
			return (my_ev_skip(ev));
		}
		if (j == i && (my_kwflags(kw) & MYKW_R))
			break;
		ev->i = j + 1;
		v = my_v(MY_V_COL);
		v.tok = i;
		v.ntok = j + 1 - i;
		return (v);
	}
	ev->bad = 1;
	ev->i = e;
	return (my_v(MY_V_CONST));
}

/* Count a level of recursion; 0 if the expression nests too deep. */
static int
my_ev_enter(struct my_ev *ev)
{
	if (ev->depth >= MY_MAXLEVEL) {
		ev->bad = 1;
		ev->i = ev->e;
		return (0);
	}
	ev->depth++;
	return (1);
}

static struct my_val	my_ev_unary1(struct my_ev *);
static struct my_val	my_ev_predicate1(struct my_ev *);

/* Unary operators, BINARY, COLLATE (depth-capped). */
static struct my_val
my_ev_unary(struct my_ev *ev)
{
	struct my_val	 v;

	if (!my_ev_enter(ev))
		return (my_v(MY_V_CONST));
	v = my_ev_unary1(ev);
	ev->depth--;
	return (v);
}

/* Unary operators, BINARY, COLLATE. */
static struct my_val
my_ev_unary1(struct my_ev *ev)
{
	struct my_cls	*c = ev->c;
	struct my_val	 v;
	int		 neg;

	if (my_op(c, ev->i, ev->e, "-") || my_op(c, ev->i, ev->e, "+")) {
		neg = my_op(c, ev->i, ev->e, "-");
		ev->i++;
		v = my_ev_unary(ev);
		if (v.t == MY_V_NUM && neg)
			v.n = -v.n;
		else if (v.t == MY_V_STR)
			v = my_v(MY_V_CONST);
		return (v);
	}
	if (my_op(c, ev->i, ev->e, "~")) {
		ev->i++;
		v = my_ev_unary(ev);
		return (my_vmix(&v, &v));
	}
	if (my_op(c, ev->i, ev->e, "!")) {
		ev->i++;
		/*
		 * The server's optimizer drops a double negation in a WHERE
		 * (!!'x' becomes 'x', not 0): its value is not known.
		 */
		if (my_op(c, ev->i, ev->e, "!") ||
		    my_kw(c, ev->i, ev->e) == K_NOT) {
			v = my_ev_unary(ev);
			return (my_vmix(&v, &v));
		}
		v = my_ev_unary(ev);
		switch (my_truth(ev, &v)) {
		case MY_T_TRUE:
			return (my_vnum(0));
		case MY_T_FALSE:
			return (my_vnum(1));
		default:
			return (my_vtruth(my_truth(ev, &v)));
		}
	}
	if (my_kw(c, ev->i, ev->e) == K_BINARY) {
		ev->i++;
		return (my_ev_unary(ev));
	}
	v = my_ev_primary(ev);
	if (my_kw(c, ev->i, ev->e) == K_COLLATE) {
		ev->i += 2;
		if (v.t == MY_V_STR)
			v = my_v(MY_V_CONST);
	}
	return (v);
}

/* Arithmetic and bit operators. */
static struct my_val
my_ev_arith(struct my_ev *ev)
{
	static const char *const	 ops[] = {
		"*", "/", "%", "+", "-", "|", "&", "<<", ">>", "^",
	};
	struct my_cls			*c = ev->c;
	struct my_val			 a, b;
	double				 x, y;
	size_t				 k;
	int				 kw, found;
	char				 op;

	a = my_ev_unary(ev);
	for (;;) {
		kw = my_kw(c, ev->i, ev->e);
		found = kw == K_DIV || kw == K_MOD;
		op = kw == K_DIV ? '/' : '%';
		for (k = 0; !found && k < nitems(ops); k++) {
			if (my_op(c, ev->i, ev->e, ops[k])) {
				found = 1;
				op = ops[k][0];
			}
		}
		if (!found)
			return (a);
		ev->i++;
		b = my_ev_unary(ev);
		if (a.t == MY_V_NULL || b.t == MY_V_NULL) {
			if (a.t != MY_V_VARIES && a.t != MY_V_COL &&
			    b.t != MY_V_VARIES && b.t != MY_V_COL) {
				a = my_v(MY_V_NULL);
				continue;
			}
		}
		if (my_vdouble(ev, &a, &x) != 0 ||
		    my_vdouble(ev, &b, &y) != 0 || kw == K_DIV ||
		    strchr("*/%+-", op) == NULL) {
			a = my_vmix(&a, &b);
			continue;
		}
		if (x * y >= MY_EXACT || x * y <= -MY_EXACT ||
		    x + y >= MY_EXACT || x + y <= -MY_EXACT ||
		    x - y >= MY_EXACT || x - y <= -MY_EXACT) {
			a = my_v(MY_V_CONST);
			continue;
		}
		switch (op) {
		case '*':
			a = my_vnum(x * y);
			break;
		case '+':
			a = my_vnum(x + y);
			break;
		case '-':
			a = my_vnum(x - y);
			break;
		default:
			/* Division by zero is NULL; leave the rest unknown. */
			a = y == 0 ? my_v(MY_V_NULL) : op == '/' &&
			    x / y < MY_EXACT && x / y > -MY_EXACT ?
			    my_vnum(x / y) : my_v(MY_V_CONST);
			break;
		}
	}
}

/*
 * A predicate: x [NOT] IN (...), [NOT] BETWEEN y AND predicate, [NOT]
 * LIKE/REGEXP, SOUNDS LIKE, MEMBER OF (depth-capped).
 */
static struct my_val
my_ev_predicate(struct my_ev *ev)
{
	struct my_val	 v;

	if (!my_ev_enter(ev))
		return (my_v(MY_V_CONST));
	v = my_ev_predicate1(ev);
	ev->depth--;
	return (v);
}

/* See my_ev_predicate. */
static struct my_val
my_ev_predicate1(struct my_ev *ev)
{
	struct my_cls			*c = ev->c;
	struct my_val			 a, b, x;
	size_t				 k, e = ev->e;
	int				 kw, neg, t, any, anynull, str;

	a = my_ev_arith(ev);
	for (;;) {
		kw = my_kw(c, ev->i, e);
		neg = str = 0;
		if (kw == K_NOT) {
			kw = my_kw(c, ev->i + 1, e);
			if (kw != K_IN && kw != K_BETWEEN && kw != K_LIKE &&
			    kw != K_REGEXP && kw != K_RLIKE)
				return (a);
			neg = 1;
			ev->i++;
		}
		if (kw == K_IN) {
			ev->i++;
			if (!my_op(c, ev->i, e, "(")) {
				ev->bad = 1;
				return (a);
			}
			k = my_kw(c, ev->i + 1, e);
			if (k == K_SELECT || k == K_WITH || k == K_VALUES) {
				b = my_ev_subquery(ev);
				a = my_vmix(&a, &b);
				continue;
			}
			ev->i++;
			any = anynull = 0;
			x = a;
			for (;;) {
				b = my_ev_or(ev);
				if (a.t == MY_V_VARIES || a.t == MY_V_COL ||
				    b.t == MY_V_VARIES || b.t == MY_V_COL)
					x = my_v(MY_V_VARIES);
				else if (x.t != MY_V_VARIES) {
					b = my_vcmp(ev, &a, "=", &b);
					t = my_truth(ev, &b);
					if (t == MY_T_TRUE)
						any = 1;
					else if (t == MY_T_NULL)
						anynull = 1;
					else if (t != MY_T_FALSE)
						x = my_v(MY_V_CONST);
				}
				if (!my_op(c, ev->i, e, ","))
					break;
				ev->i++;
			}
			if (!my_op(c, ev->i, e, ")")) {
				ev->bad = 1;
				return (a);
			}
			ev->i++;
			if (x.t == MY_V_VARIES || x.t == MY_V_CONST)
				a = my_v(x.t);
			else if (any)
				a = my_vnum(!neg);
			else if (anynull || a.t == MY_V_NULL)
				a = my_v(MY_V_NULL);
			else
				a = my_vnum(neg);
			continue;
		}
		if (kw == K_BETWEEN) {
			ev->i++;
			b = my_ev_arith(ev);
			if (my_kw(c, ev->i, e) != K_AND) {
				ev->bad = 1;
				return (a);
			}
			ev->i++;
			x = my_ev_predicate(ev);
			/*
			 * The three compare as one type: as numbers if any
			 * is one; if one is NULL or not worked out, its type
			 * (not its value) decides, so the strings' order
			 * means nothing.
			 */
			str = a.t == MY_V_STR || b.t == MY_V_STR ||
			    x.t == MY_V_STR;
			if (str && (a.t == MY_V_NUM || b.t == MY_V_NUM ||
			    x.t == MY_V_NUM)) {
				a = my_vtonum(ev, &a);
				b = my_vtonum(ev, &b);
				x = my_vtonum(ev, &x);
			} else if (str && (a.t == MY_V_NULL || a.t ==
			    MY_V_CONST || b.t == MY_V_NULL || b.t ==
			    MY_V_CONST || x.t == MY_V_NULL || x.t ==
			    MY_V_CONST)) {
				a = my_vmix(&a, &b);
				b = my_v(MY_V_CONST);
				a = my_vmix(&a, &x);
				continue;
			}
			b = my_vcmp(ev, &a, ">=", &b);
			x = my_vcmp(ev, &a, "<=", &x);
			t = my_truth(ev, &b);
			k = (size_t)my_truth(ev, &x);
			if (t == MY_T_VARIES || k == MY_T_VARIES)
				a = my_v(MY_V_VARIES);
			else if (t == MY_T_CONST || k == MY_T_CONST)
				a = my_v(MY_V_CONST);
			else if (t == MY_T_FALSE || k == MY_T_FALSE)
				a = my_vnum(neg);
			else if (t == MY_T_NULL || k == MY_T_NULL)
				a = my_v(MY_V_NULL);
			else
				a = my_vnum(!neg);
			continue;
		}
		if (kw == K_LIKE || kw == K_REGEXP || kw == K_RLIKE ||
		    (kw == K_SOUNDS && my_kw(c, ev->i + 1, e) == K_LIKE)) {
			ev->i += kw == K_SOUNDS ? 2 : 1;
			b = my_ev_arith(ev);
			a = my_vmix(&a, &b);
			if (my_kw(c, ev->i, e) == K_ESCAPE) {
				ev->i++;
				b = my_ev_arith(ev);
			}
			continue;
		}
		if (kw == K_MEMBER && my_kw(c, ev->i + 1, e) == K_OF) {
			ev->i += 2;
			b = my_ev_unary(ev);
			a = my_vmix(&a, &b);
			continue;
		}
		return (a);
	}
}

/*
 * Comparisons and IS: the grammar's bool_pri (a comparison's right side is
 * a whole predicate: a = b BETWEEN c AND d is a = (b BETWEEN c AND d)).
 */
static struct my_val
my_ev_pred(struct my_ev *ev)
{
	static const char *const	 cmps[] = {
		"<=>", "<=", ">=", "<>", "!=", "=", "<", ">",
	};
	struct my_cls			*c = ev->c;
	struct my_val			 a, b;
	size_t				 k, e = ev->e;
	int				 kw, neg, t;

	a = my_ev_predicate(ev);
	for (;;) {
		for (k = 0; k < nitems(cmps); k++) {
			if (my_op(c, ev->i, e, cmps[k]))
				break;
		}
		if (k < nitems(cmps)) {
			ev->i++;
			if (((kw = my_kw(c, ev->i, e)) == K_ANY ||
			    kw == K_SOME || kw == K_ALL) &&
			    my_op(c, ev->i + 1, e, "(")) {
				/* x = ANY (subquery): as x IN (subquery). */
				ev->i++;
				b = my_ev_subquery(ev);
				a = my_vmix(&a, &b);
				continue;
			}
			b = my_ev_predicate(ev);
			a = my_vcmp(ev, &a, cmps[k], &b);
			continue;
		}
		kw = my_kw(c, ev->i, e);
		if (kw == K_IS) {
			ev->i++;
			neg = my_kw(c, ev->i, e) == K_NOT;
			if (neg)
				ev->i++;
			kw = my_kw(c, ev->i, e);
			ev->i++;
			t = my_truth(ev, &a);
			if (t == MY_T_VARIES || t == MY_T_CONST)
				a = my_v(t == MY_T_VARIES ? MY_V_VARIES :
				    MY_V_CONST);
			else if (kw == K_TRUE)
				a = my_vnum((t == MY_T_TRUE) != neg);
			else if (kw == K_FALSE)
				a = my_vnum((t == MY_T_FALSE) != neg);
			else if (kw == K_NULL || kw == K_UNKNOWN)
				a = my_vnum((t == MY_T_NULL) != neg);
			else
				ev->bad = 1;
			continue;
		}
		return (a);
	}
}

/* NOT. */
static struct my_val
my_ev_not(struct my_ev *ev)
{
	struct my_val	 v;
	int		 t, dbl;

	if (my_kw(ev->c, ev->i, ev->e) != K_NOT)
		return (my_ev_pred(ev));
	ev->i++;
	if (!my_ev_enter(ev))
		return (my_v(MY_V_CONST));
	dbl = my_kw(ev->c, ev->i, ev->e) == K_NOT ||
	    my_op(ev->c, ev->i, ev->e, "!");
	v = my_ev_not(ev);
	ev->depth--;
	if (dbl)
		return (my_vmix(&v, &v));	/* see my_ev_unary1 */
	t = my_truth(ev, &v);
	if (t == MY_T_TRUE)
		return (my_vnum(0));
	if (t == MY_T_FALSE)
		return (my_vnum(1));
	return (my_vtruth(t));
}

/* AND, &&. */
static struct my_val
my_ev_and(struct my_ev *ev)
{
	struct my_val	 a, b;
	int		 x, y;

	a = my_ev_not(ev);
	while (my_kw(ev->c, ev->i, ev->e) == K_AND ||
	    my_op(ev->c, ev->i, ev->e, "&&")) {
		ev->i++;
		b = my_ev_not(ev);
		x = my_truth(ev, &a);
		y = my_truth(ev, &b);
		if (x == MY_T_FALSE || y == MY_T_FALSE)
			a = my_vnum(0);
		else if (x == MY_T_VARIES || y == MY_T_VARIES)
			a = my_v(MY_V_VARIES);
		else if (x == MY_T_CONST || y == MY_T_CONST)
			a = my_v(MY_V_CONST);
		else if (x == MY_T_NULL || y == MY_T_NULL)
			a = my_v(MY_V_NULL);
		else
			a = my_vnum(1);
	}
	return (a);
}

/* XOR. */
static struct my_val
my_ev_xor(struct my_ev *ev)
{
	struct my_val	 a, b;
	int		 x, y;

	a = my_ev_and(ev);
	while (my_kw(ev->c, ev->i, ev->e) == K_XOR) {
		ev->i++;
		b = my_ev_and(ev);
		x = my_truth(ev, &a);
		y = my_truth(ev, &b);
		if (x == MY_T_VARIES || y == MY_T_VARIES)
			a = my_v(MY_V_VARIES);
		else if (x == MY_T_CONST || y == MY_T_CONST)
			a = my_v(MY_V_CONST);
		else if (x == MY_T_NULL || y == MY_T_NULL)
			a = my_v(MY_V_NULL);
		else
			a = my_vnum(x != y);
	}
	return (a);
}

/*
 * OR, || (taken as OR even where PIPES_AS_CONCAT would make it a
 * concatenation: a constant operand then makes it always true anyway).
 */
static struct my_val
my_ev_or(struct my_ev *ev)
{
	struct my_val	 a, b;
	int		 x, y;

	if (!my_ev_enter(ev))
		return (my_v(MY_V_CONST));
	a = my_ev_xor(ev);
	while (my_kw(ev->c, ev->i, ev->e) == K_OR ||
	    my_op(ev->c, ev->i, ev->e, "||")) {
		ev->i++;
		b = my_ev_xor(ev);
		x = my_truth(ev, &a);
		y = my_truth(ev, &b);
		if (x == MY_T_TRUE || y == MY_T_TRUE)
			a = my_vnum(1);
		else if (x == MY_T_CONST || y == MY_T_CONST)
			a = my_v(MY_V_CONST);
		else if (x == MY_T_VARIES || y == MY_T_VARIES)
			a = my_v(MY_V_VARIES);
		else if (x == MY_T_NULL || y == MY_T_NULL)
			a = my_v(MY_V_NULL);
		else
			a = my_vnum(0);
	}
	if (my_op(ev->c, ev->i, ev->e, ":=")) {
		ev->i++;
		b = my_ev_or(ev);
		a = my_v(MY_V_CONST);
	}
	ev->depth--;
	return (a);
}

/*
 * Set write-without-where unless b..e holds a top-level WHERE that is not
 * always true.
 */
static void
my_where(struct my_cls *c, struct guard_facts *f, size_t b, size_t e)
{
	static const int	 ends[] = {
		K_ORDER, K_LIMIT, K_RETURNING, K_GROUP, K_HAVING, K_WINDOW,
		K_UNION, K_EXCEPT, K_INTERSECT,
	};
	struct my_ev		 ev;
	struct my_val		 v;
	size_t			 w, we, k, x;
	int			 t;

	if ((w = my_find(c, b, e, K_WHERE)) >= e) {
		f->flags |= GF_WRITE_NO_WHERE;
		return;
	}
	we = e;
	for (k = 0; k < nitems(ends); k++) {
		if ((x = my_find(c, w, we, ends[k])) < we)
			we = x;
	}
	memset(&ev, 0, sizeof ev);
	ev.c = c;
	ev.i = w + 1;
	ev.e = we;
	v = my_ev_or(&ev);
	t = my_truth(&ev, &v);
	if (ev.bad || ev.i != we || t == MY_T_TRUE || t == MY_T_CONST)
		f->flags |= GF_WRITE_NO_WHERE;
}

/* Whether this statement may change the session context. */
static int
my_live(const struct my_cls *c)
{
	return (c->eff != NULL && c->depth == 1 && !c->body);
}

/* Note a change to the session context (top-level statements only). */
static void
my_effect(struct my_cls *c, struct guard_facts *f, int type,
    const char *name, const struct guard_facts *facts)
{
	if (!my_live(c)) {
		/*
		 * A routine's own USE or PREPARE is its business; one in
		 * dynamic SQL or a nested statement would change the session
		 * behind dbgate's back.
		 */
		if (!c->body)
			guard_unknown(f, "%s in dynamic SQL or a nested "
			    "statement changes the session where dbgate "
			    "cannot follow", type == MY_EFF_USE ? "USE" :
			    type == MY_EFF_PREPARE ? "PREPARE" : "DEALLOCATE");
		return;
	}
	free(c->eff->name);
	guard_facts_clear(&c->eff->facts);
	c->eff->type = type;
	c->eff->name = xstrdup(name);
	if (facts != NULL)
		guard_copy(&c->eff->facts, facts);
}

/* Make f unknown for an unrecognised word at i. */
static void
my_unknown_at(const struct my_cls *c, struct guard_facts *f, size_t i,
    size_t e, const char *what)
{
	if (i >= e) {
		guard_unknown(f, "%s: the statement ends too early", what);
		return;
	}
	guard_unknown(f, "%s: unexpected \"%.*s\"", what,
	    (int)(c->t[i].len > 40 ? 40 : c->t[i].len), c->s + c->t[i].start);
}

/* Read a name at i folded to lower case (for prepared names, USE). */
static int
my_namearg(const struct my_cls *c, size_t i, size_t e, char *buf,
    size_t size, int fold)
{
	char	*p;

	if (!my_isname(c, i, e) || my_ident(c, i, buf, size) != 0)
		return (-1);
	for (p = buf; fold && *p != '\0'; p++) {
		if (*p >= 'A' && *p <= 'Z')
			*p += 'a' - 'A';
	}
	return (0);
}

/* SELECT, (SELECT...), TABLE t, VALUES. */
static size_t
my_select(struct my_cls *c, struct guard_facts *f, size_t b, size_t e)
{
	size_t	 end = my_semi(c, b, e);

	guard_add_kind(f, KIND_SELECT);
	if (my_kw(c, b, end) == K_TABLE) {
		(void)my_table(c, f, b + 1, end, GUARD_READ, NULL, NULL);
		my_scan(c, f, b + 2, end, 0, GUARD_READ);
		return (end);
	}
	my_scan(c, f, b, end, 0, GUARD_READ);
	return (end);
}

static size_t	my_update(struct my_cls *, struct guard_facts *, size_t,
		    size_t);
static size_t	my_delete(struct my_cls *, struct guard_facts *, size_t,
		    size_t);

/* WITH [RECURSIVE] name AS (...) [, ...] SELECT|UPDATE|DELETE. */
static size_t
my_with(struct my_cls *c, struct guard_facts *f, size_t b, size_t e)
{
	size_t	 end = my_semi(c, b, e), i = b + 1, j;
	int	 kw;

	if (my_kw(c, i, end) == K_RECURSIVE)
		i++;
	for (;;) {
		if (!my_isname(c, i, end)) {
			my_unknown_at(c, f, i, end, "WITH");
			return (end);
		}
		if (c->ncte < MY_MAXCTE)
			c->cte[c->ncte++] = i;
		i++;
		if (my_op(c, i, end, "("))
			i = my_close(c, i, end);
		if (my_kw(c, i, end) != K_AS || !my_op(c, i + 1, end, "(")) {
			my_unknown_at(c, f, i, end, "WITH");
			return (end);
		}
		j = my_close(c, i + 1, end);
		my_scan(c, f, i + 1, j, 0, GUARD_READ);
		i = j;
		if (!my_op(c, i, end, ","))
			break;
		i++;
	}
	kw = my_kw(c, i, end);
	if (kw == K_SELECT || kw == K_VALUES || kw == K_TABLE ||
	    my_op(c, i, end, "("))
		return (my_select(c, f, i, e));
	if (kw == K_UPDATE)
		return (my_update(c, f, i, e));
	if (kw == K_DELETE)
		return (my_delete(c, f, i, e));
	my_unknown_at(c, f, i, end, "WITH");
	return (end);
}

/* INSERT and REPLACE. */
static size_t
my_insert(struct my_cls *c, struct guard_facts *f, size_t b, size_t e)
{
	size_t	 end = my_semi(c, b, e), i = b + 1, dup, q, u;
	int	 kw, src = 1;

	guard_add_kind(f, KIND_INSERT);
	f->flags |= GF_WRITE;
	while ((kw = my_kw(c, i, end)) == K_LOW_PRIORITY || kw == K_DELAYED ||
	    kw == K_HIGH_PRIORITY || kw == K_IGNORE)
		i++;
	if (kw == K_INTO)
		i++;
	if (!my_isname(c, i, end)) {
		my_unknown_at(c, f, i, end, "INSERT");
		return (end);
	}
	i = my_table(c, f, i, end, GUARD_WRITE, NULL, NULL);
	if (my_kw(c, i, end) == K_PARTITION && my_op(c, i + 1, end, "("))
		i = my_close(c, i + 1, end);
	if (my_op(c, i, end, "(") && (kw = my_kw(c, i + 1, end)) != K_SELECT &&
	    kw != K_WITH && kw != K_VALUES && kw != K_TABLE &&
	    !my_op(c, i + 1, end, "("))
		i = my_close(c, i, end);	/* the column list */
	kw = my_kw(c, i, end);
	switch (kw) {
	case K_VALUES:
	case K_VALUE:
	case K_SET:
		i++;
		src = 0;
		break;
	case K_TABLE:
		guard_add_kind(f, KIND_SELECT);
		i = my_table(c, f, i + 1, end, GUARD_READ, NULL, NULL);
		src = 2;
		break;
	case K_SELECT:
	case K_WITH:
		guard_add_kind(f, KIND_SELECT);
		break;
	default:
		if (my_op(c, i, end, "(")) {
			guard_add_kind(f, KIND_SELECT);
			break;
		}
		my_unknown_at(c, f, i, end, "INSERT");
		return (end);
	}
	my_scan(c, f, i, end, 0, GUARD_READ);
	dup = my_find(c, i, end, K_DUPLICATE);
	if (dup < end)
		guard_add_kind(f, KIND_UPDATE);
	/*
	 * REPLACE ... SELECT and INSERT ... SELECT ... ON DUPLICATE KEY
	 * UPDATE rewrite the rows the query finds: without a WHERE that
	 * may be every row (INSERT INTO t SELECT id, NULL FROM t ...).
	 */
	if (!src || (dup >= end && my_kw(c, b, end) != K_REPLACE))
		return (end);
	q = dup < end && dup > i ? dup - 1 : end;
	if (src == 2)
		f->flags |= GF_WRITE_NO_WHERE;	/* TABLE u: all of it */
	while (src == 1 && i < q) {
		/* Each branch of a UNION finds rows of its own. */
		for (u = i; u < q && my_kw(c, u, q) != K_UNION &&
		    my_kw(c, u, q) != K_EXCEPT && my_kw(c, u, q) != K_INTERSECT;
		    u = my_op(c, u, q, "(") ? my_close(c, u, q) : u + 1)
			;
		my_where(c, f, i, u);
		i = u + 1;
	}
	return (end);
}

/* UPDATE table_refs SET ... [WHERE ...]. */
static size_t
my_update(struct my_cls *c, struct guard_facts *f, size_t b, size_t e)
{
	size_t	 end = my_semi(c, b, e), i = b + 1, set;
	int	 kw;

	guard_add_kind(f, KIND_UPDATE);
	f->flags |= GF_WRITE;
	while ((kw = my_kw(c, i, end)) == K_LOW_PRIORITY || kw == K_IGNORE)
		i++;
	if ((set = my_find(c, i, end, K_SET)) >= end || set == i) {
		my_unknown_at(c, f, set, end, "UPDATE");
		return (end);
	}
	c->record = 1;
	c->nalias = 0;
	my_scan(c, f, i, set, MY_SCAN_TL, GUARD_READ | GUARD_WRITE);
	c->record = 0;
	my_scan(c, f, set + 1, end, 0, GUARD_READ);
	my_where(c, f, set + 1, end);
	return (end);
}

/* DELETE, single- and multi-table. */
static size_t
my_delete(struct my_cls *c, struct guard_facts *f, size_t b, size_t e)
{
	size_t	 end = my_semi(c, b, e), i = b + 1, j, k, a;
	size_t	 tsch[MY_MAXALIAS], tnm[MY_MAXALIAS], nt = 0;
	char	 x[MY_MAXNAME], y[MY_MAXNAME];
	int	 kw, from, found;

	guard_add_kind(f, KIND_DELETE);
	f->flags |= GF_WRITE;
	while ((kw = my_kw(c, i, end)) == K_LOW_PRIORITY || kw == K_QUICK ||
	    kw == K_IGNORE || kw == K_HISTORY)
		i++;
	if ((from = kw == K_FROM))
		i++;
	/* The tables deleted from: name, db.name, name.*, db.name.* */
	while (my_isname(c, i, end) && nt < MY_MAXALIAS) {
		tsch[nt] = SIZE_MAX;
		tnm[nt] = i;
		if (my_op(c, i + 1, end, ".") && my_isname(c, i + 2, end)) {
			tsch[nt] = i;
			tnm[nt] = i + 2;
			i += 2;
		}
		i++;
		if (my_op(c, i, end, ".") && my_op(c, i + 1, end, "*"))
			i += 2;
		nt++;
		if (!my_op(c, i, end, ","))
			break;
		i++;
	}
	if (nt == 0 || (nt == MY_MAXALIAS && my_isname(c, i, end))) {
		my_unknown_at(c, f, i, end, "DELETE");
		return (end);
	}
	kw = my_kw(c, i, end);
	if (from && kw != K_USING) {
		if (nt != 1) {
			my_unknown_at(c, f, i, end, "DELETE");
			return (end);
		}
		my_addrel(c, f, tsch[0], tnm[0], GUARD_WRITE);
		c->alias[0].schema = tsch[0];
		c->alias[0].name = tnm[0];
		c->alias[0].alias = SIZE_MAX;
		if (my_kw(c, i, end) == K_AS && my_isname(c, i + 1, end))
			c->alias[0].alias = i + 1;
		else if (my_isfreename(c, i, end))
			c->alias[0].alias = i;
		c->nalias = 1;
		my_scan(c, f, i, end, 0, GUARD_READ);
		my_where(c, f, i, end);
		return (end);
	}
	if (kw != (from ? K_USING : K_FROM)) {
		my_unknown_at(c, f, i, end, "DELETE");
		return (end);
	}
	c->record = 1;
	c->nalias = 0;
	my_scan(c, f, i + 1, end, MY_SCAN_TL, GUARD_READ);
	c->record = 0;
	/* Each target is an alias or a table of the FROM/USING list. */
	for (k = 0; k < nt; k++) {
		if (tsch[k] != SIZE_MAX) {
			my_addrel(c, f, tsch[k], tnm[k], GUARD_WRITE);
			continue;
		}
		if (my_ident(c, tnm[k], x, sizeof x) != 0) {
			guard_unknown(f, "an identifier is longer than the "
			    "server allows");
			continue;
		}
		found = 0;
		for (a = 0; a < c->nalias; a++) {
			j = c->alias[a].alias;
			if (j != SIZE_MAX && my_ident(c, j, y, sizeof y) == 0 &&
			    strcmp(x, y) == 0) {
				my_addrel(c, f, c->alias[a].schema,
				    c->alias[a].name, GUARD_WRITE);
				found = 1;
			}
		}
		for (a = 0; !found && a < c->nalias; a++) {
			if (my_ident(c, c->alias[a].name, y, sizeof y) == 0 &&
			    strcmp(x, y) == 0) {
				my_addrel(c, f, c->alias[a].schema,
				    c->alias[a].name, GUARD_WRITE);
				found = 1;
			}
		}
		if (!found)
			my_addrel(c, f, SIZE_MAX, tnm[k], GUARD_WRITE);
	}
	my_where(c, f, i + 1, end);
	return (end);
}

/*
 * Storage engines whose tables are files or other servers the server
 * reaches for the session (sorted).
 */
static const char *const my_remote_engines[] = {
	"connect", "federated", "federatedx", "spider",
};

/* Table options of those engines that name a file, host or DSN (sorted). */
static const char *const my_remote_opts[] = {
	"connection", "option_list", "remote_host", "remote_port",
	"remote_server", "remote_socket", "table_type",
};

/* Whether the engine named at i (a word, `name` or 'name') is remote. */
static int
my_engine_remote(const struct my_cls *c, size_t i, size_t e)
{
	struct buf	 b;
	char		 name[16];
	int		 r = 0;

	if (i >= e)
		return (0);
	if (c->t[i].kind == SQL_MYTOK_WORD) {
		if (c->t[i].len >= sizeof name)
			return (0);
		my_lower(c, i, name, sizeof name);
		return (my_bsearch(name, my_remote_engines,
		    nitems(my_remote_engines)));
	}
	if (c->t[i].kind != SQL_MYTOK_QIDENT &&
	    c->t[i].kind != SQL_MYTOK_STRING)
		return (0);
	buf_init(&b);
	sql_mysql_unquote(c->s, &c->t[i], c->rd, &b);
	if (b.len > 0 && b.len < sizeof name) {
		memcpy(name, b.data, b.len);
		name[b.len] = '\0';
		(void)my_lowercpy(name, name, sizeof name);
		r = my_bsearch(name, my_remote_engines,
		    nitems(my_remote_engines));
	}
	buf_free(&b);
	return (r);
}

/* Whether a remote engine's option (name = value) starts at i. */
static int
my_remote_opt(const struct my_cls *c, size_t i, size_t e)
{
	char	 name[16];

	if (!my_is(c, i, e, SQL_MYTOK_WORD) || (!my_op(c, i + 1, e, "=") &&
	    !my_is(c, i + 1, e, SQL_MYTOK_STRING)) ||
	    c->t[i].len >= sizeof name)
		return (0);
	my_lower(c, i, name, sizeof name);
	return (my_bsearch(name, my_remote_opts, nitems(my_remote_opts)));
}

/* Options that reach server files in CREATE/ALTER TABLE. */
static void
my_fileopts(struct my_cls *c, struct guard_facts *f, size_t b, size_t e)
{
	size_t	 i, j;
	int	 kw;

	for (i = b; i < e; i++) {
		kw = my_kw(c, i, e);
		if (kw == K_DIRECTORY && i > b && (my_kw(c, i - 1, e) ==
		    K_DATA || my_kw(c, i - 1, e) == K_INDEX))
			f->flags |= GF_FILE;
		else if (kw == K_FILE_NAME)
			f->flags |= GF_FILE;
		else if (kw == K_IMPORT && my_kw(c, i + 1, e) == K_TABLESPACE)
			f->flags |= GF_FILE;
		else if (kw == K_ENGINE) {
			j = my_op(c, i + 1, e, "=") ? i + 2 : i + 1;
			if (my_engine_remote(c, j, e))
				f->flags |= GF_FILE;
		} else if (my_remote_opt(c, i, e))
			f->flags |= GF_FILE;
	}
}

/* Skip a user name at i (CURRENT_USER, 'u'@'h', u@h); *cur if current. */
static size_t
my_user(const struct my_cls *c, size_t i, size_t e, int *cur)
{
	*cur = 0;
	if (my_kw(c, i, e) == K_CURRENT_USER) {
		*cur = 1;
		i++;
		if (my_op(c, i, e, "(") && my_op(c, i + 1, e, ")"))
			i += 2;
		return (i);
	}
	if (my_isname(c, i, e) || my_is(c, i, e, SQL_MYTOK_STRING))
		i++;
	if (my_is(c, i, e, SQL_MYTOK_USERVAR))
		i++;
	return (i);
}

/* Skip a data type (RETURNS ...). */
static size_t
my_type(const struct my_cls *c, size_t i, size_t e)
{
	int	 kw;

	if (!my_isname(c, i, e))
		return (i);
	for (i++; i < e;) {
		kw = my_kw(c, i, e);
		if (my_op(c, i, e, "("))
			i = my_close(c, i, e);
		else if (kw == K_UNSIGNED || kw == K_SIGNED ||
		    kw == K_ZEROFILL || kw == K_BINARY || kw == K_ASCII ||
		    kw == K_PRECISION || kw == K_VARYING || kw == K_VARCHAR ||
		    kw == K_VARCHARACTER || kw == K_CHAR)
			i++;
		else if (kw == K_CHARACTER && my_kw(c, i + 1, e) == K_SET)
			i += 3;
		else if (kw == K_CHARSET || kw == K_COLLATE)
			i += 2;
		else
			break;
	}
	return (i);
}

/* Classify a routine body at b with db as its default database. */
static size_t
my_body(struct my_cls *c, struct guard_facts *f, size_t b, size_t e,
    size_t dbtok)
{
	const char	*save = c->defdb;
	char		 db[MY_MAXNAME];
	size_t		 j;

	if (dbtok != SIZE_MAX) {
		if (my_ident(c, dbtok, db, sizeof db) != 0) {
			guard_unknown(f, "an identifier is longer than the "
			    "server allows");
			return (e);
		}
		c->defdb = db;
	}
	c->body++;
	j = my_sp_stmt(c, f, b, e);
	c->body--;
	c->defdb = save;
	return (j);
}

/* CREATE PROCEDURE / FUNCTION (i at the keyword). */
static size_t
my_routine(struct my_cls *c, struct guard_facts *f, size_t i, size_t e)
{
	size_t	 end = my_semi(c, i, e), sch = SIZE_MAX;
	int	 func = my_kw(c, i, e) == K_FUNCTION, kw;

	i = my_ifexists(c, i + 1, end);
	if (!my_isname(c, i, end)) {
		my_unknown_at(c, f, i, end, "CREATE");
		return (end);
	}
	if (my_op(c, i + 1, end, ".") && my_isname(c, i + 2, end)) {
		sch = i;
		i += 2;
	}
	i++;
	if (func && my_kw(c, i, end) == K_RETURNS) {
		/* A loadable function: RETURNS type SONAME 'lib'. */
		if (my_find(c, i, end, K_SONAME) < end)
			f->flags |= GF_EXTENSION;
		else
			my_unknown_at(c, f, i, end, "CREATE FUNCTION");
		return (end);
	}
	if (!my_op(c, i, end, "(")) {
		my_unknown_at(c, f, i, end, "CREATE");
		return (end);
	}
	i = my_close(c, i, end);
	if (func) {
		if (my_kw(c, i, end) != K_RETURNS) {
			my_unknown_at(c, f, i, end, "CREATE FUNCTION");
			return (end);
		}
		i = my_type(c, i + 1, end);
		if (my_kw(c, i, end) == K_SONAME) {
			f->flags |= GF_EXTENSION;
			return (end);
		}
	}
	for (;;) {
		kw = my_kw(c, i, end);
		if (kw == K_COMMENT && my_is(c, i + 1, end, SQL_MYTOK_STRING))
			i += 2;
		else if (kw == K_LANGUAGE) {
			if (my_kw(c, i + 1, end) != K_SQL) {
				guard_unknown(f, "routines in a language "
				    "other than SQL are not classified");
				return (end);
			}
			i += 2;
		} else if (kw == K_NOT && my_kw(c, i + 1, end) ==
		    K_DETERMINISTIC)
			i += 2;
		else if (kw == K_DETERMINISTIC)
			i++;
		else if ((kw == K_CONTAINS || kw == K_NO) &&
		    my_kw(c, i + 1, end) == K_SQL)
			i += 2;
		else if ((kw == K_READS || kw == K_MODIFIES) &&
		    my_kw(c, i + 1, end) == K_SQL &&
		    my_kw(c, i + 2, end) == K_DATA)
			i += 3;
		else if (kw == K_SQL && my_kw(c, i + 1, end) == K_SECURITY)
			i += 3;
		else
			break;
	}
	return (my_body(c, f, i, e, sch));
}

/* CREATE TRIGGER (i at TRIGGER). */
static size_t
my_trigger(struct my_cls *c, struct guard_facts *f, size_t i, size_t e)
{
	size_t	 end = my_semi(c, i, e), sch = SIZE_MAX, tsch = SIZE_MAX;
	int	 kw;

	i = my_ifexists(c, i + 1, end);
	if (!my_isname(c, i, end))
		goto bad;
	if (my_op(c, i + 1, end, ".") && my_isname(c, i + 2, end)) {
		sch = i;
		i += 2;
	}
	i++;
	if ((kw = my_kw(c, i, end)) != K_BEFORE && kw != K_AFTER)
		goto bad;
	i++;
	for (;;) {
		if ((kw = my_kw(c, i, end)) != K_INSERT && kw != K_UPDATE &&
		    kw != K_DELETE)
			goto bad;
		i++;
		if (my_kw(c, i, end) != K_OR)
			break;
		i++;
	}
	if (my_kw(c, i, end) != K_ON || !my_isname(c, i + 1, end))
		goto bad;
	i = my_table(c, f, i + 1, end, GUARD_WRITE, &tsch, NULL);
	if (my_kw(c, i, end) != K_FOR || my_kw(c, i + 1, end) != K_EACH ||
	    my_kw(c, i + 2, end) != K_ROW)
		goto bad;
	i += 3;
	if ((kw = my_kw(c, i, end)) == K_FOLLOWS || kw == K_PRECEDES)
		i += 2;
	return (my_body(c, f, i, e, tsch != SIZE_MAX ? tsch : sch));
bad:
	my_unknown_at(c, f, i, end, "CREATE TRIGGER");
	return (end);
}

/* CREATE/ALTER EVENT (i at EVENT): the schedule, then DO body. */
static size_t
my_event(struct my_cls *c, struct guard_facts *f, size_t i, size_t e,
    int create)
{
	size_t	 end = my_semi(c, i, e), sch = SIZE_MAX, d;

	i = my_ifexists(c, i + 1, end);
	if (!my_isname(c, i, end)) {
		my_unknown_at(c, f, i, end, "EVENT");
		return (end);
	}
	if (my_op(c, i + 1, end, ".") && my_isname(c, i + 2, end)) {
		sch = i;
		i += 2;
	}
	i++;
	if ((d = my_find(c, i, end, K_DO)) >= end) {
		if (create)
			my_unknown_at(c, f, d, end, "CREATE EVENT");
		else
			my_scan(c, f, i, end, 0, GUARD_READ);
		return (end);
	}
	my_scan(c, f, i, d, 0, GUARD_READ);
	return (my_body(c, f, d + 1, e, sch));
}

/* CREATE ... (everything but the routine bodies' own parts). */
static size_t
my_create(struct my_cls *c, struct guard_facts *f, size_t b, size_t e)
{
	size_t	 end = my_semi(c, b, e), i = b + 1, q, j, d;
	int	 kw, replace = 0, cur, priv = 0;

	for (;;) {
		kw = my_kw(c, i, end);
		if (kw == K_OR && my_kw(c, i + 1, end) == K_REPLACE) {
			replace = 1;
			i += 2;
		} else if (kw == K_DEFINER && my_op(c, i + 1, end, "=")) {
			i = my_user(c, i + 2, end, &cur);
			if (!cur)
				priv = 1;
		} else if ((kw == K_ALGORITHM) && my_op(c, i + 1, end, "="))
			i += 3;
		else if (kw == K_SQL && my_kw(c, i + 1, end) == K_SECURITY)
			i += 3;
		else if (kw == K_TEMPORARY || kw == K_AGGREGATE ||
		    kw == K_ONLINE || kw == K_OFFLINE || kw == K_UNIQUE ||
		    kw == K_FULLTEXT || kw == K_SPATIAL)
			i++;
		else
			break;
	}
	if (kw == K_USER || kw == K_ROLE) {
		guard_add_kind(f, KIND_ROLE);
		f->flags |= GF_PRIVILEGE | GF_WRITE;
		return (end);
	}
	guard_add_kind(f, KIND_DDL);
	f->flags |= GF_WRITE;
	if (priv)
		f->flags |= GF_PRIVILEGE;
	switch (kw) {
	case K_TABLE:
		if (replace)
			guard_add_kind(f, KIND_DROP);
		i = my_ifexists(c, i + 1, end);
		if (!my_isname(c, i, end))
			break;
		i = my_table(c, f, i, end, GUARD_WRITE, NULL, NULL);
		if (my_op(c, i, end, "(") && my_kw(c, i + 1, end) == K_LIKE)
			i++;
		if (my_kw(c, i, end) == K_LIKE) {
			(void)my_table(c, f, i + 1, end, GUARD_READ, NULL,
			    NULL);
			return (end);
		}
		/* Where a query starts, at the top level. */
		for (q = i, d = 0; q < end; q++) {
			kw = my_kw(c, q, end);
			if (my_op(c, q, end, "(")) {
				j = my_kw(c, q + 1, end);
				if (d == 0 && (j == K_SELECT || j == K_WITH))
					break;
				d++;
			} else if (my_op(c, q, end, ")") && d > 0)
				d--;
			else if (d == 0 && (kw == K_SELECT || kw == K_WITH))
				break;
		}
		my_scan(c, f, i, q, MY_SCAN_DDL, GUARD_READ);
		my_fileopts(c, f, i, q);
		if (q < end) {
			guard_add_kind(f, KIND_SELECT);
			my_scan(c, f, q, end, 0, GUARD_READ);
		}
		return (end);
	case K_DATABASE:
	case K_SCHEMA:
		if (replace)
			guard_add_kind(f, KIND_DROP);
		return (end);
	case K_INDEX:
		if ((j = my_find(c, i, end, K_ON)) >= end)
			break;
		i = my_table(c, f, j + 1, end, GUARD_WRITE, NULL, NULL);
		my_scan(c, f, i, end, MY_SCAN_DDL, GUARD_READ);
		return (end);
	case K_VIEW:
		i = my_ifexists(c, i + 1, end);
		if (!my_isname(c, i, end))
			break;
		i = my_table(c, f, i, end, GUARD_WRITE, NULL, NULL);
		if (my_op(c, i, end, "("))
			i = my_close(c, i, end);
		if (my_kw(c, i, end) != K_AS)
			break;
		guard_add_kind(f, KIND_SELECT);
		my_scan(c, f, i + 1, end, 0, GUARD_READ);
		my_sysview(f);
		return (end);
	case K_PROCEDURE:
	case K_FUNCTION:
		return (my_routine(c, f, i, e));
	case K_TRIGGER:
		return (my_trigger(c, f, i, e));
	case K_EVENT:
		return (my_event(c, f, i, e, 1));
	case K_SEQUENCE:
		i = my_ifexists(c, i + 1, end);
		(void)my_table(c, f, i, end, GUARD_WRITE, NULL, NULL);
		return (end);
	case K_SERVER:
	case K_RESOURCE:
		f->flags |= GF_SERVER_CONFIG;
		return (end);
	case K_TABLESPACE:
	case K_LOGFILE:
		f->flags |= GF_FILE;
		return (end);
	}
	my_unknown_at(c, f, i, end, "CREATE");
	return (end);
}

/* ALTER ... */
static size_t
my_alter(struct my_cls *c, struct guard_facts *f, size_t b, size_t e)
{
	size_t	 end = my_semi(c, b, e), i = b + 1, j;
	int	 kw, cur, priv = 0;

	for (;;) {
		kw = my_kw(c, i, end);
		if (kw == K_ONLINE || kw == K_OFFLINE || kw == K_IGNORE)
			i++;
		else if (kw == K_DEFINER && my_op(c, i + 1, end, "=")) {
			i = my_user(c, i + 2, end, &cur);
			if (!cur)
				priv = 1;
		} else if (kw == K_ALGORITHM && my_op(c, i + 1, end, "="))
			i += 3;
		else if (kw == K_SQL && my_kw(c, i + 1, end) == K_SECURITY)
			i += 3;
		else
			break;
	}
	if (kw == K_USER) {
		guard_add_kind(f, KIND_ROLE);
		f->flags |= GF_PRIVILEGE | GF_WRITE;
		return (end);
	}
	if (kw == K_INSTANCE) {
		guard_add_kind(f, KIND_ADMIN);
		f->flags |= GF_SERVER_CONFIG | GF_WRITE;
		return (end);
	}
	guard_add_kind(f, KIND_DDL);
	f->flags |= GF_WRITE;
	if (priv)
		f->flags |= GF_PRIVILEGE;
	switch (kw) {
	case K_TABLE:
		i = my_ifexists(c, i + 1, end);
		if (!my_isname(c, i, end))
			break;
		i = my_table(c, f, i, end, GUARD_WRITE, NULL, NULL);
		if ((j = my_find(c, i, end, K_RENAME)) < end) {
			j++;
			if ((kw = my_kw(c, j, end)) == K_TO || kw == K_AS)
				j++;
			kw = my_kw(c, j, end);
			if (kw != K_COLUMN && kw != K_INDEX && kw != K_KEY)
				(void)my_table(c, f, j, end, GUARD_WRITE, NULL,
				    NULL);
		}
		for (j = i; j < end; j++) {
			kw = my_kw(c, j, end);
			/*
			 * EXCHANGE PARTITION p WITH TABLE x, CONVERT TABLE x
			 * TO PARTITION p, CONVERT PARTITION p TO TABLE x:
			 * x's rows change too.
			 */
			if (kw == K_TABLE && my_isname(c, j + 1, end))
				(void)my_table(c, f, j + 1, end, GUARD_WRITE,
				    NULL, NULL);
			if (kw == K_TRUNCATE && my_kw(c, j + 1, end) ==
			    K_PARTITION)
				guard_add_kind(f, KIND_TRUNCATE);
			if ((kw == K_DROP && my_kw(c, j + 1, end) ==
			    K_PARTITION) || (kw == K_DISCARD &&
			    my_kw(c, j + 1, end) == K_TABLESPACE))
				guard_add_kind(f, KIND_DROP);
		}
		my_scan(c, f, i, end, MY_SCAN_DDL, GUARD_READ);
		my_fileopts(c, f, i, end);
		return (end);
	case K_DATABASE:
	case K_SCHEMA:
	case K_PROCEDURE:
	case K_FUNCTION:
		return (end);
	case K_SEQUENCE:
		i = my_ifexists(c, i + 1, end);
		(void)my_table(c, f, i, end, GUARD_WRITE, NULL, NULL);
		return (end);
	case K_VIEW:
		i = my_table(c, f, i + 1, end, GUARD_WRITE, NULL, NULL);
		if (my_op(c, i, end, "("))
			i = my_close(c, i, end);
		if (my_kw(c, i, end) != K_AS)
			break;
		guard_add_kind(f, KIND_SELECT);
		my_scan(c, f, i + 1, end, 0, GUARD_READ);
		my_sysview(f);
		return (end);
	case K_EVENT:
		return (my_event(c, f, i, e, 0));
	case K_SERVER:
	case K_RESOURCE:
		f->flags |= GF_SERVER_CONFIG;
		return (end);
	case K_TABLESPACE:
	case K_LOGFILE:
		f->flags |= GF_FILE;
		return (end);
	}
	my_unknown_at(c, f, i, end, "ALTER");
	return (end);
}

/* DROP ... */
static size_t
my_drop(struct my_cls *c, struct guard_facts *f, size_t b, size_t e)
{
	size_t	 end = my_semi(c, b, e), i = b + 1, j;
	char	 name[MY_MAXNAME];
	int	 kw;

	if (my_kw(c, i, end) == K_TEMPORARY)
		i++;
	kw = my_kw(c, i, end);
	if (kw == K_PREPARE) {
		guard_add_kind(f, KIND_PREPARE);
		if (my_namearg(c, i + 1, end, name, sizeof name, 1) != 0)
			my_unknown_at(c, f, i + 1, end, "DROP PREPARE");
		else
			my_effect(c, f, MY_EFF_DEALLOCATE, name, NULL);
		return (end);
	}
	if (kw == K_USER || kw == K_ROLE) {
		guard_add_kind(f, KIND_ROLE);
		f->flags |= GF_PRIVILEGE | GF_WRITE;
		return (end);
	}
	guard_add_kind(f, KIND_DROP);
	f->flags |= GF_WRITE;
	switch (kw) {
	case K_TABLE:
	case K_TABLES:
	case K_VIEW:
	case K_SEQUENCE:
		i = my_ifexists(c, i + 1, end);
		(void)my_tables(c, f, i, end, GUARD_WRITE);
		break;
	case K_INDEX:
		if ((j = my_find(c, i, end, K_ON)) < end)
			(void)my_table(c, f, j + 1, end, GUARD_WRITE, NULL,
			    NULL);
		break;
	case K_SERVER:
		f->flags |= GF_SERVER_CONFIG;
		break;
	}
	return (end);
}

/* RENAME TABLE a TO b [, ...] / RENAME USER. */
static size_t
my_rename(struct my_cls *c, struct guard_facts *f, size_t b, size_t e)
{
	size_t	 end = my_semi(c, b, e), i = b + 1;
	int	 kw = my_kw(c, i, end);

	if (kw == K_USER) {
		guard_add_kind(f, KIND_ROLE);
		f->flags |= GF_PRIVILEGE | GF_WRITE;
		return (end);
	}
	guard_add_kind(f, KIND_DDL);
	f->flags |= GF_WRITE;
	if (kw != K_TABLE && kw != K_TABLES) {
		my_unknown_at(c, f, i, end, "RENAME");
		return (end);
	}
	i++;
	for (;;) {
		i = my_table(c, f, i, end, GUARD_WRITE, NULL, NULL);
		if (my_kw(c, i, end) != K_TO || !my_isname(c, i + 1, end)) {
			my_unknown_at(c, f, i, end, "RENAME TABLE");
			return (end);
		}
		i = my_table(c, f, i + 1, end, GUARD_WRITE, NULL, NULL);
		if (!my_op(c, i, end, ","))
			break;
		i++;
	}
	if (i < end)
		my_unknown_at(c, f, i, end, "RENAME TABLE");
	return (end);
}

/* Check a variable set by name: pinned, or beyond the session. */
static void
my_setvar(struct my_cls *c, struct guard_facts *f, size_t i)
{
	char	 name[MY_MAXNAME], *p;

	if (my_ident(c, i, name, sizeof name) != 0) {
		guard_unknown(f, "an identifier is longer than the server "
		    "allows");
		return;
	}
	for (p = name; *p != '\0'; p++) {
		if (*p >= 'A' && *p <= 'Z')
			*p += 'a' - 'A';
	}
	if (my_bsearch(name, my_pinned, nitems(my_pinned)) ||
	    (c->ctx->read_only && my_bsearch(name, my_pinned_ro,
	    nitems(my_pinned_ro))))
		my_pinned_set(f, name);
	if (my_bsearch(name, my_server_vars, nitems(my_server_vars)))
		f->flags |= GF_SERVER_CONFIG | GF_WRITE;
}

/* The end of a SET value: the next "," at depth 0, or e. */
static size_t
my_setval(const struct my_cls *c, size_t i, size_t e)
{
	size_t	 d = 0;

	for (; i < e; i++) {
		if (my_op(c, i, e, "("))
			d++;
		else if (my_op(c, i, e, ")") && d > 0)
			d--;
		else if (d == 0 && my_op(c, i, e, ","))
			return (i);
	}
	return (e);
}

/* SET STATEMENT var = value [, ...] FOR statement. */
static size_t
my_setstmt(struct my_cls *c, struct guard_facts *f, size_t i, size_t e)
{
	struct guard_facts	 g;
	size_t			 end = my_semi(c, i, e), fo, j;

	if ((fo = my_find(c, i, end, K_FOR)) >= end) {
		my_unknown_at(c, f, fo, end, "SET STATEMENT");
		return (end);
	}
	while (i < fo) {
		if (my_is(c, i, fo, SQL_MYTOK_SYSVAR))
			i++;
		if (!my_isname(c, i, fo) || !my_op(c, i + 1, fo, "=")) {
			my_unknown_at(c, f, i, fo, "SET STATEMENT");
			return (end);
		}
		my_setvar(c, f, i);
		j = my_setval(c, i + 2, fo);
		my_scan(c, f, i + 2, j, 0, GUARD_READ);
		i = j + 1;
	}
	memset(&g, 0, sizeof g);
	j = my_stmt(c, &g, fo + 1, e);
	guard_merge(f, &g);
	guard_facts_clear(&g);
	return (j);
}

/* SET ... */
static size_t
my_set(struct my_cls *c, struct guard_facts *f, size_t b, size_t e)
{
	size_t	 end = my_semi(c, b, e), i = b + 1, v, j;
	char	 name[MY_MAXNAME];
	int	 kw, k, global = 0;

	guard_add_kind(f, KIND_SET);
	kw = my_kw(c, i, end);
	if (kw == K_STATEMENT)
		return (my_setstmt(c, f, i + 1, e));
	if (kw == K_ROLE || (kw == K_DEFAULT && my_kw(c, i + 1, end) ==
	    K_ROLE)) {
		f->flags |= GF_PRIVILEGE;
		return (end);
	}
	for (;;) {
		kw = my_kw(c, i, end);
		if (kw == K_GLOBAL || kw == K_PERSIST || kw == K_PERSIST_ONLY) {
			global = 1;
			kw = my_kw(c, ++i, end);
		} else if (kw == K_SESSION || kw == K_LOCAL) {
			global = 0;
			kw = my_kw(c, ++i, end);
		}
		if (kw == K_TRANSACTION) {
			/* Characteristics: ISOLATION LEVEL x, READ WRITE. */
			if (global)
				f->flags |= GF_SERVER_CONFIG | GF_WRITE;
			for (j = i + 1; j < end; j++) {
				if (my_kw(c, j, end) == K_READ &&
				    my_kw(c, j + 1, end) == K_WRITE)
					f->flags |= GF_READ_WRITE;
			}
			return (end);
		}
		if (global)
			f->flags |= GF_SERVER_CONFIG | GF_WRITE;
		if (kw == K_NAMES || kw == K_CHARSET || ((kw == K_CHARACTER ||
		    kw == K_CHAR) && my_kw(c, i + 1, end) == K_SET)) {
			my_pinned_set(f, kw == K_NAMES ? "names" :
			    "character set");
			v = i + (kw == K_CHARACTER || kw == K_CHAR ? 2 : 1);
			goto value;
		}
		if (kw == K_PASSWORD) {
			f->flags |= GF_PRIVILEGE | GF_WRITE;
			my_scan(c, f, i + 1, end, 0, GUARD_READ);
			return (end);
		}
		if (my_is(c, i, end, SQL_MYTOK_USERVAR))
			i++;
		else if (my_is(c, i, end, SQL_MYTOK_SYSVAR)) {
			i++;
			if (my_isname(c, i, end) && my_op(c, i + 1, end, ".") &&
			    my_isname(c, i + 2, end)) {
				k = my_kw(c, i, end);
				if (k != K_SESSION && k != K_LOCAL) {
					/* GLOBAL, PERSIST, a key cache... */
					f->flags |= GF_SERVER_CONFIG |
					    GF_WRITE;
					if (k == K_GLOBAL || k == K_PERSIST ||
					    k == K_PERSIST_ONLY)
						global = 1;
				}
				i += 2;
			}
			if (!my_isname(c, i, end))
				goto bad;
			my_setvar(c, f, i);
			i++;
		} else if (my_isname(c, i, end)) {
			if (my_op(c, i + 1, end, ".") &&
			    my_isname(c, i + 2, end)) {
				/* NEW.col in a trigger, else a key cache. */
				if (my_ident(c, i, name, sizeof name) != 0 ||
				    !c->body || (strcmp(name, "new") != 0 &&
				    strcmp(name, "old") != 0))
					f->flags |= GF_SERVER_CONFIG |
					    GF_WRITE;
				i += 3;
			} else {
				my_setvar(c, f, i);
				i++;
			}
		} else
			goto bad;
		if (!my_op(c, i, end, "=") && !my_op(c, i, end, ":="))
			goto bad;
		v = i + 1;
value:
		j = my_setval(c, v, end);
		if (j == v)
			goto bad;
		my_scan(c, f, v, j, 0, GUARD_READ);
		if (j >= end)
			return (end);
		i = j + 1;
	}
bad:
	my_unknown_at(c, f, i, end, "SET");
	return (end);
}

/*
 * The SQL text that PREPARE or EXECUTE IMMEDIATE run, at b..e: string
 * literals are classified into g; anything else is dynamic SQL.
 */
static void
my_dynamic(struct my_cls *c, struct guard_facts *f, struct guard_facts *g,
    size_t b, size_t e)
{
	struct buf	 text;
	size_t		 i;

	for (i = b; i < e && c->t[i].kind == SQL_MYTOK_STRING; i++)
		;
	if (b >= e || i < e) {
		g->flags |= GF_DYNAMIC;
		my_scan(c, f, b, e, 0, GUARD_READ);
		return;
	}
	buf_init(&text);
	for (i = b; i < e; i++)
		sql_mysql_unquote(c->s, &c->t[i], c->rd, &text);
	my_text(c, text.len > 0 ? text.data : "", text.len, g);
	buf_free(&text);
}

/* PREPARE name FROM text. */
static size_t
my_prepare(struct my_cls *c, struct guard_facts *f, size_t b, size_t e)
{
	struct guard_facts	 g;
	size_t			 end = my_semi(c, b, e);
	char			 name[MY_MAXNAME];

	guard_add_kind(f, KIND_PREPARE);
	if (my_namearg(c, b + 1, end, name, sizeof name, 1) != 0 ||
	    my_kw(c, b + 2, end) != K_FROM) {
		my_unknown_at(c, f, b + 1, end, "PREPARE");
		return (end);
	}
	memset(&g, 0, sizeof g);
	c->prepping++;
	my_dynamic(c, f, &g, b + 3, end);
	c->prepping--;
	guard_merge(f, &g);
	my_effect(c, f, MY_EFF_PREPARE, name, &g);
	guard_facts_clear(&g);
	return (end);
}

/* EXECUTE name [USING ...] / EXECUTE IMMEDIATE text [USING ...]. */
static size_t
my_execute(struct my_cls *c, struct guard_facts *f, size_t b, size_t e)
{
	struct guard_facts		 g;
	const struct guard_facts	*p;
	size_t				 end = my_semi(c, b, e), u;
	char				 name[MY_MAXNAME];

	guard_add_kind(f, KIND_EXECUTE);
	if (my_kw(c, b + 1, end) == K_IMMEDIATE) {
		u = my_find(c, b + 2, end, K_USING);
		memset(&g, 0, sizeof g);
		my_dynamic(c, f, &g, b + 2, u);
		guard_merge(f, &g);
		guard_facts_clear(&g);
		if (u < end)
			my_scan(c, f, u + 1, end, 0, GUARD_READ);
		return (end);
	}
	if (my_namearg(c, b + 1, end, name, sizeof name, 1) != 0) {
		my_unknown_at(c, f, b + 1, end, "EXECUTE");
		return (end);
	}
	if (c->body)
		f->flags |= GF_DYNAMIC;
	else if ((p = guard_ctx_prepared(c->ctx, name)) != NULL)
		guard_merge(f, p);
	else
		guard_unknown(f, "EXECUTE %s: no statement of that name was "
		    "prepared earlier in this session", name);
	if (my_kw(c, b + 2, end) == K_USING)
		my_scan(c, f, b + 3, end, 0, GUARD_READ);
	return (end);
}

/* DEALLOCATE PREPARE name. */
static size_t
my_deallocate(struct my_cls *c, struct guard_facts *f, size_t b, size_t e)
{
	size_t	 end = my_semi(c, b, e);
	char	 name[MY_MAXNAME];

	guard_add_kind(f, KIND_PREPARE);
	if (my_kw(c, b + 1, end) != K_PREPARE ||
	    my_namearg(c, b + 2, end, name, sizeof name, 1) != 0) {
		my_unknown_at(c, f, b + 1, end, "DEALLOCATE");
		return (end);
	}
	my_effect(c, f, MY_EFF_DEALLOCATE, name, NULL);
	return (end);
}

/* USE db. */
static size_t
my_use(struct my_cls *c, struct guard_facts *f, size_t b, size_t e)
{
	size_t	 end = my_semi(c, b, e);
	char	 name[MY_MAXNAME];

	guard_add_kind(f, KIND_USE);
	f->flags |= GF_CONTEXT;
	if (b + 2 != end || my_namearg(c, b + 1, end, name, sizeof name,
	    0) != 0) {
		my_unknown_at(c, f, b + 1, end, "USE");
		return (end);
	}
	my_effect(c, f, MY_EFF_USE, name, NULL);
	return (end);
}

/* EXPLAIN / DESCRIBE / DESC / ANALYZE (MariaDB's, which runs it). */
static size_t
my_explain(struct my_cls *c, struct guard_facts *f, size_t b, size_t e)
{
	struct guard_facts	 g;
	size_t			 end = my_semi(c, b, e), i = b + 1, j, k;
	int			 analyze = my_kw(c, b, end) == K_ANALYZE, kw;

	for (;;) {
		kw = my_kw(c, i, end);
		if (kw == K_EXTENDED || kw == K_PARTITIONS)
			i++;
		else if (kw == K_FORMAT && my_op(c, i + 1, end, "="))
			i += 3;
		else if (kw == K_ANALYZE) {
			analyze = 1;
			i++;
		} else
			break;
	}
	if (kw == K_FOR && my_kw(c, i + 1, end) == K_CONNECTION) {
		/* Another session's plan, with its statement's values. */
		guard_add_kind(f, KIND_EXPLAIN);
		f->flags |= GF_RAW_VALUES;
		return (end);
	}
	if (!(kw == K_SELECT || kw == K_WITH || kw == K_INSERT ||
	    kw == K_REPLACE || kw == K_UPDATE || kw == K_DELETE ||
	    kw == K_TABLE || kw == K_VALUES || my_op(c, i, end, "("))) {
		if (analyze || !my_isfreename(c, i, end)) {
			my_unknown_at(c, f, i, end, "EXPLAIN");
			return (end);
		}
		/* DESCRIBE table [column or 'pattern']. */
		guard_add_kind(f, KIND_SHOW);
		j = my_table(c, f, i, end, GUARD_READ, NULL, NULL);
		if (j < end && (my_isname(c, j, end) ||
		    my_is(c, j, end, SQL_MYTOK_STRING)))
			j++;
		if (j < end)
			my_unknown_at(c, f, j, end, "DESCRIBE");
		return (end);
	}
	memset(&g, 0, sizeof g);
	j = my_stmt(c, &g, i, e);
	if (analyze) {
		guard_add_kind(f, KIND_EXPLAIN_ANALYZE);
		guard_merge(f, &g);
	} else {
		/*
		 * Not run, but the optimizer may evaluate constant
		 * subqueries and functions: keep all but the write facts.
		 */
		guard_add_kind(f, KIND_EXPLAIN);
		if (g.kinds & ((uint64_t)1 << KIND_UNKNOWN))
			guard_unknown(f, "%s", g.why != NULL ? g.why :
			    "cannot classify the statement explained");
		f->flags |= g.flags & ~(GF_WRITE | GF_WRITE_NO_WHERE |
		    GF_READ_WRITE | GF_CONTEXT | GF_INTO_VARIABLE);
		for (k = 0; k < g.nrels; k++)
			my_addrel1(f, g.rels[k].schema, g.rels[k].name,
			    GUARD_READ);
		for (k = 0; k < g.nfuncs; k++)
			my_addfunc(f, g.funcs[k].schema, g.funcs[k].name,
			    g.funcs[k].opaque);
	}
	guard_facts_clear(&g);
	return (j);
}

/* Whether token i is the word w (not a keyword of the table). */
static int
my_word(const struct my_cls *c, size_t i, size_t e, const char *w)
{
	size_t	 n = strlen(w);

	return (my_is(c, i, e, SQL_MYTOK_WORD) && c->t[i].len == n &&
	    strncasecmp(c->s + c->t[i].start, w, n) == 0);
}

/* SHOW ... (and HELP). */
static size_t
my_show(struct my_cls *c, struct guard_facts *f, size_t b, size_t e)
{
	size_t	 end = my_semi(c, b, e), i = b + 1, sch = SIZE_MAX, nm;
	int	 kw;

	guard_add_kind(f, KIND_SHOW);
	if (my_kw(c, i, end) == K_FULL || my_kw(c, i, end) == K_EXTENDED)
		i++;
	kw = my_kw(c, i, end);
	/*
	 * Other sessions' statements (PROCESSLIST, their plans, InnoDB's
	 * latest deadlock and transactions) and the binary log's.
	 */
	if (my_word(c, i, end, "processlist") || kw == K_EXPLAIN ||
	    kw == K_ANALYZE || (kw == K_ENGINE && my_word(c, i + 1, end,
	    "innodb") && my_kw(c, i + 2, end) == K_STATUS) ||
	    ((kw == K_BINLOG || my_word(c, i, end, "relaylog")) &&
	    my_word(c, i + 1, end, "events")))
		f->flags |= GF_RAW_VALUES;
	if (kw == K_CREATE && ((kw = my_kw(c, i + 1, end)) == K_TABLE ||
	    kw == K_VIEW))
		(void)my_table(c, f, i + 2, end, GUARD_READ, NULL, NULL);
	else if ((kw == K_COLUMNS || kw == K_FIELDS || kw == K_INDEX ||
	    kw == K_INDEXES || kw == K_KEYS) && ((kw = my_kw(c, i + 1, end)) ==
	    K_FROM || kw == K_IN) && my_isname(c, i + 2, end)) {
		nm = i + 2;
		if (my_op(c, nm + 1, end, ".") && my_isname(c, nm + 2, end)) {
			sch = nm;
			nm += 2;
		} else if (((kw = my_kw(c, nm + 1, end)) == K_FROM ||
		    kw == K_IN) && my_isname(c, nm + 2, end))
			sch = nm + 2;
		my_addrel(c, f, sch, nm, GUARD_READ);
	}
	my_scan(c, f, b + 1, end, 0, GUARD_READ);
	return (end);
}

/* OPTIMIZE, REPAIR, CHECK, CHECKSUM, ANALYZE TABLE. */
static size_t
my_admin_table(struct my_cls *c, struct guard_facts *f, size_t b, size_t e)
{
	size_t	 end = my_semi(c, b, e), i = b + 1;
	int	 kw = my_kw(c, b, end), k, w;

	w = kw == K_OPTIMIZE || kw == K_REPAIR;
	guard_add_kind(f, KIND_ADMIN);
	if (w)
		f->flags |= GF_MAINTENANCE | GF_WRITE;
	if ((k = my_kw(c, i, end)) == K_NO_WRITE_TO_BINLOG || k == K_LOCAL)
		i++;
	if ((k = my_kw(c, i, end)) != K_TABLE && k != K_TABLES) {
		my_unknown_at(c, f, i, end, "table maintenance");
		return (end);
	}
	i = my_tables(c, f, i + 1, end, w ? GUARD_WRITE : GUARD_READ);
	for (; i < end; i++) {
		k = my_kw(c, i, end);
		if (k == K_PERSISTENT || k == K_HISTOGRAM)
			f->flags |= GF_WRITE;
	}
	return (end);
}

/* LOAD DATA/XML INFILE, LOAD INDEX. */
static size_t
my_load(struct my_cls *c, struct guard_facts *f, size_t b, size_t e)
{
	size_t	 end = my_semi(c, b, e), i;
	int	 kw = my_kw(c, b + 1, end);

	if (kw == K_INDEX) {
		guard_add_kind(f, KIND_ADMIN);
		return (end);
	}
	if (kw != K_DATA && kw != K_XML) {
		my_unknown_at(c, f, b + 1, end, "LOAD");
		return (end);
	}
	guard_add_kind(f, KIND_INSERT);
	f->flags |= GF_FILE | GF_WRITE;
	i = my_find(c, b + 2, end, K_INTO);
	if (my_kw(c, i + 1, end) != K_TABLE || !my_isname(c, i + 2, end)) {
		my_unknown_at(c, f, i + 1, end, "LOAD DATA");
		return (end);
	}
	i = my_table(c, f, i + 2, end, GUARD_WRITE, NULL, NULL);
	my_scan(c, f, i, end, 0, GUARD_READ);
	return (end);
}

/* LOCK TABLES t READ, ... / LOCK INSTANCE FOR BACKUP. */
static size_t
my_lock(struct my_cls *c, struct guard_facts *f, size_t b, size_t e)
{
	size_t	 end = my_semi(c, b, e), i = b + 1, j;
	int	 kw = my_kw(c, i, end);

	guard_add_kind(f, KIND_LOCK);
	f->flags |= GF_LOCK;
	if (kw == K_INSTANCE)
		return (end);
	if (kw != K_TABLE && kw != K_TABLES) {
		my_unknown_at(c, f, i, end, "LOCK");
		return (end);
	}
	for (i++; i < end; i = j + 1) {
		if (!my_isname(c, i, end)) {
			my_unknown_at(c, f, i, end, "LOCK TABLES");
			return (end);
		}
		j = my_table(c, f, i, end, GUARD_READ, NULL, NULL);
		while (j < end && !my_op(c, j, end, ","))
			j++;
	}
	return (end);
}

/* Transactions: BEGIN, START TRANSACTION, COMMIT, ROLLBACK, XA... */
static size_t
my_txn(struct my_cls *c, struct guard_facts *f, size_t b, size_t e)
{
	size_t	 end = my_semi(c, b, e), i;

	guard_add_kind(f, KIND_TRANSACTION);
	for (i = b + 1; i < end; i++) {
		if (my_kw(c, i, end) == K_READ && my_kw(c, i + 1, end) ==
		    K_WRITE)
			f->flags |= GF_READ_WRITE;
	}
	return (end);
}

/* CALL name[(args)]. */
static size_t
my_callstmt(struct my_cls *c, struct guard_facts *f, size_t b, size_t e)
{
	size_t	 end = my_semi(c, b, e), i = b + 1;
	char	 sch[MY_MAXNAME], name[MY_MAXNAME];
	int	 q = 0;

	guard_add_kind(f, KIND_CALL);
	f->flags |= GF_OPAQUE;
	if (my_op(c, i + 1, end, ".") && my_isname(c, i + 2, end))
		q = 1;
	if (!my_isname(c, i, end) || (q && my_ident(c, i, sch,
	    sizeof sch) != 0) || my_ident(c, i + 2 * q, name,
	    sizeof name) != 0) {
		my_unknown_at(c, f, i, end, "CALL");
		return (end);
	}
	my_addfunc(f, q ? sch : NULL, name, 1);
	my_scan(c, f, i + 1 + 2 * q, end, 0, GUARD_READ);
	return (end);
}

/* Statements that only need a kind and flags, and scanning. */
static size_t
my_simple(struct my_cls *c, struct guard_facts *f, size_t b, size_t e,
    enum stmt_kind kind, unsigned int flags, int scan)
{
	size_t	 end = my_semi(c, b, e);

	guard_add_kind(f, kind);
	f->flags |= flags;
	if (scan)
		my_scan(c, f, b + 1, end, 0, GUARD_READ);
	return (end);
}

/* The mysql client's own commands. */
static int
my_client(const struct my_cls *c, size_t i, size_t e)
{
	char	 w[32];

	if (!my_is(c, i, e, SQL_MYTOK_WORD) || c->t[i].len >= sizeof w)
		return (0);
	my_lower(c, i, w, sizeof w);
	return (my_bsearch(w, my_client_words, nitems(my_client_words)));
}

/*
 * Compound statements: routine bodies, and MariaDB's BEGIN NOT ATOMIC,
 * IF, CASE, LOOP, WHILE, REPEAT, FOR outside routines. Every statement in
 * them is classified and merged.
 */

/* Keywords that end a statement list. */
static int
my_sp_end(int kw)
{
	return (kw == K_END || kw == K_ELSE || kw == K_ELSEIF ||
	    kw == K_WHEN || kw == K_UNTIL);
}

/* Keywords that start a block a label may name. */
static int
my_sp_block(int kw)
{
	return (kw == K_BEGIN || kw == K_LOOP || kw == K_WHILE ||
	    kw == K_REPEAT || kw == K_FOR);
}

/* Whether f has been made unknown. */
static int
my_isunknown(const struct guard_facts *f)
{
	return ((f->kinds & ((uint64_t)1 << KIND_UNKNOWN)) != 0);
}

/* Statements each ending in ";" up to a list end; returns its index. */
static size_t
my_sp_list(struct my_cls *c, struct guard_facts *f, size_t b, size_t e)
{
	size_t	 i = b, j;

	while (i < e) {
		if (my_sp_end(my_kw(c, i, e)))
			return (i);
		j = my_sp_stmt(c, f, i, e);
		if (my_isunknown(f))
			return (e);
		if (j >= e)
			break;
		if (!my_is(c, j, e, SQL_MYTOK_SEMI)) {
			my_unknown_at(c, f, j, e, "compound statement");
			return (e);
		}
		i = j + 1;
	}
	guard_unknown(f, "a compound statement is not closed: END is missing "
	    "(without DELIMITER, input is split at each \";\")");
	return (e);
}

/* A condition up to the keyword stop (at depth 0, outside CASE). */
static size_t
my_sp_cond(struct my_cls *c, struct guard_facts *f, size_t b, size_t e,
    int stop)
{
	size_t	 i, d = 0, cs = 0;
	int	 kw;

	for (i = b; i < e; i++) {
		if (c->t[i].kind == SQL_MYTOK_SEMI)
			break;
		if (my_op(c, i, e, "("))
			d++;
		else if (my_op(c, i, e, ")") && d > 0)
			d--;
		if (d > 0)
			continue;
		kw = my_kw(c, i, e);
		if (kw == K_CASE)
			cs++;
		else if (kw == K_END && cs > 0)
			cs--;
		else if (kw == stop && cs == 0 && i > b) {
			my_scan(c, f, b, i, 0, GUARD_READ);
			return (i);
		}
	}
	my_unknown_at(c, f, i, e, "compound statement");
	return (e);
}

/* END [kw] [label] at i; returns the index past it. */
static size_t
my_sp_close(struct my_cls *c, struct guard_facts *f, size_t i, size_t e,
    int kw)
{
	if (my_isunknown(f))
		return (e);
	if (my_kw(c, i, e) != K_END ||
	    (kw != K_NONE && my_kw(c, i + 1, e) != kw)) {
		my_unknown_at(c, f, i, e, "compound statement");
		return (e);
	}
	i += kw != K_NONE ? 2 : 1;
	if (my_isname(c, i, e) && !my_sp_end(my_kw(c, i, e)))
		i++;		/* the label */
	return (i);
}

/* DECLARE in a routine body. */
static size_t
my_sp_declare(struct my_cls *c, struct guard_facts *f, size_t b, size_t e)
{
	size_t	 end = my_semi(c, b, e), i;
	int	 kw = my_kw(c, b + 1, end);

	if ((kw == K_CONTINUE || kw == K_EXIT || kw == K_UNDO) &&
	    my_kw(c, b + 2, end) == K_HANDLER &&
	    my_kw(c, b + 3, end) == K_FOR) {
		/* Conditions, then the handler's statement. */
		i = b + 4;
		while (i < end) {
			kw = my_kw(c, i, end);
			if (kw == K_SQLSTATE) {
				i++;
				if (my_kw(c, i, end) == K_VALUE)
					i++;
			} else if (kw == K_NOT && my_kw(c, i + 1, end) ==
			    K_FOUND)
				i++;
			else if (!(kw == K_SQLWARNING ||
			    kw == K_SQLEXCEPTION || my_isname(c, i, end) ||
			    my_is(c, i, end, SQL_MYTOK_NUMBER)))
				break;
			if (!my_op(c, i + 1, end, ",")) {
				i++;
				break;
			}
			i += 2;		/* past the comma */
		}
		return (my_sp_stmt(c, f, i, e));
	}
	if (my_kw(c, b + 2, end) == K_CURSOR) {
		if ((i = my_find(c, b + 3, end, K_FOR)) >= end) {
			my_unknown_at(c, f, i, end, "DECLARE CURSOR");
			return (end);
		}
		return (my_stmt(c, f, i + 1, e));
	}
	if (my_kw(c, b + 2, end) != K_CONDITION)
		my_scan(c, f, b + 1, end, MY_SCAN_DDL, GUARD_READ);
	return (end);
}

/* One statement of a compound statement; returns its end. */
static size_t
my_sp_stmt(struct my_cls *c, struct guard_facts *f, size_t b, size_t e)
{
	size_t	 i = b, j;
	int	 kw;

	if (c->depth >= MY_MAXDEPTH) {
		guard_unknown(f, "statements nested more than %d deep",
		    MY_MAXDEPTH);
		return (e);
	}
	c->depth++;
	if (my_isname(c, i, e) && my_op(c, i + 1, e, ":") &&
	    my_sp_block(my_kw(c, i + 2, e)))
		i += 2;
	kw = my_kw(c, i, e);
	switch (kw) {
	case K_BEGIN:
		i++;
		if (my_kw(c, i, e) == K_NOT && my_kw(c, i + 1, e) == K_ATOMIC)
			i += 2;
		j = my_sp_list(c, f, i, e);
		j = my_sp_close(c, f, j, e, K_NONE);
		break;
	case K_IF:
		j = i;
		do {
			j = my_sp_cond(c, f, j + 1, e, K_THEN);
			if (my_isunknown(f))
				break;
			j = my_sp_list(c, f, j + 1, e);
		} while (my_kw(c, j, e) == K_ELSEIF);
		if (my_kw(c, j, e) == K_ELSE)
			j = my_sp_list(c, f, j + 1, e);
		j = my_sp_close(c, f, j, e, K_IF);
		break;
	case K_CASE:
		j = i + 1;
		if (my_kw(c, j, e) != K_WHEN)
			j = my_sp_cond(c, f, j, e, K_WHEN);
		while (!my_isunknown(f) && my_kw(c, j, e) == K_WHEN) {
			j = my_sp_cond(c, f, j + 1, e, K_THEN);
			if (my_isunknown(f))
				break;
			j = my_sp_list(c, f, j + 1, e);
		}
		if (my_kw(c, j, e) == K_ELSE)
			j = my_sp_list(c, f, j + 1, e);
		j = my_sp_close(c, f, j, e, K_CASE);
		break;
	case K_LOOP:
		j = my_sp_list(c, f, i + 1, e);
		j = my_sp_close(c, f, j, e, K_LOOP);
		break;
	case K_WHILE:
	case K_FOR:
		j = my_sp_cond(c, f, i + 1, e, K_DO);
		if (!my_isunknown(f))
			j = my_sp_list(c, f, j + 1, e);
		j = my_sp_close(c, f, j, e, kw);
		break;
	case K_REPEAT:
		j = my_sp_list(c, f, i + 1, e);
		if (!my_isunknown(f) && my_kw(c, j, e) == K_UNTIL)
			j = my_sp_cond(c, f, j + 1, e, K_END);
		else
			my_unknown_at(c, f, j, e, "REPEAT");
		j = my_sp_close(c, f, j, e, K_REPEAT);
		break;
	case K_DECLARE:
		j = my_sp_declare(c, f, i, e);
		break;
	case K_RETURN:
		j = my_semi(c, i, e);
		my_scan(c, f, i + 1, j, 0, GUARD_READ);
		break;
	case K_LEAVE:
	case K_ITERATE:
	case K_OPEN:
	case K_CLOSE:
	case K_FETCH:
		j = my_semi(c, i, e);
		break;
	default:
		j = my_stmt(c, f, i, e);
		break;
	}
	c->depth--;
	return (j);
}

/* Classify the statement at b; returns where it ends. */
static size_t
my_dispatch(struct my_cls *c, struct guard_facts *f, size_t b, size_t e)
{
	size_t	 i, end;
	int	 kw = my_kw(c, b, e), k;

	if (c->t[b].kind == SQL_MYTOK_BACKSLASH || my_client(c, b, e)) {
		guard_add_kind(f, KIND_CLIENT);
		f->flags |= GF_CLIENT_COMMAND;
		return (e);
	}
	if (my_op(c, b, e, "(")) {
		for (i = b; my_op(c, i, e, "("); i++)
			;
		if ((k = my_kw(c, i, e)) == K_SELECT || k == K_WITH ||
		    k == K_VALUES || k == K_TABLE)
			return (my_select(c, f, b, e));
	}
	if (my_isname(c, b, e) && my_op(c, b + 1, e, ":")) {
		guard_add_kind(f, KIND_DO);
		return (my_sp_stmt(c, f, b, e));
	}
	switch (kw) {
	case K_SELECT:
	case K_VALUES:
	case K_TABLE:
		return (my_select(c, f, b, e));
	case K_WITH:
		return (my_with(c, f, b, e));
	case K_INSERT:
	case K_REPLACE:
		return (my_insert(c, f, b, e));
	case K_UPDATE:
		return (my_update(c, f, b, e));
	case K_DELETE:
		return (my_delete(c, f, b, e));
	case K_TRUNCATE:
		end = my_semi(c, b, e);
		guard_add_kind(f, KIND_TRUNCATE);
		f->flags |= GF_WRITE;
		i = b + 1;
		if (my_kw(c, i, end) == K_TABLE)
			i++;
		if (my_table(c, f, i, end, GUARD_WRITE, NULL, NULL) == i)
			my_unknown_at(c, f, i, end, "TRUNCATE");
		return (end);
	case K_CREATE:
		return (my_create(c, f, b, e));
	case K_ALTER:
		return (my_alter(c, f, b, e));
	case K_DROP:
		return (my_drop(c, f, b, e));
	case K_RENAME:
		return (my_rename(c, f, b, e));
	case K_GRANT:
	case K_REVOKE:
		return (my_simple(c, f, b, e, KIND_GRANT,
		    GF_PRIVILEGE | GF_WRITE, 0));
	case K_SET:
		return (my_set(c, f, b, e));
	case K_USE:
		return (my_use(c, f, b, e));
	case K_PREPARE:
		return (my_prepare(c, f, b, e));
	case K_EXECUTE:
		return (my_execute(c, f, b, e));
	case K_DEALLOCATE:
		return (my_deallocate(c, f, b, e));
	case K_EXPLAIN:
	case K_DESCRIBE:
	case K_DESC:
		return (my_explain(c, f, b, e));
	case K_ANALYZE:
		if ((k = my_kw(c, b + 1, e)) == K_TABLE || k == K_TABLES ||
		    k == K_NO_WRITE_TO_BINLOG || k == K_LOCAL)
			return (my_admin_table(c, f, b, e));
		return (my_explain(c, f, b, e));
	case K_OPTIMIZE:
	case K_REPAIR:
	case K_CHECK:
	case K_CHECKSUM:
		return (my_admin_table(c, f, b, e));
	case K_SHOW:
	case K_HELP:
		return (my_show(c, f, b, e));
	case K_CALL:
		return (my_callstmt(c, f, b, e));
	case K_DO:
		return (my_simple(c, f, b, e, KIND_DO, 0, 1));
	case K_HANDLER:
		end = my_semi(c, b, e);
		guard_add_kind(f, KIND_HANDLER);
		i = my_op(c, b + 2, end, ".") ? b + 4 : b + 2;
		if (my_kw(c, i, end) == K_OPEN)
			(void)my_table(c, f, b + 1, end, GUARD_READ, NULL,
			    NULL);
		my_scan(c, f, i, end, 0, GUARD_READ);
		return (end);
	case K_LOCK:
		return (my_lock(c, f, b, e));
	case K_UNLOCK:
		return (my_simple(c, f, b, e, KIND_TRANSACTION, 0, 0));
	case K_BEGIN:
		if (my_kw(c, b + 1, e) == K_NOT) {
			guard_add_kind(f, KIND_DO);
			return (my_sp_stmt(c, f, b, e));
		}
		end = my_semi(c, b, e);
		if (b + 1 < end && !(my_kw(c, b + 1, end) == K_WORK &&
		    b + 2 == end)) {
			my_unknown_at(c, f, b + 1, end, "BEGIN");
			return (end);
		}
		return (my_txn(c, f, b, e));
	case K_START:
		if ((k = my_kw(c, b + 1, e)) == K_TRANSACTION)
			return (my_txn(c, f, b, e));
		if (k == K_SLAVE || k == K_REPLICA || k == K_ALL ||
		    k == K_GROUP_REPLICATION)
			return (my_simple(c, f, b, e, KIND_ADMIN,
			    GF_SERVER_CONFIG | GF_WRITE, 0));
		break;
	case K_STOP:
		if ((k = my_kw(c, b + 1, e)) == K_SLAVE || k == K_REPLICA ||
		    k == K_ALL || k == K_GROUP_REPLICATION)
			return (my_simple(c, f, b, e, KIND_ADMIN,
			    GF_SERVER_CONFIG | GF_WRITE, 0));
		break;
	case K_COMMIT:
	case K_ROLLBACK:
	case K_SAVEPOINT:
	case K_XA:
		return (my_txn(c, f, b, e));
	case K_RELEASE:
		if (my_kw(c, b + 1, e) == K_SAVEPOINT)
			return (my_txn(c, f, b, e));
		break;
	case K_LOAD:
		return (my_load(c, f, b, e));
	case K_FLUSH:
		end = my_semi(c, b, e);
		guard_add_kind(f, KIND_ADMIN);
		f->flags |= GF_MAINTENANCE | GF_WRITE;
		for (i = b + 1; i < end; i++) {
			if ((my_kw(c, i, end) == K_READ && my_kw(c, i + 1,
			    end) == K_LOCK) || (my_kw(c, i, end) == K_FOR &&
			    my_kw(c, i + 1, end) == K_EXPORT))
				f->flags |= GF_LOCK;
		}
		return (end);
	case K_KILL:
		return (my_simple(c, f, b, e, KIND_ADMIN, GF_KILL, 1));
	case K_SHUTDOWN:
	case K_RESTART:
		return (my_simple(c, f, b, e, KIND_ADMIN, GF_SHUTDOWN, 0));
	case K_INSTALL:
	case K_UNINSTALL:
		return (my_simple(c, f, b, e, KIND_DDL,
		    GF_EXTENSION | GF_WRITE, 0));
	case K_RESET:
		if ((k = my_kw(c, b + 1, e)) == K_QUERY)
			return (my_simple(c, f, b, e, KIND_ADMIN,
			    GF_MAINTENANCE, 0));
		if (k == K_MASTER || k == K_SLAVE || k == K_REPLICA ||
		    k == K_BINARY || k == K_PERSIST)
			return (my_simple(c, f, b, e, KIND_ADMIN,
			    GF_SERVER_CONFIG | GF_WRITE, 0));
		break;
	case K_PURGE:
	case K_CHANGE:
	case K_CLONE:
		return (my_simple(c, f, b, e, KIND_ADMIN,
		    GF_SERVER_CONFIG | GF_WRITE, 0));
	case K_CACHE:
		return (my_simple(c, f, b, e, KIND_ADMIN, 0, 0));
	case K_BACKUP:
		if (my_kw(c, b + 1, e) == K_UNLOCK)
			return (my_simple(c, f, b, e, KIND_TRANSACTION, 0, 0));
		return (my_simple(c, f, b, e, KIND_LOCK, GF_LOCK, 0));
	case K_IMPORT:
		return (my_simple(c, f, b, e, KIND_DDL, GF_FILE | GF_WRITE,
		    0));
	case K_SIGNAL:
	case K_RESIGNAL:
		return (my_simple(c, f, b, e, KIND_SHOW, 0, 1));
	case K_GET:
		for (i = b + 1; (k = my_kw(c, i, e)) == K_CURRENT ||
		    k == K_STACKED; i++)
			;
		if (k == K_DIAGNOSTICS)
			return (my_simple(c, f, b, e, KIND_SHOW, 0, 0));
		break;
	case K_IF:
	case K_CASE:
	case K_LOOP:
	case K_WHILE:
	case K_REPEAT:
	case K_FOR:
		guard_add_kind(f, KIND_DO);
		return (my_sp_stmt(c, f, b, e));
	}
	end = my_semi(c, b, e);
	my_unknown_at(c, f, b, end, "unrecognised statement");
	return (end);
}

/* Classify the statement at b (depth-capped); returns where it ends. */
static size_t
my_stmt(struct my_cls *c, struct guard_facts *f, size_t b, size_t e)
{
	size_t	 end;

	if (b >= e) {
		guard_unknown(f, "a statement is missing");
		return (e);
	}
	if (c->depth >= MY_MAXDEPTH) {
		guard_unknown(f, "statements nested more than %d deep",
		    MY_MAXDEPTH);
		return (e);
	}
	c->depth++;
	end = my_dispatch(c, f, b, e);
	c->depth--;
	return (end);
}

/*
 * Values the database keeps elsewhere: relations that hold raw column
 * values (statistics, histograms, lock data) or other sessions' statement
 * text (process lists, statement history, the general log), as
 * "schema.name" (sorted). performance_schema.events_statements_* is
 * decided in my_raw_rel.
 */
static const char *const my_raw_rels[] = {
	"information_schema.column_statistics",
	"information_schema.innodb_locks",
	"information_schema.innodb_trx",
	"information_schema.processlist",
	"information_schema.query_cache_info",
	"mysql.column_stats",
	"mysql.general_log",
	"mysql.slow_log",
	"performance_schema.data_locks",
	"performance_schema.prepared_statements_instances",
	"performance_schema.processlist",
	"performance_schema.threads",
	"sys.innodb_lock_waits",
	"sys.processlist",
	"sys.session",
	"sys.x$innodb_lock_waits",
	"sys.x$processlist",
	"sys.x$session",
};

/* Whether reading schema.name shows raw values or others' statements. */
static int
my_raw_rel(const struct my_cls *c, const char *schema, const char *name)
{
	char	 sch[32], nm[64], key[100];
	size_t	 n = sizeof "events_statements_" - 1;

	if (my_lowercpy(schema, sch, sizeof sch) != 0 ||
	    my_lowercpy(name, nm, sizeof nm) != 0)
		return (0);
	if (strcmp(sch, "performance_schema") == 0 &&
	    strncmp(nm, "events_statements_", n) == 0) {
		/*
		 * current, history, history_long hold the statements' text;
		 * of the summaries only MySQL 8's by_digest keeps one
		 * (QUERY_SAMPLE_TEXT), the rest hold normalized digests.
		 */
		if (strncmp(nm + n, "summary_", 8) == 0)
			return (!c->rd->mariadb &&
			    strcmp(nm + n, "summary_by_digest") == 0);
		return (strncmp(nm + n, "histogram_", 10) != 0);
	}
	snprintf(key, sizeof key, "%s.%s", sch, nm);
	return (my_bsearch(key, my_raw_rels, nitems(my_raw_rels)));
}

/* Set raw-values if the statement reads such a relation. */
static void
my_rawvalues(const struct my_cls *c, struct guard_facts *f)
{
	const struct guard_rel	*r;
	size_t			 k;

	for (k = 0; k < f->nrels; k++) {
		r = &f->rels[k];
		if (r->schema == NULL)
			continue;
		switch (r->schema[0]) {
		case 'i': case 'I': case 'm': case 'M':
		case 'p': case 'P': case 's': case 'S':
			break;
		default:
			continue;
		}
		if (my_raw_rel(c, r->schema, r->name)) {
			f->flags |= GF_RAW_VALUES;
			return;
		}
	}
}

/*
 * Masked columns. Once a statement is classified, the masked columns of
 * each relation it reads or writes are asked for (ctx->masked, once per
 * relation and statement), and a second walk over its tokens looks at
 * where each name of a masked column stands (any qualifier, any table:
 * a name is masked if any relation of the statement masks it):
 *
 *  - in a select list (also inside allow-listed functions, casts, CASE
 *    results, aggregates), or a * while a relation has masked columns:
 *    masked-out, the mask stage masks the output;
 *  - in WHERE, HAVING or ON, as the whole operand of = or <=> against a
 *    literal string, hex, NULL or ?, of [NOT] IN (such literals) or of
 *    IS [NOT] NULL: nothing (a number is no such literal: "ssn = 123"
 *    compares as numbers and matches every ssn that starts "123-");
 *  - anywhere else, masked-ref: other predicates, functions of it in a
 *    predicate, ORDER/GROUP BY (also by position or by the alias of a
 *    masked output), window specifications, CASE conditions and IF()'s
 *    first argument, arguments of stored, opaque or timing functions
 *    (SLEEP, LAST_INSERT_ID(x) that keeps x), := assignments, LIMIT,
 *    NATURAL JOIN and USING over a masked relation, and every select list
 *    that feeds something other than the output: INSERT/REPLACE ... SELECT
 *    or VALUES, UPDATE SET, RETURNING, CREATE TABLE ... SELECT, views,
 *    SET, DO, CALL, SELECT ... INTO, PREPARE texts, comparisons against
 *    a subquery. INSERT naming a masked column, or none into a table that
 *    has one, and HANDLER on a masked table are masked-ref too. Routine,
 *    trigger and event bodies, and DDL that rewrites a masked table
 *    (ALTER, RENAME, CREATE INDEX or TRIGGER on it) treat every mention
 *    as masked-ref.
 *
 * A masked value that leaves a select list comes back under the name of
 * its output, which then counts as masked wherever it stands (any
 * qualifier, any scope): the alias, the column's name for a bare column,
 * the name in a CTE's or derived table's column list at its position, and
 * for a UNION the name the first branch gives that position. An output
 * named by its text (an expression without an alias) makes every quoted
 * name that is not a plain identifier count. A scalar subquery in a
 * select list hands its value to the item it is in. The names of the
 * outputs are known only once their query is walked, so the walk is
 * repeated until no new name turns up. Where a name cannot be told (a *
 * before a masked position of a UNION, a first branch that is no SELECT,
 * too many names), every column reference outside select lists counts
 * (a last walk). A relation whose list is "*" masks every column.
 *
 * EXPLAIN and DESCRIBE show a plan, not the rows: no masked-out (a plan
 * still counts rows and folds constants, so masked-ref stays). ANALYZE
 * and EXPLAIN ANALYZE run the statement: as the statement.
 */
#define MY_MAXMASKED	64	/* masked column names per statement */
#define MY_MAXMALIAS	32	/* names of masked outputs */
#define MY_MAXMPOOL	2048	/* bytes of those names */
#define MY_MAXMPASS	8	/* walks to find them all */
#define MY_MAXMDEPTH	4	/* statements in statements (EXPLAIN...) */
#define MY_ANYHOME	SIZE_MAX	/* an output name counts everywhere */
#define MY_NOHOME	(SIZE_MAX - 1)	/* not in a select list */

#define MY_MCLOCAL	8	/* relations cached without allocating */

/* The masked columns of one relation (copies), asked for once. */
struct my_mcent {
	char		 schema[MY_MAXNAME];	/* lower case */
	char		 name[MY_MAXNAME];	/* lower case */
	int		 noschema;		/* schema was NULL */
	char		**cols;		/* NULL-terminated, or NULL: none */
};

/* Shared by the readings of one statement; see my_mcache_init. */
struct my_mcache {
	struct my_mcent	*e;		/* local, or allocated past it */
	size_t		 n;
	size_t		 cap;
	struct my_mcent	 local[MY_MCLOCAL];
};

/* Where a token stands, for a masked column there. */
#define MC_NONE		0	/* statement words: no column here */
#define MC_SEL		1	/* an output select list */
#define MC_COND		2	/* WHERE, HAVING: equality tests pass */
#define MC_ON		3	/* a join condition: as MC_COND */
#define MC_REF		4	/* anywhere else */
#define MC_ORDER	5	/* ORDER BY, GROUP BY: as MC_REF, and 1, 2 */
#define MC_FROM		6	/* table references: names are tables */
#define MC_NAMES	7	/* index, partition, column-list names */

/* Where a query's select list goes. */
#define MO_OUT		0	/* to the client */
#define MO_REF		1	/* into a write, a variable, a comparison */
#define MO_NONE		2	/* EXISTS (...): its * means nothing */

/* What opened a level. */
#define ML_GROUP	0	/* parentheses */
#define ML_QUERY	1	/* a statement or subquery */
#define ML_CALL		2	/* a function's arguments */

/* One level of parentheses in the walk. */
struct my_mlev {
	size_t		 open;		/* the "(", or SIZE_MAX */
	size_t		 btand;		/* the AND of the last BETWEEN */
	size_t		 q;		/* the query level it belongs to */
	uint64_t	 items;		/* select-list items masked (bits) */
	uint64_t	 sinks;		/* items that call opaque code */
	uint64_t	 casecond;	/* per CASE: in its condition */
	unsigned int	 item;		/* select-list item */
	unsigned int	 argn;		/* function argument */
	unsigned int	 between;	/* BETWEENs waiting for AND */
	unsigned int	 cased;		/* CASE nesting */
	unsigned char	 kind;		/* ML_* */
	unsigned char	 clause;	/* MC_* */
	unsigned char	 out;		/* MO_*, query levels */
	unsigned char	 ref;		/* all of it is MC_REF */
	unsigned char	 assign;	/* after := in this item */
	unsigned char	 ifarg;		/* IF(): argument 0 is a condition */
	unsigned char	 sel;		/* saw SELECT */
	unsigned char	 insel;		/* in its select list */
	unsigned char	 itemhit;	/* this item holds a masked value */
	unsigned char	 itemsink;	/* and calls or assigns something */
	unsigned char	 ctx;		/* the parent's MC_* where it opened */
	unsigned char	 setop;		/* UNION...: branch 1 names outputs */
	unsigned char	 setcmp;	/* INTERSECT, EXCEPT: compares rows */
	unsigned char	 rows;		/* VALUES: items are rows */
	size_t		 istart;	/* the select-list item's first token */
};

/* One statement's masked names, walk state and findings. */
struct my_mw {
	struct my_cls	*c;
	const char	*names[MY_MAXMASKED];
	size_t		 lens[MY_MAXMASKED];
	unsigned char	 nhi[MY_MAXMASKED];	/* past ASCII */
	size_t		 nnames;
	size_t		 aoff[MY_MAXMALIAS];	/* masked outputs' names */
	size_t		 alen[MY_MAXMALIAS];	/* in pool */
	size_t		 ahome[MY_MAXMALIAS];	/* see my_mw_addname */
	unsigned char	 ahi[MY_MAXMALIAS];
	size_t		 nalias;
	size_t		 pooled;
	size_t		 b;		/* where the walk started */
	int		 any;		/* a relation has masked columns */
	int		 all;		/* one masks every column */
	int		 writemasked;	/* one written has */
	int		 taint;		/* every column reference counts */
	int		 write;		/* select lists feed a write */
	int		 body;		/* every mention is masked-ref */
	int		 prep;		/* a PREPARE text */
	int		 out;		/* masked output */
	int		 ref;		/* masked-ref */
	int		 into;		/* SELECT ... INTO, PROCEDURE */
	int		 exprname;	/* an output named by its text */
	int		 added;		/* a name was added in this walk */
	int		 unknown;	/* an output's name cannot be told */
	int		 more;		/* too many names to track */
	int		 top;		/* a query: its rows are the result */
	uint64_t	 items0;	/* outputs masked or from opaque code */
	char		 pool[MY_MAXMPOOL];	/* last: not cleared */
};

/*
 * Functions whose arguments a select list must not hand a masked value:
 * timing, errors that quote it, state that keeps it (sorted).
 */
static const char *const my_mask_sinks[] = {
	"benchmark", "extractvalue", "last_insert_id", "sleep", "updatexml",
};

/* Start an empty cache (nothing allocated until MY_MCLOCAL are used). */
static void
my_mcache_init(struct my_mcache *mc)
{
	mc->e = mc->local;
	mc->n = 0;
	mc->cap = MY_MCLOCAL;
}

/* Release the masked columns asked for. */
static void
my_mcache_free(struct my_mcache *mc)
{
	size_t	 k, n;

	for (k = 0; k < mc->n; k++) {
		for (n = 0; mc->e[k].cols != NULL && mc->e[k].cols[n] != NULL;
		    n++)
			free(mc->e[k].cols[n]);
		free(mc->e[k].cols);
	}
	if (mc->e != mc->local)
		free(mc->e);
	my_mcache_init(mc);
}

/*
 * The masked columns of a relation, asked for once per statement (names
 * folded to lower case: the server may fold them too). The cache owns
 * what it returns. NULL: none.
 */
static char *const *
my_mask_cols(struct my_cls *c, const char *schema, const char *name)
{
	struct my_mcache	*mc = c->mcache;
	struct my_mcent		*m;
	const char *const	*cols;
	char			 sch[MY_MAXNAME], nm[MY_MAXNAME];
	size_t			 k, n;

	if (my_lowercpy(name, nm, sizeof nm) != 0 || (schema != NULL &&
	    my_lowercpy(schema, sch, sizeof sch) != 0))
		return (NULL);
	for (k = 0; k < mc->n; k++) {
		m = &mc->e[k];
		if (strcmp(m->name, nm) == 0 && m->noschema == (schema ==
		    NULL) && (schema == NULL || strcmp(m->schema, sch) == 0))
			return (m->cols);
	}
	cols = c->ctx->masked(c->ctx->masked_arg, schema != NULL ? sch : NULL,
	    nm);
	if (mc->n == mc->cap) {
		m = xreallocarray(NULL, mc->cap * 2, sizeof *m);
		memcpy(m, mc->e, mc->n * sizeof *m);
		if (mc->e != mc->local)
			free(mc->e);
		mc->e = m;
		mc->cap *= 2;
	}
	m = &mc->e[mc->n++];
	m->noschema = schema == NULL;
	memcpy(m->schema, schema != NULL ? sch : "", schema != NULL ?
	    strlen(sch) + 1 : 1);
	memcpy(m->name, nm, strlen(nm) + 1);
	m->cols = NULL;
	if (cols != NULL && cols[0] != NULL) {
		for (n = 0; cols[n] != NULL; n++)
			;
		m->cols = xcalloc(n + 1, sizeof *m->cols);
		for (k = 0; k < n; k++)
			m->cols[k] = xstrdup(cols[k]);
	}
	return (m->cols);
}

/* ASCII case-insensitive comparison of n bytes. */
static int
my_caseeq(const char *a, const char *b, size_t n)
{
	size_t	 k;
	int	 x, y;

	for (k = 0; k < n; k++) {
		x = (unsigned char)a[k];
		y = (unsigned char)b[k];
		if (x >= 'A' && x <= 'Z')
			x += 'a' - 'A';
		if (y >= 'A' && y <= 'Z')
			y += 'a' - 'A';
		if (x != y)
			return (0);
	}
	return (1);
}

/* The text of alias token i (a name or a string); -1 if too long. */
static int
my_mw_aliastext(const struct my_cls *c, size_t i, char *buf, size_t size)
{
	struct buf	 b;
	int		 r = -1;

	if (c->t[i].kind != SQL_MYTOK_STRING)
		return (my_ident(c, i, buf, size));
	buf_init(&b);
	sql_mysql_unquote(c->s, &c->t[i], c->rd, &b);
	if (b.len < size) {
		if (b.len > 0)
			memcpy(buf, b.data, b.len);
		buf[b.len] = '\0';
		r = 0;
	}
	buf_free(&b);
	return (r);
}

/* Whether n bytes at p hold a byte past ASCII. */
static int
my_mw_hibit(const char *p, size_t n)
{
	size_t	 k;

	for (k = 0; k < n; k++) {
		if ((unsigned char)p[k] >= 0x80)
			return (1);
	}
	return (0);
}

/*
 * Whether two names may be the same to the server, which compares them
 * without case and accents (utf8 general_ci: e and e-acute, s and
 * U+017F are one): a character past ASCII on either side matches any
 * one character on the other.
 */
static int
my_mw_nameeq(const char *a, size_t an, const char *b, size_t bn)
{
	size_t	 i = 0, j = 0;
	int	 x, y;

	while (i < an && j < bn) {
		x = (unsigned char)a[i];
		y = (unsigned char)b[j];
		if (x >= 0x80 || y >= 0x80) {
			/* Past this character on both sides. */
			for (i++; i < an && ((unsigned char)a[i] & 0xc0) ==
			    0x80; i++)
				;
			for (j++; j < bn && ((unsigned char)b[j] & 0xc0) ==
			    0x80; j++)
				;
			continue;
		}
		if (x >= 'A' && x <= 'Z')
			x += 'a' - 'A';
		if (y >= 'A' && y <= 'Z')
			y += 'a' - 'A';
		if (x != y)
			return (0);
		i++;
		j++;
	}
	return (i == an && j == bn);
}

/*
 * Whether the n bytes at p name a masked column (-1) or the masked output
 * k (k), or neither (-2).
 */
static int
my_mw_textname(const struct my_mw *w, const char *p, size_t n)
{
	size_t	 k;
	int	 hi = my_mw_hibit(p, n);

	for (k = 0; k < w->nnames; k++) {
		if (hi || w->nhi[k] ? my_mw_nameeq(p, n, w->names[k],
		    w->lens[k]) : w->lens[k] == n && my_caseeq(p,
		    w->names[k], n))
			return (-1);
	}
	for (k = 0; k < w->nalias; k++) {
		if (hi || w->ahi[k] ? my_mw_nameeq(p, n, w->pool + w->aoff[k],
		    w->alen[k]) : w->alen[k] == n && my_caseeq(p,
		    w->pool + w->aoff[k], n))
			return ((int)k);
	}
	return (-2);
}

/*
 * Whether the n bytes at p name a masked column or a masked output, in
 * the select list of the query keyed home (MY_NOHOME: elsewhere), where
 * its own aliases name no output but its columns.
 */
static int
my_mw_textnamed(const struct my_mw *w, const char *p, size_t n,
    size_t home)
{
	int	 k = my_mw_textname(w, p, n);

	return (k == -1 || (k >= 0 && w->ahome[k] != home));
}

/* Whether a quoted name is more than letters, digits, _ and $. */
static int
my_mw_oddname(const char *p)
{
	for (; *p != '\0'; p++) {
		if (!((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
		    (*p >= '0' && *p <= '9') || *p == '_' || *p == '$' ||
		    (unsigned char)*p >= 0x80))
			return (1);
	}
	return (0);
}

/*
 * Whether name token i names a masked column or a masked output. With an
 * output named by its text, so does any quoted name that could be such a
 * text, and Name_exp_N (what a derived table or view calls a column whose
 * text is too long).
 */
static int
my_mw_named(const struct my_mw *w, size_t i, size_t home)
{
	const struct my_cls	*c = w->c;
	const char		*p;
	char			 buf[MY_MAXNAME];
	size_t			 n;

	if (c->t[i].kind == SQL_MYTOK_WORD) {
		p = c->s + c->t[i].start;
		n = c->t[i].len;
	} else if (my_ident(c, i, buf, sizeof buf) != 0)
		return (w->exprname);
	else {
		p = buf;
		n = strlen(buf);
		if (w->exprname && my_mw_oddname(buf))
			return (1);
	}
	return (my_mw_textnamed(w, p, n, home) || (w->exprname && n > 9 &&
	    my_caseeq(p, "name_exp_", 9)));
}

/*
 * Name token or string i names a masked output from now on. An alias
 * given in the select list of the query keyed home counts everywhere but
 * in that select list (MY_NOHOME: everywhere; a name given twice, in
 * two places or in a query with a UNION, which a recursive CTE may read
 * back: everywhere). The server drops an alias's leading spaces and
 * controls; a name longer than a column's may be renamed (Name_exp_1):
 * not followed.
 */
static void
my_mw_addname(struct my_mw *w, size_t i, size_t home)
{
	char	 buf[MY_MAXNAME];
	char	*p = buf;
	size_t	 n;
	int	 k;

	if (my_mw_aliastext(w->c, i, buf, sizeof buf) != 0) {
		w->more = 1;
		return;
	}
	while (*p != '\0' && ((unsigned char)*p <= ' ' || *p == 0x7f))
		p++;
	n = strlen(p);
	if (n == 0 || (k = my_mw_textname(w, p, n)) == -1)
		return;
	if (k >= 0) {
		if (w->ahome[k] != home && w->ahome[k] != MY_ANYHOME) {
			w->ahome[k] = MY_ANYHOME;
			w->added = 1;
		}
		return;
	}
	if (n > 64 || w->nalias >= MY_MAXMALIAS || n > sizeof w->pool -
	    w->pooled) {
		w->more = 1;
		return;
	}
	memcpy(w->pool + w->pooled, p, n);
	w->aoff[w->nalias] = w->pooled;
	w->ahi[w->nalias] = my_mw_hibit(p, n);
	w->ahome[w->nalias] = home;
	w->alen[w->nalias++] = n;
	w->pooled += n;
	w->added = 1;
}

/* The key of query level L: where it opened, or the walk's start. */
static size_t
my_mw_key(const struct my_mw *w, const struct my_mlev *L)
{
	return (L->open == SIZE_MAX ? w->b : L->open + 1);
}

/* An output is named by its text. */
static void
my_mw_exprname(struct my_mw *w)
{
	if (!w->exprname)
		w->added = 1;
	w->exprname = 1;
}

/* Whether name token i (not before "." or "(") is a column reference. */
static int
my_mw_iscol(const struct my_cls *c, size_t i, size_t e)
{
	int	 kw = my_kw(c, i, e);

	if (c->t[i].kind != SQL_MYTOK_WORD)
		return (1);
	if (my_kwflags(kw) & MYKW_R)
		return (0);
	/* _utf8mb4'x', DATE '2024-01-01' */
	if ((c->s[c->t[i].start] == '_' || kw == K_DATE || kw == K_TIME ||
	    kw == K_TIMESTAMP) && (my_is(c, i + 1, e, SQL_MYTOK_STRING) ||
	    my_is(c, i + 1, e, SQL_MYTOK_HEX)))
		return (0);
	return (1);
}

/* Whether token i ends an operand (a bare alias may follow it). */
static int
my_mw_operand_end(const struct my_cls *c, size_t i, size_t e)
{
	switch (c->t[i].kind) {
	case SQL_MYTOK_WORD:
		return (!(my_kwflags(my_kw(c, i, e)) & MYKW_R));
	case SQL_MYTOK_QIDENT:
	case SQL_MYTOK_STRING:
	case SQL_MYTOK_NUMBER:
	case SQL_MYTOK_HEX:
	case SQL_MYTOK_PARAM:
	case SQL_MYTOK_USERVAR:
		return (1);
	}
	return (my_op(c, i, e, ")"));
}

/*
 * A literal an equality may test a masked column against, at j: strings
 * (with an introducer), hex, NULL, ?. Returns the index past it, or
 * SIZE_MAX.
 */
static size_t
my_mw_lit(const struct my_cls *c, size_t j, size_t e)
{
	if (j >= e)
		return (SIZE_MAX);
	switch (c->t[j].kind) {
	case SQL_MYTOK_STRING:
		while (my_is(c, j, e, SQL_MYTOK_STRING))
			j++;
		return (j);
	case SQL_MYTOK_HEX:
	case SQL_MYTOK_PARAM:
	case SQL_MYTOK_NULL:
		return (j + 1);
	case SQL_MYTOK_WORD:
		if (my_kw(c, j, e) == K_NULL)
			return (j + 1);
		if (c->s[c->t[j].start] == '_' && my_is(c, j + 1, e,
		    SQL_MYTOK_HEX))
			return (j + 2);
		if (c->s[c->t[j].start] == '_' && my_is(c, j + 1, e,
		    SQL_MYTOK_STRING)) {
			for (j++; my_is(c, j, e, SQL_MYTOK_STRING); j++)
				;
			return (j);
		}
		break;
	}
	return (SIZE_MAX);
}

/* The first token of a literal that ends at k (see my_mw_lit). */
static size_t
my_mw_litback(const struct my_cls *c, size_t b, size_t k, size_t e)
{
	switch (c->t[k].kind) {
	case SQL_MYTOK_STRING:
		while (k > b && my_is(c, k - 1, e, SQL_MYTOK_STRING))
			k--;
		/* FALLTHROUGH */
	case SQL_MYTOK_HEX:
		if (k > b && my_is(c, k - 1, e, SQL_MYTOK_WORD) &&
		    c->s[c->t[k - 1].start] == '_')
			k--;
		return (k);
	case SQL_MYTOK_PARAM:
	case SQL_MYTOK_NULL:
		return (k);
	case SQL_MYTOK_WORD:
		if (my_kw(c, k, e) == K_NULL)
			return (k);
		break;
	}
	return (SIZE_MAX);
}

/* Whether a whole predicate may start at k (in level L). */
static int
my_mw_before(const struct my_mw *w, const struct my_mlev *L, size_t k,
    size_t e)
{
	const struct my_cls	*c = w->c;
	size_t			 p;

	if (k <= w->b)
		return (0);
	p = k - 1;
	if (p == L->open && L->kind == ML_GROUP)
		return (1);
	if (my_op(c, p, e, "&&") || my_op(c, p, e, "||"))
		return (1);
	switch (my_kw(c, p, e)) {
	case K_WHERE:
	case K_HAVING:
	case K_ON:
	case K_OR:
	case K_XOR:
	case K_NOT:
		return (1);
	case K_AND:
		return (p != L->btand);
	}
	return (0);
}

/* Whether a whole predicate may end before j. */
static int
my_mw_after(const struct my_cls *c, size_t j, size_t e)
{
	if (j >= e || c->t[j].kind == SQL_MYTOK_SEMI)
		return (1);
	if (my_op(c, j, e, ")") || my_op(c, j, e, ",") ||
	    my_op(c, j, e, "&&") || my_op(c, j, e, "||"))
		return (1);
	switch (my_kw(c, j, e)) {
	case K_AND:
	case K_OR:
	case K_XOR:
	case K_GROUP:
	case K_ORDER:
	case K_HAVING:
	case K_LIMIT:
	case K_WINDOW:
	case K_UNION:
	case K_EXCEPT:
	case K_INTERSECT:
	case K_INTO:
	case K_FOR:
	case K_LOCK:
	case K_RETURNING:
	case K_JOIN:
	case K_INNER:
	case K_LEFT:
	case K_RIGHT:
	case K_CROSS:
	case K_NATURAL:
	case K_STRAIGHT_JOIN:
	case K_WHERE:
	case K_ON:
	case K_SET:
	case K_OFFSET:
	case K_FETCH:
	case K_PROCEDURE:
		return (1);
	}
	return (0);
}

/*
 * Whether the masked column ending at token i (in level L) is the whole
 * operand of an equality, IN or IS NULL test against literals that is a
 * whole predicate of its WHERE, HAVING or ON.
 */
static int
my_mw_eqtest(const struct my_mw *w, const struct my_mlev *L, size_t i,
    size_t e)
{
	const struct my_cls	*c = w->c;
	size_t			 q = i, j, k;

	while (q >= w->b + 2 && my_op(c, q - 1, e, ".") &&
	    my_isname(c, q - 2, e))
		q -= 2;
	if (my_mw_before(w, L, q, e)) {
		j = i + 1;
		if (my_op(c, j, e, "=") || my_op(c, j, e, "<=>")) {
			j = my_mw_lit(c, j + 1, e);
			return (j != SIZE_MAX && my_mw_after(c, j, e));
		}
		if (my_kw(c, j, e) == K_NOT && my_kw(c, j + 1, e) == K_IN)
			j++;
		if (my_kw(c, j, e) == K_IN && my_op(c, j + 1, e, "(")) {
			for (j += 2;;) {
				if ((j = my_mw_lit(c, j, e)) == SIZE_MAX)
					return (0);
				if (!my_op(c, j, e, ","))
					break;
				j++;
			}
			return (my_op(c, j, e, ")") &&
			    my_mw_after(c, j + 1, e));
		}
		if (my_kw(c, j, e) == K_IS) {
			if (my_kw(c, ++j, e) == K_NOT)
				j++;
			return (my_kw(c, j, e) == K_NULL &&
			    my_mw_after(c, j + 1, e));
		}
		return (0);
	}
	/* 'x' = col */
	if (q >= w->b + 2 && (my_op(c, q - 1, e, "=") ||
	    my_op(c, q - 1, e, "<=>")) && my_mw_after(c, i + 1, e)) {
		k = my_mw_litback(c, w->b, q - 2, e);
		return (k != SIZE_MAX && my_mw_before(w, L, k, e));
	}
	return (0);
}

/* What a masked column at level L is (MC_*). */
static int
my_mw_eff(const struct my_mw *w, const struct my_mlev *L)
{
	int	 k = L->clause;

	if (k == MC_FROM || k == MC_NAMES)
		return (k);
	if (w->body)
		return (MC_REF);
	if (k == MC_NONE)
		return (k);
	if (L->ref || L->assign || (L->kind == ML_CALL && L->ifarg &&
	    L->argn == 0))
		return (MC_REF);
	if (L->cased > 0 && (L->cased > 64 ||
	    ((L->casecond >> (L->cased - 1)) & 1)))
		return (MC_REF);
	return (k);
}

/*
 * Mark the select-list items level d is in (through scalar subqueries):
 * they hold a masked value, or (sink) they call an opaque, stored or
 * timing function or assign a variable. Both in one item is masked-ref:
 * the call may run or not as the masked value decides (ssn LIKE '4%' OR
 * SLEEP(1)), and no masking of the output hides that.
 */
static void
my_mw_item(struct my_mw *w, struct my_mlev *lv, size_t d, int sink)
{
	struct my_mlev	*Q;
	size_t		 j = d + 1;

	while (j-- > 0) {
		Q = &lv[j];
		if (Q->kind != ML_QUERY)
			continue;
		if (!Q->insel)
			break;
		if (sink) {
			if (Q->itemhit)
				w->ref = 1;
			Q->itemsink = 1;
			Q->sinks |= Q->rows ? ~(uint64_t)0 : (uint64_t)1 <<
			    (Q->item < 63 ? Q->item : 63);
		} else {
			if (Q->itemsink)
				w->ref = 1;
			Q->itemhit = 1;
			/* VALUES: the position in the row is not followed */
			Q->items |= Q->rows ? ~(uint64_t)0 : (uint64_t)1 <<
			    (Q->item < 63 ? Q->item : 63);
		}
	}
}

/* A masked value (a name at i, or a star: SIZE_MAX) at level d. */
static void
my_mw_hit(struct my_mw *w, struct my_mlev *lv, size_t d, int k, size_t i,
    size_t e)
{
	my_mw_item(w, lv, d, 0);
	switch (k) {
	case MC_SEL:
		w->out = 1;
		break;
	case MC_COND:
	case MC_ON:
		if (i == SIZE_MAX || !my_mw_eqtest(w, &lv[d], i, e))
			w->ref = 1;
		break;
	default:
		w->ref = 1;
		break;
	}
}

/* Whether token i may come between SELECT and its first item. */
static int
my_mw_selopt(const struct my_cls *c, size_t i, size_t e)
{
	static const char *const words[] = {
		"sql_buffer_result", "sql_cache", "sql_no_cache",
	};
	size_t	 k;

	if (!my_is(c, i, e, SQL_MYTOK_WORD))
		return (0);
	for (k = 0; k < nitems(words); k++) {
		if (c->t[i].len == strlen(words[k]) &&
		    my_caseeq(c->s + c->t[i].start, words[k], c->t[i].len))
			return (1);
	}
	switch (my_kw(c, i, e)) {
	case K_ALL:
	case K_DISTINCT:
	case K_DISTINCTROW:
	case K_HIGH_PRIORITY:
	case K_STRAIGHT_JOIN:
	case K_SQL_SMALL_RESULT:
	case K_SQL_BIG_RESULT:
	case K_SQL_CALC_FOUND_ROWS:
		return (1);
	}
	return (0);
}

/* Whether keyword kw ends a select list. */
static int
my_mw_selend(int kw)
{
	switch (kw) {
	case K_FROM:
	case K_INTO:
	case K_WHERE:
	case K_GROUP:
	case K_HAVING:
	case K_ORDER:
	case K_LIMIT:
	case K_OFFSET:
	case K_FETCH:
	case K_WINDOW:
	case K_UNION:
	case K_EXCEPT:
	case K_INTERSECT:
	case K_FOR:
	case K_LOCK:
	case K_PROCEDURE:
	case K_RETURNING:
		return (1);
	}
	return (0);
}

/*
 * Whether name token i ends its select-list item as its alias (AS x, or
 * x after a bare column or a closed operand): it names no column.
 */
static int
my_mw_isalias(const struct my_mw *w, const struct my_mlev *L, size_t i,
    size_t e)
{
	const struct my_cls	*c = w->c;
	size_t			 s = L->istart, k;

	if (i <= s || i <= w->b)
		return (0);
	if (i + 1 < e && c->t[i + 1].kind != SQL_MYTOK_SEMI &&
	    !my_op(c, i + 1, e, ",") && !my_op(c, i + 1, e, ")") &&
	    !my_mw_selend(my_kw(c, i + 1, e)))
		return (0);
	if (my_kw(c, i - 1, e) == K_AS)
		return (1);
	if (c->t[i - 1].kind != SQL_MYTOK_WORD)
		return (c->t[i - 1].kind != SQL_MYTOK_OP ||
		    my_op(c, i - 1, e, ")"));
	/* ssn x, c.ssn x */
	while (s < i && my_mw_selopt(c, s, e))
		s++;
	for (k = s; k + 2 < i && my_op(c, k + 1, e, ".") &&
	    my_isname(c, k + 2, e); k += 2)
		;
	return (k + 1 == i && my_isname(c, s, e) &&
	    !(my_kwflags(my_kw(c, s, e)) & MYKW_R));
}

/* A name (not a reserved word) at i, level d. */
static void
my_mw_name(struct my_mw *w, struct my_mlev *lv, size_t d, size_t i,
    size_t e)
{
	struct my_cls	*c = w->c;
	struct my_mlev	*L = &lv[d], *Q;
	int		 k;

	if (my_op(c, i + 1, e, ".") || my_op(c, i + 1, e, "("))
		return;		/* a qualifier, a function */
	k = my_mw_eff(w, L);
	if (k == MC_NONE || k == MC_FROM || k == MC_NAMES)
		return;
	if (L->kind == ML_QUERY && L->insel && my_mw_isalias(w, L, i, e))
		return;
	Q = &lv[L->q];
	if (my_mw_named(w, i, Q->insel ? my_mw_key(w, Q) : MY_NOHOME) || ((w->all || (w->taint && k != MC_SEL)) &&
	    my_mw_iscol(c, i, e)))
		my_mw_hit(w, lv, d, k, i, e);
}

/* A "*" at i: all columns of the tables in a select list? */
static void
my_mw_star(struct my_mw *w, struct my_mlev *lv, size_t d, size_t i,
    size_t e)
{
	struct my_cls	*c = w->c;
	struct my_mlev	*L = &lv[d];
	size_t		 p = i - 1;
	int		 k;

	if (L->kind != ML_QUERY || !L->insel || L->out == MO_NONE ||
	    !w->any || i <= w->b)
		return;
	if (!my_op(c, p, e, ".") && !my_op(c, p, e, ",") &&
	    c->t[p].kind != SQL_MYTOK_WORD)
		return;
	if (i + 1 < e && c->t[i + 1].kind != SQL_MYTOK_SEMI &&
	    !my_op(c, i + 1, e, ",") && !my_op(c, i + 1, e, ")")) {
		switch (my_kw(c, i + 1, e)) {
		case K_FROM:
		case K_INTO:
		case K_UNION:
		case K_EXCEPT:
		case K_INTERSECT:
		case K_WHERE:
		case K_GROUP:
		case K_ORDER:
		case K_HAVING:
		case K_LIMIT:
		case K_FOR:
		case K_LOCK:
		case K_WINDOW:
			break;
		default:
			return;		/* a * b */
		}
	}
	if ((k = my_mw_eff(w, L)) == MC_NONE)
		return;
	L->items = ~(uint64_t)0;
	my_mw_hit(w, lv, d, k, SIZE_MAX, e);
}

/* ORDER BY n, GROUP BY n: the n-th output (number token at i). */
static void
my_mw_position(struct my_mw *w, const struct my_mlev *L, size_t i)
{
	const struct my_cls	*c = w->c;
	const char		*p = c->s + c->t[i].start;
	size_t			 k, n = 0;

	for (k = 0; k < c->t[i].len; k++) {
		if (p[k] < '0' || p[k] > '9')
			return;
		if (n < 1000)
			n = n * 10 + (size_t)(p[k] - '0');
	}
	if (n == 0)
		return;
	if (w->taint || (n > 63 ? L->items != 0 :
	    ((L->items >> (n - 1)) & 1)))
		w->ref = 1;
}

#define MN_EXPR		(SIZE_MAX - 1)	/* an output named by its text */
#define MN_STAR		SIZE_MAX	/* *: columns as they are named */

/*
 * The name of the select-list item in tokens s..t: its alias (*expr set
 * when no AS tells an alias from the expression's last word), the last
 * name of a bare column, MN_STAR, or MN_EXPR (*expr set).
 */
static size_t
my_mw_itemname(const struct my_cls *c, size_t s, size_t t, int *expr)
{
	size_t	 k;

	*expr = 0;
	while (s < t && my_mw_selopt(c, s, t))
		s++;
	if (s >= t)
		return (MN_EXPR);
	if (my_op(c, t - 1, t, "*"))
		return (MN_STAR);
	if (my_isname(c, s, t)) {
		for (k = s; k + 2 < t && my_op(c, k + 1, t, ".") &&
		    my_isname(c, k + 2, t); k += 2)
			;
		if (k + 1 == t)
			return (k);
	}
	*expr = 1;
	if (t - s >= 2 && (my_isfreename(c, t - 1, t) ||
	    my_is(c, t - 1, t, SQL_MYTOK_STRING))) {
		if (my_kw(c, t - 2, t) == K_AS) {
			*expr = 0;
			return (t - 1);
		}
		/* ssn x; not 'a' 'b', one string */
		if (my_mw_operand_end(c, t - 2, t) && !(my_is(c, t - 1, t,
		    SQL_MYTOK_STRING) && my_is(c, t - 2, t, SQL_MYTOK_STRING)))
			return (t - 1);
	}
	return (MN_EXPR);
}

/* Select-list item of L ends at token t: name its output if masked. */
static void
my_mw_itemend(struct my_mw *w, struct my_mlev *L, size_t t)
{
	size_t	 k;
	int	 expr;

	if (L->kind != ML_QUERY || !L->insel || !L->itemhit)
		return;
	if (L->rows) {
		w->unknown = 1;		/* MySQL: column_0, column_1... */
		return;
	}
	k = my_mw_itemname(w->c, L->istart, t, &expr);
	if (expr)
		my_mw_exprname(w);
	if (k < MN_EXPR)
		my_mw_addname(w, k, my_mw_key(w, L));
}

static int	my_mw_mainkw(const struct my_cls *, size_t, size_t);

/*
 * The first token of the select list of the first SELECT of the query
 * expression at s (through parentheses and WITH), or SIZE_MAX.
 */
static size_t
my_mw_firstsel(const struct my_cls *c, size_t s, size_t e)
{
	size_t	 k;

	for (k = 0; k < MY_MAXLEVEL && s < e; k++) {
		if (my_op(c, s, e, "(")) {
			s++;
			continue;
		}
		if (my_kw(c, s, e) != K_WITH)
			break;
		for (s++; s < e && !my_mw_mainkw(c, s, e); )
			s = my_op(c, s, e, "(") ? my_close(c, s, e) : s + 1;
	}
	return (my_kw(c, s, e) == K_SELECT ? s + 1 : SIZE_MAX);
}

/* Whether position k is among the bits of m (63: that and beyond). */
static int
my_mw_bit(uint64_t m, size_t k)
{
	return ((m >> (k < 63 ? k : 63)) & 1);
}

/* Whether m has a bit at position k or beyond. */
static int
my_mw_bitfrom(uint64_t m, size_t k)
{
	return ((m >> (k < 63 ? k : 63)) != 0);
}

/*
 * Name the outputs of L at the positions in L->items: by the column list
 * whose "(" is at cols, else by the items of the first SELECT from s.
 */
static void
my_mw_outnames(struct my_mw *w, const struct my_mlev *L, size_t s,
    size_t cols, size_t e)
{
	const struct my_cls	*c = w->c;
	uint64_t		 m = L->items;
	size_t			 i, is, k = 0, d = 0, nm;
	int			 expr;

	if (m == 0)
		return;
	if (cols != SIZE_MAX) {
		for (i = cols + 1; i < e && !my_op(c, i, e, ")"); i++) {
			if (my_op(c, i, e, ","))
				k++;
			else if (my_isname(c, i, e) && my_mw_bit(m, k))
				my_mw_addname(w, i, MY_ANYHOME);
		}
		return;
	}
	if ((i = my_mw_firstsel(c, s, e)) == SIZE_MAX) {
		w->unknown = 1;
		return;
	}
	for (is = i; i <= e; i++) {
		if (i < e && c->t[i].kind != SQL_MYTOK_SEMI && (d > 0 ||
		    !(my_op(c, i, e, ",") || my_op(c, i, e, ")") ||
		    my_mw_selend(my_kw(c, i, e))))) {
			if (my_op(c, i, e, "("))
				d++;
			else if (my_op(c, i, e, ")"))
				d--;
			continue;
		}
		/* Item k is is..i. */
		nm = my_mw_itemname(c, is, i, &expr);
		if (nm == MN_STAR) {
			/* The positions after it are not known. */
			if (my_mw_bitfrom(m, k))
				w->unknown = 1;
			return;
		}
		if (my_mw_bit(m, k)) {
			if (expr)
				my_mw_exprname(w);
			if (nm < MN_EXPR)
				my_mw_addname(w, nm, MY_ANYHOME);
		}
		if (i >= e || !my_op(c, i, e, ",") || !my_mw_bitfrom(m, ++k))
			return;
		is = i + 1;
	}
}

/*
 * Level d closes at token j (a ")", or e): its masked outputs get names
 * as what opened it says. A derived table or CTE is named by its column
 * list or, for a UNION, by its first branch (else its items named
 * theirs); a parenthesized branch hands its outputs to the level it is a
 * branch of; a scalar subquery handed its value to its item already.
 */
static void
my_mw_close(struct my_mw *w, struct my_mlev *lv, size_t d, size_t j,
    size_t e)
{
	struct my_cls	*c = w->c;
	struct my_mlev	*L = &lv[d];
	size_t		 a, cols = SIZE_MAX, k, n;

	if (L->kind == ML_QUERY)
		my_mw_itemend(w, L, j);
	if (d == 0)
		w->items0 = L->items | L->sinks;
	/* INTERSECT and EXCEPT test the rows for equality: a predicate. */
	if (L->setcmp && L->items != 0)
		w->ref = 1;
	/* A recursive CTE reads its outputs back in its select list. */
	if (L->setop && L->kind == ML_QUERY) {
		a = my_mw_key(w, L);
		for (k = 0; k < w->nalias; k++) {
			if (w->ahome[k] == a) {
				w->ahome[k] = MY_ANYHOME;
				w->added = 1;
			}
		}
	}
	if (L->kind == ML_CALL || (L->items | L->sinks) == 0 || w->write ||
	    w->body || (L->kind == ML_QUERY && L->out != MO_OUT))
		return;
	if (d == 0) {
		if (L->setop)
			my_mw_outnames(w, L, w->b, SIZE_MAX, e);
		return;
	}
	switch (L->ctx) {
	case MC_SEL:
		return;
	case MC_FROM:
		/* (...) [AS] d [(a, b)] */
		a = j + 1;
		if (my_kw(c, a, e) == K_AS)
			a++;
		if (a == j + 1 && !my_isfreename(c, a, e))
			break;
		if (my_isname(c, a, e) && my_op(c, a + 1, e, "("))
			cols = a + 1;
		if (cols != SIZE_MAX || L->setop)
			my_mw_outnames(w, L, L->open + 1, cols, e);
		return;
	case MC_NONE:
		/* WITH t [(a, b)] AS (...) */
		if (L->open < w->b + 2 || my_kw(c, L->open - 1, e) != K_AS)
			break;
		if (my_op(c, L->open - 2, e, ")")) {
			/* Names and commas back to the "(". */
			for (k = L->open - 3, n = 0; k > w->b && n < 512 &&
			    (my_isname(c, k, e) || my_op(c, k, e, ",")); k--)
				n++;
			if (k > w->b && my_op(c, k, e, "(") &&
			    my_isname(c, k - 1, e))
				cols = k;
			else {
				w->unknown = 1;
				return;
			}
		}
		if (cols != SIZE_MAX || L->setop)
			my_mw_outnames(w, L, L->open + 1, cols, e);
		return;
	default:
		w->unknown = 1;
		return;
	}
	/* A branch of the query expression around it. */
	if (L->ctx == MC_FROM || L->ctx == MC_NONE) {
		lv[d - 1].items |= L->items;
		lv[d - 1].sinks |= L->sinks;
		lv[d - 1].setop = 1;
	}
}

/* Open level d + 1 at the "(" at i: a subquery, a call, parentheses. */
static void
my_mw_push(struct my_mw *w, struct my_mlev *lv, size_t d, size_t i,
    size_t e)
{
	struct my_cls		*c = w->c;
	struct my_mlev		*P = &lv[d], *N = &lv[d + 1];
	const struct my_fnent	*fn;
	char			 name[MY_MAXNAME];
	size_t			 p = i - 1;
	int			 k, nk, pk, safe;

	memset(N, 0, sizeof *N);
	N->open = i;
	N->btand = SIZE_MAX;
	N->q = P->q;
	k = my_mw_eff(w, P);
	N->ctx = k;
	nk = my_kw(c, i + 1, e);
	if (nk == K_SELECT || nk == K_WITH || nk == K_VALUES ||
	    nk == K_TABLE) {
		N->kind = ML_QUERY;
		N->q = d + 1;
		N->clause = MC_NONE;
		if (i > w->b && my_kw(c, p, e) == K_EXISTS)
			N->out = MO_NONE;
		else if (w->write || !(k == MC_SEL || k == MC_FROM ||
		    k == MC_NONE || k == MC_NAMES))
			N->out = MO_REF;
		return;
	}
	N->kind = ML_GROUP;
	N->clause = k == MC_ORDER ? MC_REF : k == MC_ON ? MC_COND : k;
	if (i <= w->b || !my_isname(c, p, e))
		return;
	pk = my_kw(c, p, e);
	if (k == MC_FROM) {
		/*
		 * PARTITION (p0), USE INDEX (i), (...) AS d (a, b); USING
		 * (cols), JSON_TABLE
		 */
		if (pk == K_PARTITION || pk == K_INDEX || pk == K_KEY ||
		    (!(my_kwflags(pk) & MYKW_R) && pk != K_USING &&
		    ((p > w->b && my_op(c, p - 1, e, ")")) ||
		    (p > w->b + 1 && my_kw(c, p - 1, e) == K_AS &&
		    my_op(c, p - 2, e, ")")))))
			N->clause = MC_NAMES;
		else if (pk == K_USING || !(my_kwflags(pk) & MYKW_R))
			N->clause = MC_REF;
		return;
	}
	if (k == MC_NONE || k == MC_NAMES) {
		/* CREATE TABLE t (...), WITH c (x, y) AS ... */
		if (!(my_kwflags(pk) & MYKW_R))
			N->clause = MC_NAMES;
		return;
	}
	if (pk == K_OVER || pk == K_USING) {
		N->clause = MC_REF;
		return;
	}
	safe = 0;
	if (c->t[p].kind == SQL_MYTOK_WORD && !(p > w->b &&
	    my_op(c, p - 1, e, "."))) {
		my_lower(c, p, name, sizeof name);
		if ((fn = my_fn(name)) != NULL) {
			safe = fn->safe && !my_bsearch(name, my_mask_sinks,
			    nitems(my_mask_sinks)) && !((c->t[i].flags &
			    SQL_MYTOKF_GAP) && my_bsearch(name, my_gapfuncs,
			    nitems(my_gapfuncs))) && !(c->rd->mariadb ?
			    my_bsearch(name, my_mysql_only,
			    nitems(my_mysql_only)) : my_bsearch(name,
			    my_mariadb_only, nitems(my_mariadb_only)));
			N->ifarg = strcmp(name, "if") == 0;
		} else if ((my_kwflags(pk) & MYKW_R) ||
		    ((my_kwflags(pk) & MYKW_NF) &&
		    !my_nfcall(c, w->b, p, e)))
			return;		/* WHERE (...), IN (...) */
	}
	N->kind = ML_CALL;
	N->clause = safe && k == MC_SEL ? MC_SEL : MC_REF;
	if (!safe)
		my_mw_item(w, lv, d, 1);
}

/* A "," at i, level L. */
static void
my_mw_comma(struct my_mw *w, struct my_mlev *L, size_t i)
{
	if (L->kind == ML_CALL)
		L->argn++;
	if (L->kind == ML_QUERY && L->insel) {
		my_mw_itemend(w, L, i);
		L->item++;
		L->itemhit = L->itemsink = 0;
		L->istart = i + 1;
	}
	L->assign = 0;
	if (L->clause == MC_ON)
		L->clause = MC_FROM;
}

/* Whether keyword kw wants an operand after it (so END there is a name). */
static int
my_mw_operator(int kw)
{
	switch (kw) {
	case K_WHEN:
	case K_THEN:
	case K_ELSE:
	case K_CASE:
	case K_AND:
	case K_OR:
	case K_XOR:
	case K_NOT:
	case K_IS:
	case K_IN:
	case K_LIKE:
	case K_BETWEEN:
	case K_REGEXP:
	case K_RLIKE:
	case K_DIV:
	case K_MOD:
	case K_SELECT:
	case K_WHERE:
	case K_HAVING:
	case K_ON:
	case K_BY:
	case K_DISTINCT:
	case K_BINARY:
	case K_INTERVAL:
	case K_COLLATE:
	case K_SET:
	case K_RETURN:
		return (1);
	}
	return (0);
}

/* Start a query's select list (SELECT, VALUES, RETURNING at i). */
static void
my_mw_select(struct my_mw *w, struct my_mlev *L, size_t i)
{
	my_mw_itemend(w, L, i);
	L->sel = 1;
	L->insel = 1;
	L->rows = my_kw(w->c, i, w->c->n) == K_VALUES ||
	    my_kw(w->c, i, w->c->n) == K_VALUE;
	L->istart = i + 1;
	L->item = 0;
	L->itemhit = L->itemsink = 0;
	L->assign = 0;
	if (L->out != MO_OUT || w->write)
		L->clause = MC_REF;
	else
		L->clause = MC_SEL;
}

/* Leave a clause for another at i. */
static void
my_mw_clause(struct my_mw *w, struct my_mlev *L, int clause, size_t i)
{
	my_mw_itemend(w, L, i);
	L->clause = clause;
	L->insel = 0;
	L->assign = 0;
}

/*
 * Keyword kw at *ip, level d: follow the clauses. Returns 1 if the token
 * is syntax, 0 if it may name a column.
 */
static int
my_mw_keyword(struct my_mw *w, struct my_mlev *lv, size_t d, size_t *ip,
    size_t e, int kw)
{
	struct my_cls	*c = w->c;
	struct my_mlev	*L = &lv[d];
	size_t		 i = *ip;
	int		 nk = my_kw(c, i + 1, e), pk, from;

	pk = i > w->b ? my_kw(c, i - 1, e) : K_NONE;
	switch (kw) {
	case K_CASE:
		if (pk == K_END)
			return (1);	/* END CASE */
		if (L->cased < 64)
			L->casecond |= (uint64_t)1 << L->cased;
		L->cased++;
		return (1);
	case K_WHEN:
		if (L->cased > 0 && L->cased <= 64)
			L->casecond |= (uint64_t)1 << (L->cased - 1);
		return (1);
	case K_THEN:
	case K_ELSE:
		if (L->cased > 0 && L->cased <= 64)
			L->casecond &= ~((uint64_t)1 << (L->cased - 1));
		return (1);
	case K_END:
		/* END is no reserved word: WHEN end = 1 names a column. */
		if (i > w->b && ((c->t[i - 1].kind == SQL_MYTOK_OP &&
		    !my_op(c, i - 1, e, ")")) || my_mw_operator(pk)))
			return (0);
		if (L->cased > 0 && --L->cased < 64)
			L->casecond &= ~((uint64_t)1 << L->cased);
		return (1);
	case K_BETWEEN:
		L->between++;
		return (1);
	case K_AND:
		if (L->between > 0) {
			L->between--;
			L->btand = i;
		}
		return (1);
	case K_AS:
		return (1);
	}

	from = L->clause == MC_FROM || L->clause == MC_ON;
	if (from) {
		switch (kw) {
		case K_JOIN:
		case K_STRAIGHT_JOIN:
			L->clause = MC_FROM;
			return (1);
		case K_INNER:
		case K_CROSS:
		case K_OUTER:
		case K_LEFT:
		case K_RIGHT:
			/* Not LEFT(c.ssn, 3) in an ON. */
			if (nk == K_JOIN || nk == K_OUTER)
				L->clause = MC_FROM;
			return (1);
		case K_NATURAL:
			/* Joins on every column the tables share. */
			w->ref = 1;
			L->clause = MC_FROM;
			return (1);
		case K_ON:
			if (nk == K_DUPLICATE)
				break;
			L->clause = MC_ON;
			return (1);
		case K_USING:
			if (!my_op(c, i + 1, e, "("))
				L->clause = MC_FROM;
			return (1);
		case K_FOR:
			/* USE INDEX FOR JOIN/ORDER BY/GROUP BY, SYSTEM_TIME */
			if (nk == K_JOIN || nk == K_SYSTEM_TIME) {
				(*ip)++;
				return (1);
			}
			if ((nk == K_ORDER || nk == K_GROUP) &&
			    my_kw(c, i + 2, e) == K_BY) {
				*ip += 2;
				return (1);
			}
			break;
		}
	}
	if (kw == K_INTERSECT || kw == K_EXCEPT)
		L->setcmp = 1;
	if (L->kind != ML_QUERY) {
		/* GROUP_CONCAT(... ORDER BY x), WITHIN GROUP (ORDER BY x) */
		if ((kw == K_ORDER || kw == K_GROUP) && nk == K_BY)
			L->ref = 1;
		return ((my_kwflags(kw) & MYKW_R) != 0);
	}

	switch (kw) {
	case K_SELECT:
		my_mw_select(w, L, i);
		return (1);
	case K_VALUES:
	case K_VALUE:
		if (L->clause != MC_NONE)
			break;
		my_mw_select(w, L, i);
		return (1);
	case K_TABLE:
		/* TABLE t: SELECT * FROM t */
		if (L->clause != MC_NONE || !my_isname(c, i + 1, e) ||
		    !(i == w->b || pk == K_UNION || pk == K_EXCEPT ||
		    pk == K_INTERSECT || pk == K_ALL || pk == K_DISTINCT ||
		    my_op(c, i - 1, e, "(") || c->t[i - 1].kind ==
		    SQL_MYTOK_SEMI))
			break;
		my_mw_select(w, L, i);
		if (w->any) {
			L->items = ~(uint64_t)0;
			my_mw_hit(w, lv, d, my_mw_eff(w, L), SIZE_MAX, e);
		}
		L->insel = 0;	/* its columns keep their names */
		*ip += my_op(c, i + 2, e, ".") ? 3 : 1;
		return (1);
	case K_FROM:
		my_mw_clause(w, L, MC_FROM, i);
		return (1);
	case K_WHERE:
	case K_HAVING:
		my_mw_clause(w, L, MC_COND, i);
		return (1);
	case K_GROUP:
	case K_ORDER:
		if (nk != K_BY)
			break;
		my_mw_clause(w, L, MC_ORDER, i);
		(*ip)++;
		return (1);
	case K_PROCEDURE:
		/* ANALYSE(): the minimum and maximum of each output */
		if (L->sel)
			w->into = 1;
		my_mw_clause(w, L, MC_REF, i);
		return (1);
	case K_LIMIT:
	case K_OFFSET:
	case K_FETCH:
	case K_WINDOW:
	case K_SET:
		my_mw_clause(w, L, MC_REF, i);
		return (1);
	case K_INTO:
		if (L->sel)
			w->into = 1;
		my_mw_clause(w, L, MC_NONE, i);
		return (1);
	case K_UNION:
	case K_EXCEPT:
	case K_INTERSECT:
		L->setop = 1;
		my_mw_clause(w, L, MC_NONE, i);
		return (1);
	case K_RETURNING:
		my_mw_select(w, L, i);
		L->clause = MC_REF;
		return (1);
	case K_FOR:
	case K_LOCK:
		my_mw_clause(w, L, MC_NONE, i);	/* FOR UPDATE, LOCK IN ... */
		return (1);
	case K_ON:
		if (nk == K_DUPLICATE)
			my_mw_clause(w, L, MC_REF, i);
		return (1);
	case K_UPDATE:
	case K_DELETE:
		/* WITH ... UPDATE/DELETE: the tables come next. */
		if (pk != K_KEY && pk != K_FOR && L->clause == MC_NONE &&
		    !w->body)
			my_mw_clause(w, L, MC_FROM, i);
		return (1);
	}
	return ((my_kwflags(kw) & MYKW_R) != 0);
}

/*
 * Walk tokens b..e of one statement from clause, noting where masked
 * names stand; write: its select lists feed a write.
 */
static void
my_mw_walk(struct my_mw *w, size_t b, size_t e, int clause, int write)
{
	struct my_cls	*c = w->c;
	struct my_mlev	 lv[MY_MAXLEVEL], *L;
	size_t		 i, d = 0, sb = w->b, sst = b;
	int		 kw, sw = w->write;

	w->write = write || w->prep;
	w->b = b;
	memset(&lv[0], 0, sizeof lv[0]);
	lv[0].open = lv[0].btand = SIZE_MAX;
	lv[0].kind = ML_QUERY;
	lv[0].clause = clause;
	for (i = b; i < e; i++) {
		L = &lv[d];
		switch (c->t[i].kind) {
		case SQL_MYTOK_OP:
			if (my_op(c, i, e, "(")) {
				if (d + 1 >= MY_MAXLEVEL) {
					w->ref = 1;	/* too deep to follow */
					goto out;
				}
				my_mw_push(w, lv, d, i, e);
				d++;
			} else if (my_op(c, i, e, ")")) {
				if (d > 0)
					my_mw_close(w, lv, d--, i, e);
			} else if (my_op(c, i, e, ","))
				my_mw_comma(w, L, i);
			else if (my_op(c, i, e, ":=")) {
				L->assign = 1;
				my_mw_item(w, lv, d, 1);
			}
			else if (my_op(c, i, e, "*"))
				my_mw_star(w, lv, d, i, e);
			continue;
		case SQL_MYTOK_SEMI:
			/* The next statement of a routine body. */
			for (;; d--) {
				my_mw_close(w, lv, d, i, e);
				if (d == 0)
					break;
			}
			sst = i + 1;
			memset(&lv[0], 0, sizeof lv[0]);
			lv[0].open = lv[0].btand = SIZE_MAX;
			lv[0].kind = ML_QUERY;
			continue;
		case SQL_MYTOK_SYSVAR:
			/* @@name, @@session.name */
			if (my_isname(c, i + 1, e))
				i++;
			if (my_op(c, i + 1, e, ".") && my_isname(c, i + 2, e))
				i += 2;
			continue;
		case SQL_MYTOK_NUMBER:
			if (L->kind == ML_QUERY && L->clause == MC_ORDER &&
			    i > b && (my_kw(c, i - 1, e) == K_BY ||
			    my_op(c, i - 1, e, ",")) && (i + 1 >= e ||
			    !my_is(c, i + 1, e, SQL_MYTOK_OP) ||
			    my_op(c, i + 1, e, ",") || my_op(c, i + 1, e, ")")))
				my_mw_position(w, L, i);
			continue;
		case SQL_MYTOK_WORD:
			kw = my_kw(c, i, e);
			if (kw != K_NONE && my_mw_keyword(w, lv, d, &i, e, kw))
				continue;
			break;
		case SQL_MYTOK_QIDENT:
			break;
		default:
			continue;
		}
		my_mw_name(w, lv, d, i, e);
	}
	/* What is still open ends here. */
	for (; sst < e; d--) {
		my_mw_close(w, lv, d, e, e);
		if (d == 0)
			break;
	}
out:
	w->write = sw;
	w->b = sb;
}

/* Walk b..e as code run later or DDL: every masked mention counts. */
static void
my_mw_body(struct my_mw *w, size_t b, size_t e)
{
	int	 save = w->body;

	w->body = 1;
	my_mw_walk(w, b, e, MC_NONE, 1);
	w->body = save;
}

/* Index past a table name (name or schema.name) at i. */
static size_t
my_mw_skipname(const struct my_cls *c, size_t i, size_t e)
{
	if (!my_isname(c, i, e))
		return (i);
	if (my_op(c, i + 1, e, ".") && my_isname(c, i + 2, e))
		return (i + 3);
	return (i + 1);
}

/* INSERT, REPLACE: the target's columns, then the source. */
static void
my_mw_insert(struct my_mw *w, size_t b, size_t e)
{
	struct my_cls	*c = w->c;
	size_t		 i = b + 1, j, k;
	int		 kw, cols = 0;

	while ((kw = my_kw(c, i, e)) == K_LOW_PRIORITY || kw == K_DELAYED ||
	    kw == K_HIGH_PRIORITY || kw == K_IGNORE || kw == K_INTO)
		i++;
	i = my_mw_skipname(c, i, e);
	if (my_kw(c, i, e) == K_PARTITION && my_op(c, i + 1, e, "("))
		i = my_close(c, i + 1, e);
	if (my_op(c, i, e, "(") && (kw = my_kw(c, i + 1, e)) != K_SELECT &&
	    kw != K_WITH && kw != K_VALUES && kw != K_TABLE &&
	    !my_op(c, i + 1, e, "(")) {
		/* The column list: writing a masked column. */
		j = my_close(c, i, e);
		for (k = i + 1; k < j; k++) {
			if (my_isname(c, k, e) && !my_op(c, k + 1, e, ".") &&
			    (w->all || my_mw_named(w, k, MY_NOHOME)))
				w->ref = 1;
		}
		i = j;
		cols = 1;
	}
	/* No column list: every column, the masked ones too. */
	if (!cols && my_kw(c, i, e) != K_SET && w->writemasked)
		w->ref = 1;
	my_mw_walk(w, i, e, MC_NONE, 1);
}

/* Skip CREATE/ALTER options before the object's kind. */
static size_t
my_mw_ddlopts(const struct my_cls *c, size_t i, size_t e)
{
	int	 kw, cur;

	for (;;) {
		kw = my_kw(c, i, e);
		if (kw == K_OR && my_kw(c, i + 1, e) == K_REPLACE)
			i += 2;
		else if (kw == K_DEFINER && my_op(c, i + 1, e, "="))
			i = my_user(c, i + 2, e, &cur);
		else if (kw == K_ALGORITHM && my_op(c, i + 1, e, "="))
			i += 3;
		else if (kw == K_SQL && my_kw(c, i + 1, e) == K_SECURITY)
			i += 3;
		else if (kw == K_TEMPORARY || kw == K_ONLINE ||
		    kw == K_OFFLINE || kw == K_IGNORE)
			i++;
		else
			return (i);
	}
}

static void	my_mw_stmt(struct my_mw *, size_t, size_t, int);

/* Whether token i starts the statement after a WITH's CTEs. */
static int
my_mw_mainkw(const struct my_cls *c, size_t i, size_t e)
{
	int	 kw = my_kw(c, i, e);

	return (kw == K_SELECT || kw == K_UPDATE || kw == K_DELETE ||
	    kw == K_INSERT || kw == K_REPLACE || kw == K_VALUES ||
	    kw == K_TABLE);
}

/*
 * EXPLAIN, DESCRIBE, ANALYZE: the statement explained. A plan shows no
 * value (no masked-out) but depends on them (row counts, folded constant
 * tables): masked-ref stays. ANALYZE runs the statement.
 */
static void
my_mw_explain(struct my_mw *w, size_t b, size_t e, int depth)
{
	struct my_cls	*c = w->c;
	size_t		 i = b + 1;
	int		 kw, run, out = w->out;

	run = my_kw(c, b, e) == K_ANALYZE;
	for (;;) {
		kw = my_kw(c, i, e);
		if (kw == K_EXTENDED || kw == K_PARTITIONS)
			i++;
		else if (kw == K_ANALYZE) {
			run = 1;
			i++;
		} else if (kw == K_FORMAT && my_op(c, i + 1, e, "="))
			i += 3;
		else if (kw == K_INTO && my_is(c, i + 1, e, SQL_MYTOK_USERVAR))
			i += 2;		/* MySQL: EXPLAIN INTO @v */
		else if (kw == K_FOR && (my_kw(c, i + 1, e) == K_SCHEMA ||
		    my_kw(c, i + 1, e) == K_DATABASE))
			i += 3;		/* MySQL: EXPLAIN FOR SCHEMA s */
		else
			break;
	}
	if (my_kw(c, b, e) == K_ANALYZE && (kw == K_TABLE ||
	    kw == K_TABLES || kw == K_NO_WRITE_TO_BINLOG || kw == K_LOCAL))
		my_mw_body(w, b, e);	/* ANALYZE TABLE ... FOR COLUMNS */
	else if (kw == K_SELECT || kw == K_WITH || kw == K_INSERT ||
	    kw == K_REPLACE || kw == K_UPDATE || kw == K_DELETE ||
	    kw == K_TABLE || kw == K_VALUES || my_op(c, i, e, "(")) {
		my_mw_stmt(w, i, e, depth + 1);
		if (!run)
			w->out = out;
	}
}

/* Walk one statement at b as its kind asks. */
static void
my_mw_stmt(struct my_mw *w, size_t b, size_t e, int depth)
{
	struct my_cls	*c = w->c;
	char		 sch[MY_MAXNAME], nm[MY_MAXNAME];
	size_t		 i, j;
	int		 kw, q;

	if (b >= e || depth > MY_MAXMDEPTH)
		return;
	if (my_op(c, b, e, "(")) {
		w->top = depth == 0;
		my_mw_walk(w, b, e, MC_NONE, 0);
		return;
	}
	switch ((kw = my_kw(c, b, e))) {
	case K_SELECT:
	case K_VALUES:
	case K_TABLE:
		w->top = depth == 0;
		my_mw_walk(w, b, e, MC_NONE, 0);
		return;
	case K_WITH:
		/* The statement after the CTEs: WITH ... UPDATE writes. */
		for (i = b + 1; i < e && !my_mw_mainkw(c, i, e); ) {
			if (my_op(c, i, e, "("))
				i = my_close(c, i, e);
			else
				i++;
		}
		q = my_kw(c, i, e);
		w->top = depth == 0 && (q == K_SELECT || q == K_VALUES ||
		    q == K_TABLE);
		my_mw_walk(w, b, e, MC_NONE, q == K_UPDATE || q == K_DELETE);
		return;
	case K_INSERT:
	case K_REPLACE:
		my_mw_insert(w, b, e);
		return;
	case K_UPDATE:
	case K_DELETE:
		my_mw_walk(w, b + 1, e, MC_FROM, 1);
		return;
	case K_CREATE:
	case K_ALTER:
		i = my_mw_ddlopts(c, b + 1, e);
		q = my_kw(c, i, e);
		if (q == K_VIEW || (q == K_TABLE && kw == K_CREATE)) {
			/* The query that fills it, or defines it. */
			i = my_mw_skipname(c, my_ifexists(c, i + 1, e), e);
			my_mw_walk(w, i, e, MC_NONE, 1);
			return;
		}
		/* Rewriting a masked table: ALTER, CREATE INDEX/TRIGGER. */
		if (w->writemasked && (kw == K_ALTER || q == K_INDEX ||
		    q == K_TRIGGER))
			w->ref = 1;
		my_mw_body(w, b, e);
		return;
	case K_RENAME:
		if (w->writemasked)
			w->ref = 1;
		return;
	case K_SET:
		if (my_kw(c, b + 1, e) == K_STATEMENT) {
			j = my_find(c, b + 2, e, K_FOR);
			my_mw_walk(w, b + 2, j, MC_REF, 1);
			my_mw_stmt(w, j + 1, e, depth + 1);
			return;
		}
		my_mw_walk(w, b + 1, e, MC_REF, 1);
		return;
	case K_DO:
	case K_CALL:
		my_mw_walk(w, b + 1, e, MC_REF, 1);
		return;
	case K_EXPLAIN:
	case K_DESCRIBE:
	case K_DESC:
	case K_ANALYZE:
		my_mw_explain(w, b, e, depth);
		return;
	case K_HANDLER:
		/* HANDLER t OPEN/READ: the rows of t, raw. */
		i = b + 1;
		j = my_mw_skipname(c, i, e);
		if (j == i || my_kw(c, j, e) == K_CLOSE ||
		    my_ident(c, j - 1, nm, sizeof nm) != 0 || (j == i + 3 &&
		    my_ident(c, i, sch, sizeof sch) != 0))
			return;
		if (my_mask_cols(c, j == i + 3 ? sch : c->defdb, nm) != NULL)
			w->ref = 1;
		return;
	case K_SHOW:
	case K_HELP:
	case K_PREPARE:
	case K_EXECUTE:
	case K_DEALLOCATE:
	case K_USE:
	case K_DROP:
	case K_TRUNCATE:
	case K_GRANT:
	case K_REVOKE:
	case K_LOCK:
	case K_UNLOCK:
	case K_KILL:
	case K_FLUSH:
		return;
	}
	/* Compound statements, routine bodies, LOAD, the rest. */
	my_mw_body(w, b, e);
}

/*
 * Which outputs of the statement's own select list may carry a masked
 * value (f->out_masked), when each has one known position: no * there.
 * What opaque or stored code returns may be one too.
 */
static void
my_mw_outmask(const struct my_mw *w, size_t e, struct guard_facts *f)
{
	const struct my_cls	*c = w->c;
	size_t			 i, is, k = 0, d = 0;
	int			 expr;

	if ((i = my_mw_firstsel(c, 0, e)) == SIZE_MAX)
		return;
	for (is = i; i <= e; i++) {
		if (i < e && c->t[i].kind != SQL_MYTOK_SEMI && (d > 0 ||
		    !(my_op(c, i, e, ",") || my_op(c, i, e, ")") ||
		    my_mw_selend(my_kw(c, i, e))))) {
			if (my_op(c, i, e, "("))
				d++;
			else if (my_op(c, i, e, ")"))
				d--;
			continue;
		}
		if (my_mw_itemname(c, is, i, &expr) == MN_STAR || k >= 4096)
			return;
		k++;
		if (i >= e || !my_op(c, i, e, ","))
			break;
		is = i + 1;
	}
	f->out_masked = xcalloc(k, 1);
	f->nout = k;
	for (i = 0; i < k; i++)
		f->out_masked[i] = (unsigned char)my_mw_bit(w->items0, i);
}

/* Set masked-ref and masked-out for the classified statement; see above. */
static void
my_mask(struct my_cls *c, struct guard_facts *f)
{
	struct my_mw	 w;
	char *const	*cols;
	size_t		 k, n;
	int		 pass;

	/* Most statements touch nothing masked: ask before setting up. */
	for (k = 0; k < f->nrels; k++) {
		if (my_mask_cols(c, f->rels[k].schema, f->rels[k].name) !=
		    NULL)
			break;
	}
	if (k == f->nrels && my_kw(c, 0, c->n) != K_HANDLER)
		return;
	memset(&w, 0, offsetof(struct my_mw, pool));
	w.c = c;
	for (k = 0; k < f->nrels; k++) {
		cols = my_mask_cols(c, f->rels[k].schema, f->rels[k].name);
		if (cols == NULL)
			continue;
		w.any = 1;
		if (f->rels[k].access & GUARD_WRITE)
			w.writemasked = 1;
		for (n = 0; cols[n] != NULL; n++) {
			if (strcmp(cols[n], "*") == 0 ||
			    w.nnames >= MY_MAXMASKED)
				w.all = 1;
			else {
				w.names[w.nnames] = cols[n];
				w.lens[w.nnames] = strlen(cols[n]);
				w.nhi[w.nnames] = my_mw_hibit(cols[n],
				    w.lens[w.nnames]);
				w.nnames++;
			}
		}
	}
	if (!w.any && my_kw(c, 0, c->n) != K_HANDLER)
		return;
	w.prep = c->prep;
	w.body = c->body != 0;
	my_mw_stmt(&w, 0, c->n, 0);
	/*
	 * An outer query may name a masked output before the query that
	 * makes it: walk again while new names turn up (masked-out is known
	 * after one walk, so only while there is no masked-ref yet).
	 */
	for (pass = 1; w.added && !w.ref && !w.all && !w.more && !w.unknown &&
	    pass < MY_MAXMPASS; pass++) {
		w.added = 0;
		my_mw_stmt(&w, 0, c->n, 0);
	}
	if (!w.all && !w.ref && (w.more || w.unknown || w.added)) {
		/* A masked value may come back under a name not known. */
		w.taint = 1;
		my_mw_stmt(&w, 0, c->n, 0);
	}
	if (w.into && w.out)
		w.ref = 1;
	if (w.ref)
		f->flags |= GF_MASKED_REF;
	if (w.out)
		f->flags |= GF_MASKED_OUT;
	if (w.top && w.out && !w.ref && !w.into && !w.all && !w.taint &&
	    !w.more && !w.unknown && !w.added && f->out_masked == NULL)
		my_mw_outmask(&w, c->n, f);
}

/*
 * Classify a whole token list as one statement: it must end where the
 * server's statement ends. Returns -1 if it holds no code at all.
 */
static int
my_run(struct my_cls *c, struct guard_facts *f)
{
	size_t	 end, i;

	if (c->n == 0)
		return (-1);
	end = my_stmt(c, f, 0, c->n);
	if (end < c->n && !(c->t[end].kind == SQL_MYTOK_SEMI &&
	    end + 1 == c->n))
		guard_unknown(f, "the server would read more than one "
		    "statement here (a second one at byte %u)",
		    (unsigned int)c->t[end < c->n - 1 &&
		    c->t[end].kind == SQL_MYTOK_SEMI ? end + 1 : end].start);
	for (i = 0; i < c->n; i++) {
		if (c->t[i].kind == SQL_MYTOK_BACKSLASH) {
			guard_add_kind(f, KIND_CLIENT);
			f->flags |= GF_CLIENT_COMMAND;
		}
	}
	my_rawvalues(c, f);
	if (c->ctx->masked != NULL)
		my_mask(c, f);
	return (0);
}

/* Classify SQL text found in a string (PREPARE, EXECUTE IMMEDIATE). */
static void
my_text(struct my_cls *parent, const char *s, size_t len,
    struct guard_facts *f)
{
	struct sql_mytoks	 tk;
	struct my_cls		 c;
	char			*err = NULL;

	if (guard_check_bytes(s, len, &err) != 0) {
		guard_unknown(f, "SQL text in a string: %s", err);
		free(err);
		return;
	}
	if (parent->depth >= MY_MAXDEPTH) {
		guard_unknown(f, "statements nested more than %d deep",
		    MY_MAXDEPTH);
		return;
	}
	if (sql_mysql_tokenize(s, len, parent->rd, &tk, &err) != 0) {
		guard_unknown(f, "SQL text in a string: %s", err);
		free(err);
		sql_mysql_toks_free(&tk);
		return;
	}
	if (tk.hint)
		my_pinned_set(f, "optimizer hint");
	my_keywords(tk.tok, tk.n, s);
	memset(&c, 0, sizeof c);
	c.ctx = parent->ctx;
	c.rd = parent->rd;
	c.s = s;
	c.t = tk.tok;
	c.n = tk.n;
	c.defdb = parent->defdb;
	c.depth = parent->depth;
	c.body = parent->body;
	c.gated = parent->gated;
	c.mcache = parent->mcache;
	c.prep = parent->prep || parent->prepping;
	*c.gated |= tk.gated;
	if (my_run(&c, f) != 0)
		guard_unknown(f, "SQL text in a string holds no statement");
	sql_mysql_toks_free(&tk);
}

/* The ways the server may read the statement (see the top comment). */
static size_t
my_readings(const struct guard_ctx *ctx, struct sql_mysql_reading *rd)
{
	unsigned long	 v = ctx->server_version;
	size_t		 n, k;

	memset(rd, 0, sizeof *rd * MY_MAXREAD);
	if (v == 0) {
		/* Unknown: both flavours, all code and all comment. */
		rd[0].mariadb = rd[1].mariadb = 1;
		rd[0].mode = rd[2].mode = SQL_MYREAD_ALLCODE;
		rd[1].mode = rd[3].mode = SQL_MYREAD_ALLCOMMENT;
		rd[0].digits = rd[1].digits = SQL_MYDIGITS_6;
		rd[2].digits = rd[3].digits = SQL_MYDIGITS_5;
		rd[0].dollar = rd[1].dollar = rd[2].dollar = rd[3].dollar = 1;
		n = 4;
	} else if (ctx->mariadb) {
		/* The second reading runs 99997, as Galera does. */
		rd[0].mariadb = rd[1].mariadb = 1;
		rd[0].digits = rd[1].digits = SQL_MYDIGITS_6;
		rd[1].wsrep = 1;
		n = 2;
	} else if (v >= 80100) {
		rd[0].digits = SQL_MYDIGITS_6SPACE;
		n = 1;
	} else if (v >= 80034) {
		/* Whether six-digit versions reached 8.0 is not certain. */
		rd[0].digits = SQL_MYDIGITS_5;
		rd[1].digits = SQL_MYDIGITS_6SPACE;
		n = 2;
	} else {
		rd[0].digits = SQL_MYDIGITS_5;
		n = 1;
	}
	for (k = 0; k < n; k++) {
		rd[k].version = v;
		if (!rd[k].mariadb && v >= 90000)
			rd[k].dollar = 1;
		rd[k].ansi_quotes = ctx->ansi_quotes;
		rd[k].no_backslash_escapes = ctx->no_backslash_escapes;
	}
	return (n);
}

/* Classify under one reading; returns -1 if it holds no code. */
static int
my_top(struct guard_ctx *ctx, const struct sql_mysql_reading *rd,
    const char *s, size_t len, struct guard_facts *f, struct my_effect *eff,
    int *gated, struct my_mcache *mc)
{
	struct sql_mytoks	 tk;
	struct my_cls		 c;
	char			*err = NULL;
	int			 r = 0;

	if (sql_mysql_tokenize(s, len, rd, &tk, &err) != 0) {
		*gated |= tk.gated;
		guard_unknown(f, "%s", err);
		free(err);
		sql_mysql_toks_free(&tk);
		return (0);
	}
	*gated |= tk.gated;
	if (tk.hint)
		my_pinned_set(f, "optimizer hint");
	my_keywords(tk.tok, tk.n, s);
	memset(&c, 0, sizeof c);
	c.ctx = ctx;
	c.rd = rd;
	c.s = s;
	c.t = tk.tok;
	c.n = tk.n;
	c.defdb = ctx->database;
	c.eff = eff;
	c.gated = gated;
	c.mcache = mc;
	r = my_run(&c, f);
	sql_mysql_toks_free(&tk);
	return (r);
}

/*
 * Merge one reading's per-output facts into f (first: the first reading):
 * readings that see other outputs leave them not known.
 */
static void
my_outmerge(struct guard_facts *f, struct guard_facts *r, int first)
{
	size_t	 k;

	if (first) {
		f->out_masked = r->out_masked;
		f->nout = r->nout;
		r->out_masked = NULL;
		r->nout = 0;
		return;
	}
	if (f->out_masked == NULL)
		return;
	if (r->out_masked == NULL || r->nout != f->nout) {
		free(f->out_masked);
		f->out_masked = NULL;
		f->nout = 0;
		return;
	}
	for (k = 0; k < f->nout; k++)
		f->out_masked[k] |= r->out_masked[k];
}

/* Classify one MariaDB/MySQL statement; see guard.h. */
void
guard_classify_mysql(struct guard_ctx *ctx, const char *s, size_t len,
    struct guard_facts *f)
{
	struct sql_mysql_reading	 rd[MY_MAXREAD];
	struct my_effect		 eff[MY_MAXREAD];
	struct my_mcache		 mc;
	struct guard_facts		 tmp, prep;
	size_t				 nr, k, ran = 0, empty = 0;
	int				 gated = 0, same = 1;

	memset(f, 0, sizeof *f);
	memset(eff, 0, sizeof eff);
	my_mcache_init(&mc);
	nr = my_readings(ctx, rd);
	for (k = 0; k < nr; k++) {
		memset(&tmp, 0, sizeof tmp);
		if (my_top(ctx, &rd[k], s, len, &tmp, &eff[k], &gated,
		    &mc) != 0)
			empty++;
		guard_merge(f, &tmp);
		my_outmerge(f, &tmp, k == 0);
		guard_facts_clear(&tmp);
		ran++;
		if (!gated)
			break;
	}
	my_mcache_free(&mc);
	if (empty == ran)
		guard_unknown(f, "nothing to run: the server reads all of the "
		    "statement as comments");
	if (my_isunknown(f))
		f->kind = KIND_UNKNOWN;

	/* The context changes only if every reading agrees on it. */
	for (k = 1; k < ran; k++) {
		if (eff[k].type != eff[0].type || (eff[0].name != NULL &&
		    strcmp(eff[k].name, eff[0].name) != 0))
			same = 0;
	}
	if (!same)
		guard_unknown(f, "the server version decides what this "
		    "statement does to the session");
	else if (eff[0].type == MY_EFF_USE && !my_isunknown(f))
		guard_ctx_set_database(ctx, eff[0].name);
	else if (eff[0].type == MY_EFF_PREPARE) {
		memset(&prep, 0, sizeof prep);
		for (k = 0; k < ran; k++)
			guard_merge(&prep, &eff[k].facts);
		guard_ctx_prepare(ctx, eff[0].name, &prep);
		guard_facts_clear(&prep);
	} else if (eff[0].type == MY_EFF_DEALLOCATE)
		guard_ctx_deallocate(ctx, eff[0].name);
	for (k = 0; k < ran; k++) {
		free(eff[k].name);
		guard_facts_clear(&eff[k].facts);
	}
}
