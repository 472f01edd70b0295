/*
 * guard-pg.c: classifying one PostgreSQL statement into facts (guard.h)
 * through libpg_query, PostgreSQL's own parser. The parse tree comes back
 * as JSON, where every node is an object with a single key naming its type;
 * the walk below dispatches on that name through one sorted table and is
 * default-deny: a node type not in the table makes the statement unknown.
 * Nested statements are walked wherever they occur (CTEs, subqueries,
 * EXPLAIN ANALYZE, PREPARE, DECLARE CURSOR, rules, SQL and PL/pgSQL bodies
 * of functions and DO blocks, EXECUTE of a constant string in PL/pgSQL).
 * A statement that reads or writes a relation with masked columns gets a
 * second pass that finds where they are used (masked-ref, masked-out).
 * Handles untrusted input: nesting is capped, and a statement too deep for
 * libpg_query's recursive JSON writer is refused before it is parsed.
 * Pure: never prints or exits except through xmalloc on exhaustion.
 */
#include <ctype.h>
#include <jansson.h>
#include <pg_query.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "dbgate.h"
#include "guard.h"

/* Nodes nested in nodes, and texts parsed inside texts (bodies, EXECUTE). */
#define PG_MAX_DEPTH	300
#define PG_MAX_NEST	10
/*
 * libpg_query writes its JSON recursively, about 130 bytes of stack per
 * level. A statement this short cannot nest deep enough to matter; a longer
 * one is scanned first and refused if its estimated depth passes
 * PG_MAX_CHAIN.
 */
#define PG_DEEP_BYTES	16384
#define PG_MAX_CHAIN	5000
#define PG_MAX_LEVELS	20000
/*
 * libpg_query's JSON is about 70 times the statement, and jansson's tree
 * of it three times that again: longer statements are refused (bulk data
 * goes through COPY ... FROM STDIN, whose data is not in the statement).
 */
#define PG_MAX_BYTES	(1024 * 1024)

/*
 * Tokens of libpg_query's scanner (enum Token in pg_query.proto). They are
 * renumbered between PostgreSQL major versions, as are node types.
 */
#if PG_VERSION_NUM < 150000 || PG_VERSION_NUM >= 160000
#error "guard-pg.c knows libpg_query for PostgreSQL 15 (15-4.x) only"
#endif
#define PG_TOK_IDENT		258
#define PG_TOK_UIDENT		259
#define PG_TOK_FCONST		260
#define PG_TOK_SCONST		261
#define PG_TOK_USCONST		262
#define PG_TOK_BCONST		263
#define PG_TOK_XCONST		264
#define PG_TOK_ICONST		266
#define PG_TOK_PARAM		267
#define PG_TOK_COLON_EQUALS	270
#define PG_TOK_SQL_COMMENT	275
#define PG_TOK_C_COMMENT	276
#define PG_TOK_AND		291
#define PG_TOK_CASE		321
#define PG_TOK_ELSE		397
#define PG_TOK_END		401
#define PG_TOK_EXCEPT		405
#define PG_TOK_INTERSECT	471
#define PG_TOK_JOIN		478
#define PG_TOK_OR		548
#define PG_TOK_THEN		669
#define PG_TOK_UNION		689
#define PG_TOK_WHEN		712

/* How a node is walked. */
enum pg_handler {
	PGH_NODE,		/* expression or helper: walk its fields */
	PGH_STMT,		/* statement: kind, flags, walk its fields */
	PGH_RANGEVAR,
	PGH_FUNCCALL,
	PGH_ROWLOCK,
	PGH_TABLELIKE,
	PGH_SAMPLE,
	PGH_SELECT,
	PGH_INSERT,
	PGH_UPDATE,
	PGH_DELETE,
	PGH_MERGE,
	PGH_CTAS,
	PGH_ALTERTABLE,
	PGH_DROP,
	PGH_CREATEFUNC,
	PGH_ALTERFUNC,
	PGH_TRIGGER,
	PGH_SCHEMA,
	PGH_DO,
	PGH_CALL,
	PGH_COPY,
	PGH_EXPLAIN,
	PGH_PREPARE,
	PGH_EXECUTE,
	PGH_DEALLOCATE,
	PGH_DECLARE,
	PGH_SET,
	PGH_DISCARD,
	PGH_TRANSACTION,
	PGH_VACUUM,
	PGH_RENAME,
	PGH_AEXPR,
	PGH_OPERATORS,		/* operator in field operName or useOp */
	PGH_CASE,
	PGH_TYPED,		/* a field typeName */
	PGH_TYPENAME,
	PGH_DEFELEM,
	PGH_COLUMNREF,
	PGH_INDIRECTION,
};

struct pg_node_type {
	const char		*name;
	enum pg_handler		 handler;
	enum stmt_kind		 kind;		/* PGH_STMT */
	unsigned int		 flags;		/* PGH_STMT */
	unsigned int		 access;	/* PGH_STMT: relations' */
};

#define PGN(n)		{ n, PGH_NODE, KIND_UNKNOWN, 0, 0 }
#define PGH(n, h)	{ n, PGH_##h, KIND_UNKNOWN, 0, 0 }
#define PGS(n, k, f)	{ n, PGH_STMT, k, f, GUARD_READ }
#define PGSW(n, k, f)	{ n, PGH_STMT, k, f, GUARD_WRITE }
#define PGDDL(n, f)	\
	{ n, PGH_STMT, KIND_DDL, GF_WRITE | (f), GUARD_WRITE }

/*
 * Every node type of the raw parse tree dbgate classifies, sorted (strcmp).
 * Not listed, on purpose: the subscription statements (they connect to
 * other servers), PLAssignStmt, and the nodes of analyzed trees, which a
 * raw parse never produces.
 */
static const struct pg_node_type pg_node_types[] = {
	PGN("A_ArrayExpr"),
	PGN("A_Const"),
	PGH("A_Expr", AEXPR),
	PGN("A_Indices"),
	PGH("A_Indirection", INDIRECTION),
	PGN("A_Star"),
	PGN("AccessPriv"),
	PGN("Alias"),
	PGDDL("AlterCollationStmt", 0),
	PGDDL("AlterDatabaseRefreshCollStmt", 0),
	PGDDL("AlterDatabaseSetStmt", GF_SERVER_CONFIG),
	PGDDL("AlterDatabaseStmt", 0),
	PGSW("AlterDefaultPrivilegesStmt", KIND_GRANT, GF_WRITE | GF_PRIVILEGE),
	PGDDL("AlterDomainStmt", 0),
	PGDDL("AlterEnumStmt", 0),
	PGDDL("AlterEventTrigStmt", 0),
	PGDDL("AlterExtensionContentsStmt", GF_EXTENSION),
	PGDDL("AlterExtensionStmt", GF_EXTENSION),
	PGDDL("AlterFdwStmt", GF_EXTENSION),
	PGDDL("AlterForeignServerStmt", 0),
	PGH("AlterFunctionStmt", ALTERFUNC),
	PGDDL("AlterObjectDependsStmt", 0),
	PGDDL("AlterObjectSchemaStmt", 0),
	PGDDL("AlterOpFamilyStmt", 0),
	PGDDL("AlterOperatorStmt", 0),
	PGDDL("AlterOwnerStmt", GF_PRIVILEGE),
	PGDDL("AlterPolicyStmt", GF_PRIVILEGE),
	PGDDL("AlterPublicationStmt", 0),
	PGSW("AlterRoleSetStmt", KIND_ROLE, GF_WRITE | GF_PRIVILEGE),
	PGSW("AlterRoleStmt", KIND_ROLE, GF_WRITE | GF_PRIVILEGE),
	PGDDL("AlterSeqStmt", 0),
	PGDDL("AlterStatsStmt", 0),
	PGS("AlterSystemStmt", KIND_SET, GF_SERVER_CONFIG),
	PGDDL("AlterTSConfigurationStmt", 0),
	PGDDL("AlterTSDictionaryStmt", 0),
	PGN("AlterTableCmd"),
	PGDDL("AlterTableMoveAllStmt", 0),
	PGDDL("AlterTableSpaceOptionsStmt", 0),
	PGH("AlterTableStmt", ALTERTABLE),
	PGDDL("AlterTypeStmt", 0),
	PGDDL("AlterUserMappingStmt", GF_PRIVILEGE),
	PGN("BitString"),
	PGN("BoolExpr"),
	PGN("Boolean"),
	PGN("BooleanTest"),
	PGN("CTECycleClause"),
	PGN("CTESearchClause"),
	PGH("CallStmt", CALL),
	PGH("CaseExpr", CASE),
	PGN("CaseWhen"),
	PGS("CheckPointStmt", KIND_ADMIN, GF_MAINTENANCE),
	PGS("ClosePortalStmt", KIND_SELECT, 0),
	PGS("ClusterStmt", KIND_ADMIN, GF_MAINTENANCE),
	PGN("CoalesceExpr"),
	PGN("CollateClause"),
	PGH("ColumnDef", TYPED),
	PGH("ColumnRef", COLUMNREF),
	PGDDL("CommentStmt", 0),
	PGN("CommonTableExpr"),
	PGDDL("CompositeTypeStmt", 0),
	PGN("Constraint"),
	PGS("ConstraintsSetStmt", KIND_SET, 0),
	PGH("CopyStmt", COPY),
	PGDDL("CreateAmStmt", GF_EXTENSION),
	PGDDL("CreateCastStmt", 0),
	PGDDL("CreateConversionStmt", 0),
	PGDDL("CreateDomainStmt", 0),
	PGDDL("CreateEnumStmt", 0),
	PGH("CreateEventTrigStmt", TRIGGER),
	PGDDL("CreateExtensionStmt", GF_EXTENSION),
	PGDDL("CreateFdwStmt", GF_EXTENSION),
	PGDDL("CreateForeignServerStmt", 0),
	PGDDL("CreateForeignTableStmt", 0),
	PGH("CreateFunctionStmt", CREATEFUNC),
	PGN("CreateOpClassItem"),
	PGDDL("CreateOpClassStmt", 0),
	PGDDL("CreateOpFamilyStmt", 0),
	PGDDL("CreatePLangStmt", GF_EXTENSION),
	PGDDL("CreatePolicyStmt", GF_PRIVILEGE),
	PGDDL("CreatePublicationStmt", 0),
	PGDDL("CreateRangeStmt", 0),
	PGSW("CreateRoleStmt", KIND_ROLE, GF_WRITE | GF_PRIVILEGE),
	PGH("CreateSchemaStmt", SCHEMA),
	PGDDL("CreateSeqStmt", 0),
	PGDDL("CreateStatsStmt", 0),
	PGDDL("CreateStmt", 0),
	PGH("CreateTableAsStmt", CTAS),
	PGDDL("CreateTableSpaceStmt", GF_FILE),
	PGDDL("CreateTransformStmt", 0),
	PGH("CreateTrigStmt", TRIGGER),
	PGDDL("CreateUserMappingStmt", GF_PRIVILEGE),
	PGDDL("CreatedbStmt", 0),
	PGN("CurrentOfExpr"),
	PGH("DeallocateStmt", DEALLOCATE),
	PGH("DeclareCursorStmt", DECLARE),
	PGH("DefElem", DEFELEM),
	PGDDL("DefineStmt", 0),
	PGH("DeleteStmt", DELETE),
	PGH("DiscardStmt", DISCARD),
	PGH("DoStmt", DO),
	PGSW("DropOwnedStmt", KIND_DROP, GF_WRITE | GF_PRIVILEGE),
	PGSW("DropRoleStmt", KIND_ROLE, GF_WRITE | GF_PRIVILEGE),
	PGH("DropStmt", DROP),
	PGSW("DropTableSpaceStmt", KIND_DROP, GF_WRITE),
	PGSW("DropUserMappingStmt", KIND_DROP, GF_WRITE | GF_PRIVILEGE),
	PGSW("DropdbStmt", KIND_DROP, GF_WRITE),
	PGH("ExecuteStmt", EXECUTE),
	PGH("ExplainStmt", EXPLAIN),
	PGS("FetchStmt", KIND_SELECT, 0),
	PGN("Float"),
	PGH("FuncCall", FUNCCALL),
	PGN("FunctionParameter"),
	PGSW("GrantRoleStmt", KIND_GRANT, GF_WRITE | GF_PRIVILEGE),
	PGSW("GrantStmt", KIND_GRANT, GF_WRITE | GF_PRIVILEGE),
	PGN("GroupingFunc"),
	PGN("GroupingSet"),
	PGDDL("ImportForeignSchemaStmt", 0),
	PGN("IndexElem"),
	PGDDL("IndexStmt", 0),
	PGN("InferClause"),
	PGH("InsertStmt", INSERT),
	PGN("IntList"),
	PGN("Integer"),
	PGN("IntoClause"),
	PGN("JoinExpr"),
	PGN("List"),
	PGS("ListenStmt", KIND_LISTEN, 0),
	PGS("LoadStmt", KIND_ADMIN, GF_EXTENSION),
	PGS("LockStmt", KIND_LOCK, GF_LOCK),
	PGH("LockingClause", ROWLOCK),
	PGH("MergeStmt", MERGE),
	PGN("MergeWhenClause"),
	PGN("MinMaxExpr"),
	PGN("MultiAssignRef"),
	PGN("NamedArgExpr"),
	PGS("NotifyStmt", KIND_NOTIFY, 0),
	PGN("NullTest"),
	PGN("ObjectWithArgs"),
	PGN("OidList"),
	PGN("OnConflictClause"),
	PGN("ParamRef"),
	PGN("PartitionBoundSpec"),
	PGN("PartitionCmd"),
	PGN("PartitionElem"),
	PGN("PartitionRangeDatum"),
	PGN("PartitionSpec"),
	PGH("PrepareStmt", PREPARE),
	PGN("PublicationObjSpec"),
	PGN("PublicationTable"),
	PGN("RangeFunction"),
	PGN("RangeSubselect"),
	PGN("RangeTableFunc"),
	PGH("RangeTableFuncCol", TYPED),
	PGH("RangeTableSample", SAMPLE),
	PGH("RangeVar", RANGEVAR),
	PGSW("ReassignOwnedStmt", KIND_GRANT, GF_WRITE | GF_PRIVILEGE),
	PGDDL("RefreshMatViewStmt", 0),
	PGS("ReindexStmt", KIND_ADMIN, GF_MAINTENANCE),
	PGH("RenameStmt", RENAME),
	PGN("ReplicaIdentityStmt"),
	PGN("ResTarget"),
	PGN("ReturnStmt"),
	PGN("RoleSpec"),
	PGN("RowExpr"),
	PGDDL("RuleStmt", 0),
	PGN("SQLValueFunction"),
	PGDDL("SecLabelStmt", GF_PRIVILEGE),
	PGH("SelectStmt", SELECT),
	PGN("SetToDefault"),
	PGH("SortBy", OPERATORS),
	PGN("StatsElem"),
	PGN("String"),
	PGH("SubLink", OPERATORS),
	PGH("TableLikeClause", TABLELIKE),
	PGH("TransactionStmt", TRANSACTION),
	PGN("TriggerTransition"),
	PGSW("TruncateStmt", KIND_TRUNCATE, GF_WRITE),
	PGH("TypeCast", TYPED),
	PGH("TypeName", TYPENAME),
	PGS("UnlistenStmt", KIND_LISTEN, 0),
	PGH("UpdateStmt", UPDATE),
	PGN("VacuumRelation"),
	PGH("VacuumStmt", VACUUM),
	PGH("VariableSetStmt", SET),
	PGS("VariableShowStmt", KIND_SHOW, 0),
	PGDDL("ViewStmt", 0),
	PGN("WindowDef"),
	PGN("WithClause"),
	PGN("XmlExpr"),
	PGN("XmlSerialize"),
};

/*
 * Functions in pg_catalog (PostgreSQL 15) without side effects and without
 * SQL from a string: calls of these are not opaque. Sorted (strcmp).
 */
static const char *pg_safe_funcs[] = {
	"abbrev", "abs", "acos", "acosd", "acosh", "age", "array_agg",
	"array_append", "array_cat", "array_dims", "array_fill",
	"array_length", "array_lower", "array_ndims", "array_position",
	"array_positions", "array_prepend", "array_remove", "array_replace",
	"array_to_json", "array_to_string", "array_to_tsvector",
	"array_upper", "ascii", "asin", "asind", "asinh", "atan", "atan2",
	"atan2d", "atand", "atanh", "avg", "bit_and", "bit_length", "bit_or",
	"bit_xor", "bool", "bool_and", "bool_or", "bpchar", "broadcast",
	"btrim", "cardinality", "cbrt", "ceil", "ceiling", "char",
	"char_length", "character_length", "chr", "clock_timestamp",
	"col_description", "concat", "concat_ws", "convert", "convert_from",
	"convert_to", "corr", "cos", "cosd", "cosh", "cot", "cotd", "count",
	"covar_pop", "covar_samp", "cume_dist", "current_database",
	"current_schema", "current_schemas", "current_setting", "date",
	"date_bin", "date_part", "date_trunc", "daterange", "decode",
	"degrees", "dense_rank", "div", "encode", "every", "exp", "extract",
	"factorial", "family", "first_value", "float4", "float8", "floor",
	"format", "format_type", "gcd", "gen_random_uuid", "generate_series",
	"generate_subscripts", "get_bit", "get_byte",
	"get_current_ts_config", "has_any_column_privilege",
	"has_column_privilege", "has_database_privilege",
	"has_foreign_data_wrapper_privilege", "has_function_privilege",
	"has_language_privilege", "has_schema_privilege",
	"has_sequence_privilege", "has_server_privilege",
	"has_table_privilege", "has_tablespace_privilege",
	"has_type_privilege", "host", "hostmask", "inet_client_addr",
	"inet_client_port", "inet_merge", "inet_same_family",
	"inet_server_addr", "inet_server_port", "initcap", "int2", "int4",
	"int4multirange", "int4range", "int8", "int8range", "interval",
	"is_normalized", "isclosed", "isempty", "isfinite", "json_agg",
	"json_array_elements", "json_array_elements_text",
	"json_array_length", "json_build_array", "json_build_object",
	"json_each", "json_each_text", "json_extract_path",
	"json_extract_path_text", "json_object", "json_object_agg",
	"json_object_field", "json_object_keys", "json_populate_record",
	"json_populate_recordset", "json_strip_nulls", "json_to_record",
	"json_to_recordset", "json_typeof", "jsonb_agg",
	"jsonb_array_elements", "jsonb_array_elements_text",
	"jsonb_array_length", "jsonb_build_array", "jsonb_build_object",
	"jsonb_contained", "jsonb_contains", "jsonb_each", "jsonb_each_text",
	"jsonb_exists", "jsonb_exists_all", "jsonb_exists_any",
	"jsonb_extract_path", "jsonb_extract_path_text", "jsonb_insert",
	"jsonb_object", "jsonb_object_agg", "jsonb_object_field",
	"jsonb_object_keys", "jsonb_path_exists", "jsonb_path_match",
	"jsonb_path_query", "jsonb_path_query_array",
	"jsonb_path_query_first", "jsonb_populate_record",
	"jsonb_populate_recordset", "jsonb_pretty", "jsonb_set",
	"jsonb_set_lax", "jsonb_strip_nulls", "jsonb_to_record",
	"jsonb_to_recordset", "jsonb_typeof", "justify_days",
	"justify_hours", "justify_interval", "lag", "last_value", "lcm",
	"lead", "left", "length", "ln", "log", "log10", "lower", "lower_inc",
	"lower_inf", "lpad", "ltrim", "make_date", "make_interval",
	"make_time", "make_timestamp", "make_timestamptz", "masklen", "max",
	"md5", "min", "min_scale", "mod", "mode", "netmask", "network",
	"normalize", "now", "nth_value", "ntile", "num_nonnulls",
	"num_nulls", "numeric", "nummultirange", "numnode", "numrange",
	"obj_description", "octet_length", "overlaps", "overlay",
	"parse_ident", "percent_rank", "percentile_cont", "percentile_disc",
	"pg_backend_pid", "pg_blocking_pids", "pg_client_encoding",
	"pg_collation_for", "pg_column_size", "pg_conf_load_time",
	"pg_current_snapshot", "pg_current_wal_lsn",
	"pg_current_xact_id_if_assigned", "pg_database_size",
	"pg_describe_object", "pg_encoding_to_char", "pg_filenode_relation",
	"pg_function_is_visible", "pg_get_constraintdef", "pg_get_expr",
	"pg_get_function_arguments", "pg_get_function_identity_arguments",
	"pg_get_function_result", "pg_get_functiondef", "pg_get_indexdef",
	"pg_get_keywords", "pg_get_object_address", "pg_get_partkeydef",
	"pg_get_publication_tables", "pg_get_ruledef",
	"pg_get_serial_sequence", "pg_get_statisticsobjdef",
	"pg_get_triggerdef", "pg_get_userbyid", "pg_get_viewdef",
	"pg_has_role", "pg_identify_object", "pg_indexes_size",
	"pg_is_in_recovery", "pg_jit_available", "pg_last_wal_receive_lsn",
	"pg_last_wal_replay_lsn", "pg_last_xact_replay_timestamp",
	"pg_listening_channels", "pg_notification_queue_usage",
	"pg_options_to_table", "pg_partition_ancestors", "pg_partition_root",
	"pg_partition_tree", "pg_postmaster_start_time",
	"pg_relation_filenode", "pg_relation_size",
	"pg_safe_snapshot_blocking_pids", "pg_sequence_last_value",
	"pg_size_bytes", "pg_size_pretty", "pg_sleep", "pg_sleep_for",
	"pg_sleep_until", "pg_snapshot_xip",
	"pg_snapshot_xmax", "pg_snapshot_xmin", "pg_table_is_visible",
	"pg_table_size", "pg_tablespace_location", "pg_tablespace_size",
	"pg_total_relation_size", "pg_trigger_depth", "pg_type_is_visible",
	"pg_typeof", "pg_visible_in_snapshot", "pg_wal_lsn_diff",
	"pg_xact_status", "phraseto_tsquery", "pi", "plainto_tsquery",
	"position", "power", "querytree", "quote_ident", "quote_literal",
	"quote_nullable", "radians", "random", "range_agg",
	"range_intersect_agg", "range_merge", "rank", "regexp_count",
	"regexp_instr", "regexp_like", "regexp_match", "regexp_matches",
	"regexp_replace", "regexp_split_to_array", "regexp_split_to_table",
	"regexp_substr", "regr_avgx", "regr_avgy", "regr_count",
	"regr_intercept", "regr_r2", "regr_slope", "regr_sxx", "regr_sxy",
	"regr_syy", "repeat", "replace", "reverse", "right", "round",
	"row_number", "row_security_active", "row_to_json", "rpad", "rtrim",
	"scale", "set_masklen", "setweight", "sha224", "sha256", "sha384",
	"sha512", "shobj_description", "sign", "similar_escape",
	"similar_to_escape", "sin", "sind", "sinh", "split_part", "sqrt",
	"starts_with", "statement_timestamp", "stddev", "stddev_pop",
	"stddev_samp", "string_agg", "string_to_array", "string_to_table",
	"strip", "strpos", "substr", "substring", "sum", "tan", "tand",
	"tanh", "text", "textlen", "time", "timeofday", "timestamptz",
	"timetz", "timezone", "to_ascii", "to_char", "to_date", "to_hex",
	"to_json", "to_jsonb", "to_number", "to_regclass", "to_regcollation",
	"to_regnamespace", "to_regoper", "to_regoperator", "to_regproc",
	"to_regprocedure", "to_regrole", "to_regtype", "to_timestamp",
	"to_tsquery", "to_tsvector", "transaction_timestamp", "translate",
	"trim_array", "trim_scale", "trunc", "ts_headline", "ts_rank",
	"ts_rank_cd", "tsrange", "tstzrange", "tsvector_to_array", "unistr",
	"unnest", "upper", "upper_inc", "upper_inf", "var_pop", "var_samp",
	"varchar", "variance", "version", "websearch_to_tsquery",
	"width_bucket", "xml_is_well_formed", "xml_is_well_formed_content",
	"xml_is_well_formed_document", "xmlagg", "xmlcomment", "xmlexists",
	"xpath", "xpath_exists",
};

/*
 * Functions with effects, by name in any schema (a look-alike in another
 * schema is flagged too); prefix: every name starting with it. set_config
 * and pg_notify are handled in pg_func. Sorted (strcmp).
 */
struct pg_effect {
	const char	*name;
	int		 prefix;
	unsigned int	 flags;
};

static const struct pg_effect pg_effects[] = {
	{ "connectby", 0, GF_DYNAMIC },
	{ "crosstab", 1, GF_DYNAMIC },
	{ "cursor_to_xml", 1, GF_DYNAMIC },
	{ "database_to_xml", 1, GF_DYNAMIC },
	{ "dblink", 1, GF_DYNAMIC },
	{ "lo_creat", 1, GF_WRITE },
	{ "lo_export", 0, GF_FILE },
	{ "lo_from_bytea", 0, GF_WRITE },
	{ "lo_import", 0, GF_FILE | GF_WRITE },
	{ "lo_put", 0, GF_WRITE },
	{ "lo_truncate", 1, GF_WRITE },
	{ "lo_unlink", 0, GF_WRITE },
	{ "lowrite", 0, GF_WRITE },
	{ "nextval", 0, GF_WRITE },
	{ "pg_advisory_", 1, GF_LOCK },
	{ "pg_backup_", 1, GF_SERVER_CONFIG },
	{ "pg_cancel_backend", 0, GF_KILL },
	{ "pg_copy_", 1, GF_SERVER_CONFIG },
	{ "pg_create_", 1, GF_SERVER_CONFIG },
	{ "pg_drop_replication_slot", 0, GF_SERVER_CONFIG },
	{ "pg_file_", 1, GF_FILE | GF_WRITE },
	{ "pg_log_backend_memory_contexts", 0, GF_SERVER_CONFIG },
	{ "pg_logdir_ls", 0, GF_FILE },
	{ "pg_logical_", 1, GF_SERVER_CONFIG },
	{ "pg_ls_", 1, GF_FILE },
	{ "pg_promote", 0, GF_SERVER_CONFIG },
	{ "pg_read_", 1, GF_FILE },
	{ "pg_reload_conf", 0, GF_SERVER_CONFIG },
	{ "pg_replication_origin_", 1, GF_SERVER_CONFIG },
	{ "pg_replication_slot_advance", 0, GF_SERVER_CONFIG },
	{ "pg_rotate_logfile", 1, GF_SERVER_CONFIG },
	{ "pg_start_backup", 0, GF_SERVER_CONFIG },
	{ "pg_stat_file", 0, GF_FILE },
	{ "pg_stat_reset", 1, GF_SERVER_CONFIG },
	{ "pg_stop_backup", 0, GF_SERVER_CONFIG },
	{ "pg_switch_", 1, GF_SERVER_CONFIG },
	{ "pg_terminate_backend", 0, GF_KILL },
	{ "pg_try_advisory_", 1, GF_LOCK },
	{ "pg_wal_replay_", 1, GF_SERVER_CONFIG },
	{ "query_to_xml", 1, GF_DYNAMIC },
	{ "schema_to_xml", 1, GF_DYNAMIC },
	{ "setval", 0, GF_WRITE },
	{ "table_to_xml", 1, GF_DYNAMIC },
	{ "ts_rewrite", 0, GF_DYNAMIC },
	{ "ts_stat", 0, GF_DYNAMIC },
};

/*
 * Operators of pg_catalog (PostgreSQL 15); an unqualified operator named
 * otherwise can only be another schema's. Sorted (strcmp).
 */
static const char *pg_catalog_ops[] = {
	"!!", "!~", "!~*", "!~~", "!~~*", "#", "##", "#-", "#>", "#>>", "%",
	"&", "&&", "&<", "&<|", "&>", "*", "*<", "*<=", "*<>", "*=", "*>",
	"*>=", "+", "-", "->", "->>", "-|-", "/", "<", "<->", "<<", "<<=",
	"<<|", "<=", "<>", "<@", "<^", "=", ">", ">=", ">>", ">>=", ">^", "?",
	"?#", "?&", "?-", "?-|", "?|", "?||", "@", "@-@", "@>", "@?", "@@",
	"@@@", "^", "^@", "|", "|&>", "|/", "|>>", "||", "||/", "~", "~*",
	"~<=~", "~<~", "~=", "~>=~", "~>~", "~~", "~~*",
};

/*
 * Types of pg_catalog (PostgreSQL 15) whose input and casts run no code
 * but the server's. A cast to another type may run a domain's CHECK or a
 * user's cast or input function. Sorted (strcmp).
 */
static const char *pg_catalog_types[] = {
	"aclitem", "bit", "bool", "box", "bpchar", "bytea", "char", "cid",
	"cidr", "circle", "date", "datemultirange", "daterange", "float4",
	"float8", "inet", "int2", "int2vector", "int4", "int4multirange",
	"int4range", "int8", "int8multirange", "int8range", "interval",
	"json", "jsonb", "jsonpath", "line", "lseg", "macaddr", "macaddr8",
	"money", "name", "numeric", "nummultirange", "numrange", "oid",
	"oidvector", "path", "pg_lsn", "pg_snapshot", "point", "polygon",
	"record", "refcursor", "regclass", "regcollation", "regconfig",
	"regdictionary", "regnamespace", "regoper", "regoperator", "regproc",
	"regprocedure", "regrole", "regtype", "text", "tid", "time",
	"timestamp", "timestamptz", "timetz", "tsmultirange", "tsquery",
	"tsrange", "tstzmultirange", "tstzrange", "tsvector", "txid_snapshot",
	"uuid", "varbit", "varchar", "xid", "xid8", "xml",
};

/*
 * Superuser settings a session can change that turn off integrity checks
 * or the server's logging and tracking (the audit trail): server-config.
 * prefix: every name starting with it.
 */
static const struct {
	const char	*name;
	int		 prefix;
} pg_server_settings[] = {
	{ "allow_system_table_mods", 0 },
	{ "debug_", 1 },
	{ "dynamic_library_path", 0 },
	{ "ignore_checksum_failure", 0 },
	{ "lo_compat_privileges", 0 },
	{ "log_", 1 },
	{ "session_replication_role", 0 },
	{ "trace_", 1 },
	{ "track_", 1 },
	{ "zero_damaged_pages", 0 },
};

/* Settings the gateway pins; the second group only on ReadOnly targets. */
static const char *pg_pinned_settings[] = {
	"client_encoding", "standard_conforming_strings", "statement_timeout",
	"lock_timeout", "idle_in_transaction_session_timeout", "DateStyle",
	"IntervalStyle", "bytea_output", "extra_float_digits",
};
static const char *pg_pinned_read_only[] = {
	"default_transaction_read_only", "transaction_read_only",
};

/* Procedural languages that run code with the server's powers. */
static const char *pg_untrusted_languages[] = {
	"c", "internal", "plperlu", "plpython2u", "plpython3u", "plpythonu",
	"pltclu", "plr", "plsh", "pljavau", "plv8u", "plluau",
};

/* How a PL/pgSQL expression's text is read (PLpgSQL_expr). */
enum pg_plmode {
	PLX_EXPR,		/* an expression: SELECT expr */
	PLX_QUERY,		/* a statement */
	PLX_ASSIGN,		/* target := expr */
	PLX_DYN,		/* SQL text computed at run time */
};

/* A constant, as far as WHERE clauses are folded. */
enum pg_vtype {
	PGV_UNKNOWN,
	PGV_NULL,
	PGV_BOOL,
	PGV_INT,
	PGV_STR,
};

struct pg_val {
	enum pg_vtype	 t;
	long long	 i;		/* PGV_BOOL, PGV_INT */
	const char	*s;		/* PGV_STR */
};

/*
 * A relation looked up with guard_ctx.masked: its masked columns, copied
 * (the callee's array may not outlive the next call).
 */
/* A set of names, kept small: past the cap it holds every name. */
#define PG_MAX_NAMES	256
struct pg_names {
	char		**v;
	size_t		 n;
	int		 every;
};

struct pg_mrel {
	char		*schema;	/* resolved, or NULL */
	char		*name;
	struct pg_names	 cols;	/* lower-case names, but "*" */
	int		 all;	/* "*": every column is masked */
};

/* An output column of a query: its name (NULL: not known), if masked. */
struct pg_mtarget {
	const char	*name;
	int		 masked;
};

/*
 * The outputs of a query in the masked-column pass: by position, unless a
 * * makes them unknown, and the names of those that may carry a masked
 * value. The names point into the parse tree or are constants; the
 * arrays are owned.
 */
struct pg_mres {
	struct pg_mtarget	*tg;
	size_t			 ntg;
	int			 shape;	/* tg are a query's outputs */
	int			 star;	/* a * expands: positions unknown */
	int			 any;	/* an output may carry a masked value */
	int			 every;	/* ... whatever its name */
	const char		**names; /* names of those that may */
	size_t			 nnames;
};

/* A CTE in scope during the masked-column pass, and its outputs. */
struct pg_mcte {
	const char	*name;
	struct pg_mres	 res;
};

/* The state of one classification. */
struct pg_walk {
	struct guard_ctx	*ctx;	/* session, or a copy for a body */
	struct guard_facts	*f;	/* facts being filled */
	const char		*stmt;	/* statement walked */
	size_t			 stmtlen;
	const char		**ctes;	/* CTE names in scope */
	size_t			 nctes;
	size_t			 ctecap;
	size_t			 ctebase;	/* first one visible */
	int			 depth;	/* nodes nested */
	int			 nest;	/* texts parsed inside texts */
	int			 stop;	/* unknown: stop walking */

	/*
	 * Masked columns (guard_ctx.masked). The walk collects the relations
	 * and their masked columns; a second pass over each statement that
	 * reads or writes one (pg_after) finds where they are used.
	 */
	struct pg_mrel		*mrels;	/* relations looked up */
	size_t			 nmrels;
	size_t			 nmasked; /* of them, with masked ones */
	struct pg_names		 mcols;	/* masked column names, all */
	struct pg_names		 mknown; /* every column name of those
					 * relations ("every": not known) */
	struct pg_names		 mnames; /* names, aliases of those */
	struct pg_names		 mall;	/* ... of those masked whole */
	struct pg_mcte		*mctes;	/* second pass: CTEs in scope */
	size_t			 nmctes;
	size_t			 mctecap;
	size_t			 nsrc;	/* masked columns of FROM items */
	unsigned long		 mhits;	/* masked references seen */
	unsigned long		 mwork;	/* nodes seen for exports */
	int			 mflow;	/* outputs go into a write */
	int			 mdry;	/* computing exports: no flags */

	/* pg_stat_activity is read (its names, aliases): is query? */
	int			 activity;
	struct pg_names		 actnames;
};

/* A token from libpg_query's scanner. */
struct pg_scan {
	PgQueryScanResult	 r;
	const unsigned char	*p;
	const unsigned char	*e;
};

static void	pg_value(struct pg_walk *, json_t *, unsigned int);
static void	pg_set(struct pg_walk *, json_t *, int);
static int	pg_text(struct pg_walk *, const char *, size_t, int);
static struct pg_val pg_eval(json_t *, int);
static void	pg_after(struct pg_walk *, json_t *);

#define pg_fail(w, ...) do {						\
	guard_unknown((w)->f, __VA_ARGS__);				\
	(w)->stop = 1;							\
} while (0)

/* The string member key of a JSON object, or NULL. */
static const char *
pg_str(json_t *o, const char *key)
{
	return (json_string_value(json_object_get(o, key)));
}

/* Whether member key of a JSON object is true. */
static int
pg_true(json_t *o, const char *key)
{
	return (json_is_true(json_object_get(o, key)));
}

/*
 * Whether v is a node: an object with one member, named after the node
 * type (a capital first letter), whose value is an object. Struct fields
 * that are not generic nodes come unwrapped, as plain objects.
 */
static int
pg_wrapped(json_t *v, const char **type, json_t **body)
{
	void	*it;

	if (!json_is_object(v) || json_object_size(v) != 1)
		return (0);
	it = json_object_iter(v);
	*type = json_object_iter_key(it);
	*body = json_object_iter_value(it);
	return (**type >= 'A' && **type <= 'Z' && json_is_object(*body));
}

/* The body of node v if it is of the given type, or NULL. */
static json_t *
pg_body(json_t *v, const char *type)
{
	const char	*t;
	json_t		*b;

	if (!pg_wrapped(v, &t, &b) || strcmp(t, type) != 0)
		return (NULL);
	return (b);
}

/* The text of a String node, or NULL. */
static const char *
pg_string(json_t *v)
{
	json_t	*b;

	if ((b = pg_body(v, "String")) == NULL)
		return (NULL);
	/* An empty string has no sval. */
	return (pg_str(b, "sval") != NULL ? pg_str(b, "sval") : "");
}

/* The text of a string constant, maybe cast ('x', 'x'::text), or NULL. */
static const char *
pg_const_string(json_t *v)
{
	json_t	*b, *sv;
	int	 i;

	for (i = 0; i < 8 && (b = pg_body(v, "TypeCast")) != NULL; i++)
		v = json_object_get(b, "arg");
	if ((b = pg_body(v, "A_Const")) == NULL)
		return (NULL);
	if ((sv = json_object_get(b, "sval")) == NULL)
		return (NULL);
	return (pg_str(sv, "sval") != NULL ? pg_str(sv, "sval") : "");
}

/* Compare node type names for bsearch. */
static int
pg_type_cmp(const void *key, const void *elem)
{
	return (strcmp(key, ((const struct pg_node_type *)elem)->name));
}

/* Compare function names for bsearch. */
static int
pg_name_cmp(const void *key, const void *elem)
{
	return (strcmp(key, *(const char *const *)elem));
}

/* The entry of list that s names (case-insensitive, as GUCs), or NULL. */
static const char *
pg_in_list(const char *s, const char *const *list, size_t n)
{
	size_t	 i;

	for (i = 0; i < n; i++) {
		if (strcasecmp(s, list[i]) == 0)
			return (list[i]);
	}
	return (NULL);
}

/* Open libpg_query's token stream of text. 0, or -1. */
static int
pg_scan_open(struct pg_scan *sc, const char *text)
{
	sc->r = pg_query_scan(text);
	if (sc->r.error != NULL)
		return (-1);
	sc->p = (const unsigned char *)sc->r.pbuf.data;
	sc->e = sc->p + sc->r.pbuf.len;
	return (0);
}

/* Release a token stream. */
static void
pg_scan_close(struct pg_scan *sc)
{
	pg_query_free_scan_result(sc->r);
}

/* Read a protobuf varint below e. 0, or -1 if malformed. */
static int
pg_varint(const unsigned char **p, const unsigned char *e, uint64_t *v)
{
	int	 shift;

	*v = 0;
	for (shift = 0; shift < 64 && *p < e; shift += 7) {
		*v |= (uint64_t)(**p & 0x7f) << shift;
		if ((*(*p)++ & 0x80) == 0)
			return (0);
	}
	return (-1);
}

/*
 * Skip a protobuf field of wire type wire at *p, reading a varint into *v
 * or a length-delimited field into *sub and *sublen. 0, or -1.
 */
static int
pg_field(const unsigned char **p, const unsigned char *e, int wire,
    uint64_t *v, const unsigned char **sub, size_t *sublen)
{
	uint64_t	 n;

	switch (wire) {
	case 0:
		return (pg_varint(p, e, v));
	case 1:
	case 5:
		n = wire == 1 ? 8 : 4;
		if ((uint64_t)(e - *p) < n)
			return (-1);
		*p += n;
		return (0);
	case 2:
		if (pg_varint(p, e, &n) != 0 || n > (uint64_t)(e - *p))
			return (-1);
		*sub = *p;
		*sublen = n;
		*p += n;
		return (0);
	}
	return (-1);
}

/*
 * The next token (ScanResult.tokens = 2; ScanToken start = 1, end = 2,
 * token = 4). 1 and the token, 0 at the end, or -1 if malformed.
 */
static int
pg_scan_next(struct pg_scan *sc, uint64_t *start, uint64_t *end,
    uint64_t *tok)
{
	const unsigned char	*sub, *p, *e;
	uint64_t		 key, v = 0;
	size_t			 sublen;

	while (sc->p < sc->e) {
		if (pg_varint(&sc->p, sc->e, &key) != 0 ||
		    pg_field(&sc->p, sc->e, key & 7, &v, &sub, &sublen) != 0)
			return (-1);
		if ((key >> 3) != 2 || (key & 7) != 2)
			continue;
		*start = *end = *tok = 0;
		for (p = sub, e = sub + sublen; p < e;) {
			if (pg_varint(&p, e, &key) != 0 ||
			    pg_field(&p, e, key & 7, &v, &sub, &sublen) != 0)
				return (-1);
			if ((key & 7) != 0)
				continue;
			if ((key >> 3) == 1)
				*start = v;
			else if ((key >> 3) == 2)
				*end = v;
			else if ((key >> 3) == 4)
				*tok = v;
		}
		return (1);
	}
	return (0);
}

/*
 * Estimate how deep the parse tree of text nests, from its tokens, never
 * below the truth: brackets and CASE open a level; within a level, the
 * operators and keywords since the last comma, AND, OR, WHEN, THEN or ELSE
 * (whose operands are siblings) can each add one, and set operations and
 * joins, which chain across commas, always do. 1 if past PG_MAX_CHAIN, 0
 * if not, -1 if text cannot be scanned.
 */
static int
pg_too_deep(const char *text)
{
	struct pg_scan	 sc;
	struct {
		long	 ops;
		long	 kw;
		int	 cased;
	}		*lv;
	uint64_t	 start, end, tok;
	size_t		 n = 1, cap = 64;
	long		 sum = 0;
	int		 ret = 0, r = 0;

	if (pg_scan_open(&sc, text) != 0) {
		pg_scan_close(&sc);
		return (-1);
	}
	lv = xcalloc(cap, sizeof *lv);
	while (ret == 0 && (r = pg_scan_next(&sc, &start, &end, &tok)) == 1) {
		switch (tok) {
		case '(':
		case '[':
		case PG_TOK_CASE:
			if (n >= PG_MAX_LEVELS) {
				ret = 1;
				break;
			}
			if (n == cap) {
				lv = xreallocarray(lv, cap * 2, sizeof *lv);
				cap *= 2;
			}
			lv[n].ops = lv[n].kw = 0;
			lv[n].cased = tok == PG_TOK_CASE;
			n++;
			sum += 4;
			break;
		case ')':
		case ']':
		case PG_TOK_END:
			if (n > 1 && lv[n - 1].cased == (tok == PG_TOK_END)) {
				n--;
				sum -= lv[n].ops + lv[n].kw + 4;
			}
			break;
		case ',':
		case PG_TOK_AND:
		case PG_TOK_OR:
		case PG_TOK_WHEN:
		case PG_TOK_THEN:
		case PG_TOK_ELSE:
			sum -= lv[n - 1].ops;
			lv[n - 1].ops = 0;
			break;
		case PG_TOK_UNION:
		case PG_TOK_INTERSECT:
		case PG_TOK_EXCEPT:
		case PG_TOK_JOIN:
			lv[n - 1].kw++;
			sum++;
			break;
		case PG_TOK_IDENT:
		case PG_TOK_UIDENT:
		case PG_TOK_FCONST:
		case PG_TOK_SCONST:
		case PG_TOK_USCONST:
		case PG_TOK_BCONST:
		case PG_TOK_XCONST:
		case PG_TOK_ICONST:
		case PG_TOK_PARAM:
		case PG_TOK_SQL_COMMENT:
		case PG_TOK_C_COMMENT:
		case '.':
		case ';':
			break;
		default:
			lv[n - 1].ops++;
			sum++;
			break;
		}
		if (sum > PG_MAX_CHAIN)
			ret = 1;
	}
	if (ret == 0 && r != 0)
		ret = -1;
	free(lv);
	pg_scan_close(&sc);
	return (ret);
}

/* Whether pg_catalog is searched first for functions under ctx. */
static int
pg_catalog_first(const struct guard_ctx *ctx)
{
	size_t	 i;
	int	 other = 0;

	for (i = 0; i < ctx->nsearch_path; i++) {
		if (strcmp(ctx->search_path[i], "pg_catalog") == 0)
			return (!other);
		/* The temporary schema is never searched for functions. */
		if (strncmp(ctx->search_path[i], "pg_temp", 7) != 0)
			other = 1;
	}
	return (1);	/* not listed: searched implicitly, first */
}

/*
 * Relations and functions of pg_catalog (and extensions, in any schema)
 * that hold raw column values or other sessions' statements: raw-values.
 * pg_stat_activity is apart: only its query column is (pg_activity_query).
 * Sorted (strcmp).
 */
static const char *pg_raw_rels[] = {
	"pg_stat_monitor", "pg_stat_statements", "pg_statistic",
	"pg_statistic_ext_data", "pg_stats", "pg_stats_ext",
	"pg_stats_ext_exprs",
};
static const char *pg_raw_funcs[] = {
	"pg_stat_get_activity", "pg_stat_get_backend_activity",
	"pg_stat_statements",
};

/* The columns of pg_stat_activity (PostgreSQL 15) but query. Sorted. */
static const char *pg_activity_cols[] = {
	"application_name", "backend_start", "backend_type", "backend_xid",
	"backend_xmin", "client_addr", "client_hostname", "client_port",
	"datid", "datname", "leader_pid", "pid", "query_id", "query_start",
	"state", "state_change", "usename", "usesysid", "wait_event",
	"wait_event_type", "xact_start",
};

/* Whether a set of names holds s (or holds every name). */
static int
pg_names_has(const struct pg_names *set, const char *s)
{
	size_t	 i;

	if (set->every)
		return (1);
	for (i = 0; i < set->n; i++) {
		if (strcmp(set->v[i], s) == 0)
			return (1);
	}
	return (0);
}

/*
 * Add a copy of s (or nothing if NULL) to a set of names. Past
 * PG_MAX_NAMES the set holds every name: the lookups stay cheap, the
 * answers conservative.
 */
static void
pg_names_add(struct pg_names *set, const char *s)
{
	if (s == NULL || pg_names_has(set, s))
		return;
	if (set->n == PG_MAX_NAMES) {
		set->every = 1;
		return;
	}
	set->v = xreallocarray(set->v, set->n + 1, sizeof *set->v);
	set->v[set->n++] = xstrdup(s);
}

/* Free the names of a set. */
static void
pg_names_free(struct pg_names *set)
{
	size_t	 i;

	for (i = 0; i < set->n; i++)
		free(set->v[i]);
	free(set->v);
}

/*
 * The masked columns of a relation read or written under the name or
 * alias given (schema as resolved): asked of guard_ctx.masked once per
 * relation, and noted for the second pass.
 */
static void
pg_mask_rel(struct pg_walk *w, const char *schema, const char *name,
    const char *alias)
{
	const char *const	*cols;
	struct pg_mrel		*r = NULL;
	size_t			 i;

	for (i = 0; i < w->nmrels; i++) {
		r = &w->mrels[i];
		if (strcmp(r->name, name) == 0 && (r->schema == NULL ?
		    schema == NULL : schema != NULL &&
		    strcmp(r->schema, schema) == 0))
			break;
	}
	if (i == w->nmrels) {
		w->mrels = xreallocarray(w->mrels, w->nmrels + 1,
		    sizeof *w->mrels);
		r = &w->mrels[w->nmrels++];
		memset(r, 0, sizeof *r);
		r->schema = schema != NULL ? xstrdup(schema) : NULL;
		r->name = xstrdup(name);
		cols = w->ctx->masked(w->ctx->masked_arg, schema, name);
		for (i = 0; cols != NULL && cols[i] != NULL; i++) {
			if (strcmp(cols[i], "*") == 0)
				r->all = 1;
			else {
				pg_names_add(&r->cols, cols[i]);
				pg_names_add(&w->mcols, cols[i]);
			}
		}
		if (r->all || r->cols.n > 0) {
			w->nmasked++;
			cols = w->ctx->columns != NULL ?
			    w->ctx->columns(w->ctx->masked_arg, schema,
			    name) : NULL;
			if (cols == NULL)
				w->mknown.every = 1;
			for (i = 0; cols != NULL && cols[i] != NULL; i++)
				pg_names_add(&w->mknown, cols[i]);
		}
	}
	if (!r->all && r->cols.n == 0)
		return;
	pg_names_add(&w->mnames, name);
	pg_names_add(&w->mnames, alias);
	if (r->all) {
		pg_names_add(&w->mall, name);
		pg_names_add(&w->mall, alias);
	}
}

/* A relation whose name starts with pg_stat: raw values? */
static void
pg_raw_rel(struct pg_walk *w, const char *name, const char *alias)
{
	if (strcmp(name, "pg_stat_activity") == 0) {
		w->activity = 1;
		pg_names_add(&w->actnames, name);
		pg_names_add(&w->actnames, alias);
	} else if (bsearch(name, pg_raw_rels, nitems(pg_raw_rels),
	    sizeof *pg_raw_rels, pg_name_cmp) != NULL)
		w->f->flags |= GF_RAW_VALUES;
}

/*
 * Add a relation (alias: as the statement calls it, or NULL), resolving an
 * unqualified name under the search path.
 */
static void
pg_rel(struct pg_walk *w, const char *schema, const char *name,
    const char *alias, unsigned int access)
{
	char	*resolved = NULL;

	if (schema == NULL && w->ctx->resolve != NULL &&
	    w->ctx->resolve(w->ctx->resolve_arg, name, w->ctx->search_path,
	    w->ctx->nsearch_path, &resolved) == 0)
		schema = resolved;
	guard_add_rel(w->f, schema, name, access);
	if (strncmp(name, "pg_stat", 7) == 0)
		pg_raw_rel(w, name, alias);
	if (w->ctx->masked != NULL)
		pg_mask_rel(w, schema, name, alias);
	free(resolved);
}

/* Whether an unqualified name refers to a CTE in scope. */
static int
pg_is_cte(struct pg_walk *w, const char *name)
{
	size_t	 i;

	for (i = w->nctes; i > w->ctebase; i--) {
		if (strcmp(w->ctes[i - 1], name) == 0)
			return (1);
	}
	return (0);
}

/* Bring a CTE name into scope. */
static void
pg_cte_push(struct pg_walk *w, const char *name)
{
	if (name == NULL)
		return;
	if (w->nctes == w->ctecap) {
		w->ctecap = w->ctecap == 0 ? 8 : w->ctecap * 2;
		w->ctes = xreallocarray(w->ctes, w->ctecap, sizeof *w->ctes);
	}
	w->ctes[w->nctes++] = name;
}

/* A RangeVar (wrapped or not): a relation, unless it names a CTE. */
static void
pg_rangevar(struct pg_walk *w, json_t *rv, unsigned int access)
{
	const char	*name, *schema;
	json_t		*b;

	if ((b = pg_body(rv, "RangeVar")) != NULL)
		rv = b;
	if ((name = pg_str(rv, "relname")) == NULL)
		return;
	schema = pg_str(rv, "schemaname");
	/* Only reads can name a CTE; a DML target is always a table. */
	if (schema == NULL && access == GUARD_READ && pg_is_cte(w, name))
		return;
	pg_rel(w, schema, name, pg_str(json_object_get(rv, "alias"),
	    "aliasname"), access);
}

/* Add a relation named by a list of String nodes (DROP TABLE a.b). */
static void
pg_rel_names(struct pg_walk *w, json_t *names, unsigned int access)
{
	json_t		*b;
	const char	*name, *schema = NULL;
	size_t		 n;

	if ((b = pg_body(names, "List")) != NULL)
		names = json_object_get(b, "items");
	if ((n = json_array_size(names)) == 0)
		return;
	if ((name = pg_string(json_array_get(names, n - 1))) == NULL)
		return;
	if (n >= 2)
		schema = pg_string(json_array_get(names, n - 2));
	pg_rel(w, schema, name, NULL, access);
}

/* Walk the fields of an object, but those named in skip (NULL-ended). */
static void
pg_fields(struct pg_walk *w, json_t *o, unsigned int access,
    const char *const *skip)
{
	const char	*key;
	json_t		*v;
	size_t		 i;

	json_object_foreach(o, key, v) {
		if (w->stop)
			return;
		if (!json_is_object(v) && !json_is_array(v))
			continue;
		for (i = 0; skip != NULL && skip[i] != NULL; i++) {
			if (strcmp(key, skip[i]) == 0)
				break;
		}
		if (skip == NULL || skip[i] == NULL)
			pg_value(w, v, access);
	}
}

/* The scope of a WITH clause: walk the CTE bodies, names into scope. */
static void
pg_with(struct pg_walk *w, json_t *with)
{
	json_t		*ctes, *c, *b;
	size_t		 i;
	int		 rec;

	if (with == NULL)
		return;
	rec = pg_true(with, "recursive");
	ctes = json_object_get(with, "ctes");
	if (rec) {
		/* WITH RECURSIVE: every name is visible in every body. */
		json_array_foreach(ctes, i, c) {
			if ((b = pg_body(c, "CommonTableExpr")) != NULL)
				pg_cte_push(w, pg_str(b, "ctename"));
		}
	}
	json_array_foreach(ctes, i, c) {
		if ((b = pg_body(c, "CommonTableExpr")) == NULL) {
			pg_value(w, c, GUARD_READ);
			continue;
		}
		pg_value(w, json_object_get(b, "ctequery"), GUARD_READ);
		if (!rec)
			pg_cte_push(w, pg_str(b, "ctename"));
	}
}

/* Parse a bool the way PostgreSQL's boolin does: 1, 0, or -1. */
static int
pg_parse_bool(const char *s)
{
	size_t	 n;

	while (*s == ' ' || *s == '\t' || *s == '\n' || *s == '\r')
		s++;
	n = strlen(s);
	while (n > 0 && (s[n - 1] == ' ' || s[n - 1] == '\t' ||
	    s[n - 1] == '\n' || s[n - 1] == '\r'))
		n--;
	if (n == 0)
		return (-1);
	if (strncasecmp(s, "true", n) == 0 && n <= 4)
		return (1);
	if (strncasecmp(s, "false", n) == 0 && n <= 5)
		return (0);
	if (strncasecmp(s, "yes", n) == 0 && n <= 3)
		return (1);
	if (strncasecmp(s, "no", n) == 0 && n <= 2)
		return (0);
	if (n >= 2 && strncasecmp(s, "on", n) == 0 && n <= 2)
		return (1);
	if (n >= 2 && strncasecmp(s, "off", n) == 0 && n <= 3)
		return (0);
	if (n == 1 && (*s == '1' || *s == '0'))
		return (*s == '1');
	return (-1);
}

/* A value as a boolean: PGV_BOOL, PGV_NULL or PGV_UNKNOWN. */
static struct pg_val
pg_logic(struct pg_val v)
{
	struct pg_val	 r = { PGV_UNKNOWN, 0, NULL };
	int		 b;

	switch (v.t) {
	case PGV_BOOL:
	case PGV_NULL:
		return (v);
	case PGV_INT:
		r.t = PGV_BOOL;
		r.i = v.i != 0;
		break;
	case PGV_STR:
		if ((b = pg_parse_bool(v.s)) >= 0) {
			r.t = PGV_BOOL;
			r.i = b;
		}
		break;
	case PGV_UNKNOWN:
		break;
	}
	return (r);
}

/* A string as an integer constant. 0, or -1. */
static int
pg_parse_int(const char *s, long long *v)
{
	char	*end;

	if (*s == '\0')
		return (-1);
	*v = strtoll(s, &end, 10);
	return (*end == '\0' ? 0 : -1);
}

/* A boolean value. */
static struct pg_val
pg_bool_val(int b)
{
	struct pg_val	 r = { PGV_BOOL, 0, NULL };

	r.i = b != 0;
	return (r);
}

/* Compare two constants with a comparison operator. */
static struct pg_val
pg_compare(const char *op, struct pg_val a, struct pg_val b)
{
	struct pg_val	 u = { PGV_UNKNOWN, 0, NULL };
	long long	 c;

	if (a.t == PGV_UNKNOWN || b.t == PGV_UNKNOWN)
		return (u);
	if (a.t == PGV_NULL || b.t == PGV_NULL) {
		u.t = PGV_NULL;
		return (u);
	}
	/* An untyped string literal takes the other side's type. */
	if (a.t == PGV_STR && b.t != PGV_STR) {
		if (b.t == PGV_BOOL)
			a = pg_logic(a);
		else if (pg_parse_int(a.s, &a.i) == 0)
			a.t = PGV_INT;
	}
	if (b.t == PGV_STR && a.t != PGV_STR) {
		if (a.t == PGV_BOOL)
			b = pg_logic(b);
		else if (pg_parse_int(b.s, &b.i) == 0)
			b.t = PGV_INT;
	}
	if (a.t != b.t || a.t == PGV_UNKNOWN)
		return (u);
	if (a.t == PGV_STR)
		c = strcmp(a.s, b.s);
	else
		c = a.i < b.i ? -1 : a.i > b.i;
	if (strcmp(op, "=") == 0)
		return (pg_bool_val(c == 0));
	if (strcmp(op, "<>") == 0 || strcmp(op, "!=") == 0)
		return (pg_bool_val(c != 0));
	if (strcmp(op, "<") == 0)
		return (pg_bool_val(c < 0));
	if (strcmp(op, "<=") == 0)
		return (pg_bool_val(c <= 0));
	if (strcmp(op, ">") == 0)
		return (pg_bool_val(c > 0));
	if (strcmp(op, ">=") == 0)
		return (pg_bool_val(c >= 0));
	return (u);
}

/*
 * Whether two expressions are written the same (but where they are), and
 * hold a column: then x = x, x <= x, x IS NOT DISTINCT FROM x hold for
 * every row that is not NULL there.
 */
static int
pg_same_tree(json_t *a, json_t *b, int depth)
{
	const char	*key;
	json_t		*x;
	size_t		 i;

	if (depth > 64)
		return (0);
	if (json_is_object(a)) {
		if (!json_is_object(b) ||
		    json_object_size(a) != json_object_size(b))
			return (0);
		json_object_foreach(a, key, x) {
			if (strcmp(key, "location") != 0 &&
			    !pg_same_tree(x, json_object_get(b, key),
			    depth + 1))
				return (0);
		}
		return (1);
	}
	if (json_is_array(a)) {
		if (!json_is_array(b) ||
		    json_array_size(a) != json_array_size(b))
			return (0);
		json_array_foreach(a, i, x) {
			if (!pg_same_tree(x, json_array_get(b, i), depth + 1))
				return (0);
		}
		return (1);
	}
	return (json_equal(a, b));
}

static int	pg_has_column(json_t *, int);

/* Whether a and b are the same expression over a column. */
static int
pg_same_expr(json_t *a, json_t *b)
{
	return (a != NULL && b != NULL && pg_same_tree(a, b, 0) &&
	    pg_has_column(a, 0));
}

/* Fold an operator expression (A_Expr) over constants. */
static struct pg_val
pg_eval_aexpr(json_t *b, int depth)
{
	struct pg_val	 u = { PGV_UNKNOWN, 0, NULL }, l, r, e;
	json_t		*name, *rexpr, *item;
	const char	*kind, *op;
	size_t		 i, n;
	int		 unknown = 0, isnull = 0;

	kind = pg_str(b, "kind");
	name = json_object_get(b, "name");
	n = json_array_size(name);
	if (kind == NULL || n == 0 ||
	    (op = pg_string(json_array_get(name, n - 1))) == NULL)
		return (u);
	if (n == 2 && (pg_string(json_array_get(name, 0)) == NULL ||
	    strcmp(pg_string(json_array_get(name, 0)), "pg_catalog") != 0))
		return (u);
	if (n > 2)
		return (u);
	rexpr = json_object_get(b, "rexpr");
	if (strcmp(kind, "AEXPR_OP") == 0) {
		if (json_object_get(b, "lexpr") == NULL) {
			r = pg_eval(rexpr, depth + 1);
			if (strcmp(op, "-") == 0 && r.t == PGV_INT &&
			    r.i != INT64_MIN) {
				r.i = -r.i;
				return (r);
			}
			return (u);
		}
		if (pg_same_expr(json_object_get(b, "lexpr"), rexpr)) {
			if (strcmp(op, "=") == 0 || strcmp(op, "<=") == 0 ||
			    strcmp(op, ">=") == 0)
				return (pg_bool_val(1));
			if (strcmp(op, "<>") == 0 || strcmp(op, "<") == 0 ||
			    strcmp(op, ">") == 0)
				return (pg_bool_val(0));
		}
		l = pg_eval(json_object_get(b, "lexpr"), depth + 1);
		r = pg_eval(rexpr, depth + 1);
		if ((strcmp(op, "+") == 0 || strcmp(op, "-") == 0 ||
		    strcmp(op, "*") == 0) && l.t == PGV_INT &&
		    r.t == PGV_INT) {
			e.t = PGV_INT;
			e.s = NULL;
			if ((*op == '+' &&
			    __builtin_add_overflow(l.i, r.i, &e.i)) ||
			    (*op == '-' &&
			    __builtin_sub_overflow(l.i, r.i, &e.i)) ||
			    (*op == '*' &&
			    __builtin_mul_overflow(l.i, r.i, &e.i)))
				return (u);
			return (e);
		}
		return (pg_compare(op, l, r));
	}
	if ((strcmp(kind, "AEXPR_NOT_DISTINCT") == 0 ||
	    strcmp(kind, "AEXPR_DISTINCT") == 0) && strcmp(op, "=") == 0) {
		if (pg_same_expr(json_object_get(b, "lexpr"), rexpr))
			return (pg_bool_val(kind[6] == 'N'));
		l = pg_eval(json_object_get(b, "lexpr"), depth + 1);
		r = pg_eval(rexpr, depth + 1);
		if (l.t == PGV_UNKNOWN || r.t == PGV_UNKNOWN)
			return (u);
		if (l.t == PGV_NULL || r.t == PGV_NULL)
			e = pg_bool_val(l.t == r.t);
		else if ((e = pg_compare("=", l, r)).t != PGV_BOOL)
			return (u);
		return (pg_bool_val(kind[6] == 'N' ? e.i : !e.i));
	}
	if (strcmp(kind, "AEXPR_IN") == 0 && json_is_array(rexpr)) {
		l = pg_eval(json_object_get(b, "lexpr"), depth + 1);
		json_array_foreach(rexpr, i, item) {
			e = pg_compare("=", l, pg_eval(item, depth + 1));
			if (e.t == PGV_BOOL && e.i)
				return (pg_bool_val(strcmp(op, "=") == 0));
			if (e.t == PGV_NULL)
				isnull = 1;
			else if (e.t != PGV_BOOL)
				unknown = 1;
		}
		if (unknown)
			return (u);
		if (isnull) {
			u.t = PGV_NULL;
			return (u);
		}
		return (pg_bool_val(strcmp(op, "=") != 0));
	}
	return (u);
}

/* Whether a list of OR'd terms holds x IS NULL and x IS NOT NULL. */
static int
pg_null_either(json_t *args)
{
	json_t		*a, *b;
	const char	*ta, *tb;
	size_t		 i, k, n;

	if ((n = json_array_size(args)) > 64)
		return (0);
	for (i = 0; i < n; i++) {
		a = pg_body(json_array_get(args, i), "NullTest");
		if (a == NULL || (ta = pg_str(a, "nulltesttype")) == NULL)
			continue;
		for (k = i + 1; k < n; k++) {
			if ((b = pg_body(json_array_get(args, k),
			    "NullTest")) != NULL &&
			    (tb = pg_str(b, "nulltesttype")) != NULL &&
			    strcmp(ta, tb) != 0 &&
			    pg_same_expr(json_object_get(a, "arg"),
			    json_object_get(b, "arg")))
				return (1);
		}
	}
	return (0);
}

/*
 * Fold an expression over constants, as far as the simple cases go
 * (WHERE true, 1=1, 'a'='a', NOT false, true OR x, 1 IN (1), NULL IS
 * NULL, EXISTS (SELECT 1), casts); anything else is PGV_UNKNOWN.
 */
static struct pg_val
pg_eval(json_t *v, int depth)
{
	struct pg_val	 u = { PGV_UNKNOWN, 0, NULL }, r, a;
	const char	*type, *op, *tn;
	json_t		*b, *x, *args, *sub, *tl;
	size_t		 i, n;
	int		 sawnull = 0, sawunknown = 0, want;

	if (depth > 64 || !pg_wrapped(v, &type, &b))
		return (u);
	if (strcmp(type, "A_Const") == 0) {
		if (pg_true(b, "isnull")) {
			u.t = PGV_NULL;
			return (u);
		}
		if ((x = json_object_get(b, "ival")) != NULL) {
			r.t = PGV_INT;
			r.s = NULL;
			r.i = json_integer_value(json_object_get(x, "ival"));
			return (r);
		}
		if ((x = json_object_get(b, "boolval")) != NULL)
			return (pg_bool_val(pg_true(x, "boolval")));
		if ((x = json_object_get(b, "sval")) != NULL) {
			r.t = PGV_STR;
			r.i = 0;
			if ((r.s = pg_str(x, "sval")) == NULL)
				r.s = "";
			return (r);
		}
		return (u);
	}
	if (strcmp(type, "TypeCast") == 0) {
		r = pg_eval(json_object_get(b, "arg"), depth + 1);
		x = json_object_get(json_object_get(b, "typeName"), "names");
		n = json_array_size(x);
		if (n == 0 || (tn = pg_string(json_array_get(x, n - 1))) ==
		    NULL || json_object_get(json_object_get(b, "typeName"),
		    "arrayBounds") != NULL)
			return (u);
		if (strcmp(tn, "bool") == 0 || strcmp(tn, "boolean") == 0)
			return (pg_logic(r));
		if (strcmp(tn, "int2") == 0 || strcmp(tn, "int4") == 0 ||
		    strcmp(tn, "int8") == 0) {
			if (r.t == PGV_STR && pg_parse_int(r.s, &r.i) == 0)
				r.t = PGV_INT;
			return (r.t == PGV_INT || r.t == PGV_NULL ? r : u);
		}
		if (strcmp(tn, "text") == 0 || strcmp(tn, "varchar") == 0)
			return (r.t == PGV_STR || r.t == PGV_NULL ? r : u);
		return (u);
	}
	if (strcmp(type, "A_Expr") == 0)
		return (pg_eval_aexpr(b, depth));
	if (strcmp(type, "BoolExpr") == 0) {
		op = pg_str(b, "boolop");
		args = json_object_get(b, "args");
		if (op == NULL || json_array_size(args) == 0)
			return (u);
		if (strcmp(op, "NOT_EXPR") == 0) {
			r = pg_logic(pg_eval(json_array_get(args, 0),
			    depth + 1));
			if (r.t == PGV_BOOL)
				r.i = !r.i;
			return (r);
		}
		/* The value that decides: true for OR, false for AND. */
		want = strcmp(op, "OR_EXPR") == 0;
		if (!want && strcmp(op, "AND_EXPR") != 0)
			return (u);
		if (want && pg_null_either(args))
			return (pg_bool_val(1));
		json_array_foreach(args, i, x) {
			a = pg_logic(pg_eval(x, depth + 1));
			if (a.t == PGV_BOOL && a.i == want)
				return (pg_bool_val(want));
			if (a.t == PGV_NULL)
				sawnull = 1;
			else if (a.t != PGV_BOOL)
				sawunknown = 1;
		}
		if (sawunknown)
			return (u);
		if (sawnull) {
			u.t = PGV_NULL;
			return (u);
		}
		return (pg_bool_val(!want));
	}
	if (strcmp(type, "NullTest") == 0) {
		r = pg_eval(json_object_get(b, "arg"), depth + 1);
		op = pg_str(b, "nulltesttype");
		if (r.t == PGV_UNKNOWN || op == NULL)
			return (u);
		return (pg_bool_val((r.t == PGV_NULL) ==
		    (strcmp(op, "IS_NULL") == 0)));
	}
	if (strcmp(type, "BooleanTest") == 0) {
		r = pg_logic(pg_eval(json_object_get(b, "arg"), depth + 1));
		op = pg_str(b, "booltesttype");
		if (r.t == PGV_UNKNOWN || op == NULL)
			return (u);
		if (strcmp(op, "IS_TRUE") == 0)
			return (pg_bool_val(r.t == PGV_BOOL && r.i));
		if (strcmp(op, "IS_NOT_TRUE") == 0)
			return (pg_bool_val(!(r.t == PGV_BOOL && r.i)));
		if (strcmp(op, "IS_FALSE") == 0)
			return (pg_bool_val(r.t == PGV_BOOL && !r.i));
		if (strcmp(op, "IS_NOT_FALSE") == 0)
			return (pg_bool_val(!(r.t == PGV_BOOL && !r.i)));
		if (strcmp(op, "IS_UNKNOWN") == 0)
			return (pg_bool_val(r.t == PGV_NULL));
		if (strcmp(op, "IS_NOT_UNKNOWN") == 0)
			return (pg_bool_val(r.t != PGV_NULL));
		return (u);
	}
	if (strcmp(type, "CoalesceExpr") == 0) {
		json_array_foreach(json_object_get(b, "args"), i, x) {
			r = pg_eval(x, depth + 1);
			if (r.t != PGV_NULL)
				return (r);
		}
		u.t = PGV_NULL;
		return (u);
	}
	if (strcmp(type, "SubLink") == 0) {
		/* A subquery without FROM: EXISTS (SELECT 1), (SELECT true). */
		op = pg_str(b, "subLinkType");
		sub = pg_body(json_object_get(b, "subselect"), "SelectStmt");
		if (op == NULL || sub == NULL)
			return (u);
		tl = json_object_get(sub, "targetList");
		json_object_foreach(sub, tn, x) {
			if (strcmp(tn, "targetList") != 0 &&
			    strcmp(tn, "limitOption") != 0 &&
			    strcmp(tn, "op") != 0)
				return (u);
		}
		if (strcmp(op, "EXISTS_SUBLINK") == 0)
			return (pg_bool_val(1));
		if (strcmp(op, "EXPR_SUBLINK") == 0 &&
		    json_array_size(tl) == 1 &&
		    (x = pg_body(json_array_get(tl, 0), "ResTarget")) != NULL)
			return (pg_eval(json_object_get(x, "val"), depth + 1));
		return (u);
	}
	return (u);
}

/* Whether v holds a column reference (or WHERE CURRENT OF) anywhere. */
static int
pg_has_column(json_t *v, int depth)
{
	const char	*key;
	json_t		*x;
	size_t		 i;

	if (depth > 2048)
		return (1);
	if (json_is_array(v)) {
		json_array_foreach(v, i, x) {
			if (pg_has_column(x, depth + 1))
				return (1);
		}
	} else if (json_is_object(v)) {
		json_object_foreach(v, key, x) {
			if (strcmp(key, "ColumnRef") == 0 ||
			    strcmp(key, "CurrentOfExpr") == 0 ||
			    pg_has_column(x, depth + 1))
				return (1);
		}
	}
	return (0);
}

/*
 * Whether a WHERE clause (or MERGE join condition) lets a write reach
 * every row: there is none, it folds to true, or it names no column (so
 * it is the same for every row) and does not fold to false.
 */
static int
pg_where_all(json_t *where)
{
	struct pg_val	 v;

	if (where == NULL)
		return (1);
	v = pg_logic(pg_eval(where, 0));
	if (v.t == PGV_BOOL)
		return (v.i != 0);
	if (v.t == PGV_NULL)
		return (0);
	return (!pg_has_column(where, 0));
}

/* Note that a pinned setting changes (the first one named is kept). */
static void
pg_pinned(struct pg_walk *w, const char *name)
{
	w->f->flags |= GF_PINNED;
	if (w->f->setting == NULL)
		w->f->setting = xstrdup(name);
}

/*
 * The facts of changing setting name; truth: the new value is true (1),
 * false (0), or not known or a reset (-1). The caller tracks search_path.
 */
static void
pg_setting(struct pg_walk *w, const char *name, int truth)
{
	const char	*p;
	size_t		 i;

	if ((p = pg_in_list(name, pg_pinned_settings,
	    nitems(pg_pinned_settings))) != NULL)
		pg_pinned(w, p);
	if ((p = pg_in_list(name, pg_pinned_read_only,
	    nitems(pg_pinned_read_only))) != NULL) {
		if (truth != 1)
			w->f->flags |= GF_READ_WRITE;
		if (w->ctx->read_only)
			pg_pinned(w, p);
	}
	if (strcasecmp(name, "role") == 0 ||
	    strcasecmp(name, "session_authorization") == 0)
		w->f->flags |= GF_PRIVILEGE;
	for (i = 0; i < nitems(pg_server_settings); i++) {
		if (pg_server_settings[i].prefix ?
		    strncasecmp(name, pg_server_settings[i].name,
		    strlen(pg_server_settings[i].name)) == 0 :
		    strcasecmp(name, pg_server_settings[i].name) == 0)
			w->f->flags |= GF_SERVER_CONFIG;
	}
	if (strcasecmp(name, "search_path") == 0)
		w->f->flags |= GF_CONTEXT;
}

/* Back to the default search path ("$user", public). */
static void
pg_path_default(struct guard_ctx *ctx)
{
	static char *const	 path[] = { "$user", "public" };

	guard_ctx_set_search_path(ctx, path, nitems(path));
}

/*
 * A search path dbgate cannot know (set from an expression): a schema that
 * cannot be resolved, before pg_catalog, so no unqualified function is
 * trusted.
 */
static void
pg_path_unknown(struct guard_ctx *ctx)
{
	static char *const	 path[] = { "(unknown)", "pg_catalog" };

	guard_ctx_set_search_path(ctx, path, nitems(path));
}

/*
 * Set the search path from a string value, read as PostgreSQL reads a
 * list of identifiers (set_config('search_path', 'a, "B"', false)).
 */
static void
pg_path_string(struct guard_ctx *ctx, const char *s)
{
	struct buf	 b;
	char		**list = NULL;
	size_t		 n = 0, i;

	buf_init(&b);
	while (isspace((unsigned char)*s))
		s++;
	while (*s != '\0') {
		buf_reset(&b);
		if (*s == '"') {
			for (s++; *s != '"' || s[1] == '"'; s++) {
				if (*s == '\0')
					goto bad;
				if (*s == '"')
					s++;
				buf_addc(&b, *s);
			}
			s++;
		} else {
			for (; *s != '\0' && *s != ',' &&
			    !isspace((unsigned char)*s); s++)
				buf_addc(&b, *s >= 'A' && *s <= 'Z' ?
				    *s - 'A' + 'a' : *s);
		}
		if (b.len == 0)
			goto bad;
		list = xreallocarray(list, n + 1, sizeof *list);
		list[n++] = xstrdup(buf_cstr(&b));
		while (isspace((unsigned char)*s))
			s++;
		if (*s == ',') {
			s++;
			while (isspace((unsigned char)*s))
				s++;
			if (*s == '\0')
				goto bad;
		} else if (*s != '\0')
			goto bad;
	}
	guard_ctx_set_search_path(ctx, list, n);
	goto out;
bad:
	pg_path_unknown(ctx);
out:
	for (i = 0; i < n; i++)
		free(list[i]);
	free(list);
	buf_free(&b);
}

/* set_config(name, value, is_local). */
static void
pg_set_config(struct pg_walk *w, json_t *args)
{
	const char	*name, *val;

	if ((name = pg_const_string(json_array_get(args, 0))) == NULL) {
		/* Any setting at all: fail closed. */
		pg_pinned(w, "set_config with a name computed at run time");
		w->f->flags |= GF_PRIVILEGE | GF_CONTEXT | GF_READ_WRITE;
		pg_path_unknown(w->ctx);
		return;
	}
	val = pg_const_string(json_array_get(args, 1));
	pg_setting(w, name, val != NULL ? pg_parse_bool(val) : -1);
	if (strcasecmp(name, "search_path") == 0) {
		if (val != NULL)
			pg_path_string(w->ctx, val);
		else
			pg_path_unknown(w->ctx);
	}
}

/*
 * A function called (schema may be NULL): trusted if on the allow-list and
 * certainly pg_catalog's; the effects of those dbgate knows.
 */
static void
pg_func_named(struct pg_walk *w, const char *schema, const char *name,
    json_t *args)
{
	size_t		 i, len;
	int		 trusted, safe;

	if (strncmp(name, "pg_stat", 7) == 0 && bsearch(name, pg_raw_funcs,
	    nitems(pg_raw_funcs), sizeof *pg_raw_funcs, pg_name_cmp) != NULL)
		w->f->flags |= GF_RAW_VALUES;
	if (schema != NULL)
		trusted = strcmp(schema, "pg_catalog") == 0;
	else
		trusted = pg_catalog_first(w->ctx);
	safe = bsearch(name, pg_safe_funcs, nitems(pg_safe_funcs),
	    sizeof *pg_safe_funcs, pg_name_cmp) != NULL;
	guard_add_func(w->f, schema, name, !(trusted && safe));
	if (trusted && safe)
		return;
	w->f->flags |= GF_OPAQUE;
	if (safe)
		return;
	for (i = 0; i < nitems(pg_effects); i++) {
		len = strlen(pg_effects[i].name);
		if (pg_effects[i].prefix ? strncmp(name, pg_effects[i].name,
		    len) == 0 : strcmp(name, pg_effects[i].name) == 0)
			w->f->flags |= pg_effects[i].flags;
	}
	if (strcmp(name, "pg_notify") == 0)
		guard_add_kind(w->f, KIND_NOTIFY);
	else if (strcmp(name, "set_config") == 0)
		pg_set_config(w, args);
}

/* A function called, named by a list of String nodes. */
static void
pg_func(struct pg_walk *w, json_t *names, json_t *args)
{
	const char	*name, *schema = NULL;
	size_t		 n;

	n = json_array_size(names);
	if (n == 0 || (name = pg_string(json_array_get(names, n - 1))) ==
	    NULL) {
		pg_fail(w, "cannot read the name of a function called");
		return;
	}
	if (n >= 2 && (schema = pg_string(json_array_get(names, n - 2))) ==
	    NULL) {
		pg_fail(w, "cannot read the schema of function %s", name);
		return;
	}
	pg_func_named(w, schema, name, args);
}

/* Whether name is a function with effects dbgate knows. */
static int
pg_effect_name(const char *name)
{
	size_t	 i, len;

	for (i = 0; i < nitems(pg_effects); i++) {
		len = strlen(pg_effects[i].name);
		if (pg_effects[i].prefix ? strncmp(name, pg_effects[i].name,
		    len) == 0 : strcmp(name, pg_effects[i].name) == 0)
			return (1);
	}
	return (strcmp(name, "set_config") == 0 ||
	    strcmp(name, "pg_notify") == 0);
}

/*
 * A field selected, x.name or (x).name: PostgreSQL calls function name(x)
 * when x has no such field (functional notation), even on a scalar:
 * ('PG_VERSION'::text).pg_read_file reads a file. A field named like a
 * function with effects is taken as that call; a field of a constant or a
 * cast (which no composite of a field of that name can be, as casts to
 * types outside pg_catalog are opaque anyway) is always a call.
 */
static void
pg_field_call(struct pg_walk *w, const char *name, int scalar)
{
	if (scalar || pg_effect_name(name))
		pg_func_named(w, NULL, name, NULL);
}

/* A function named by a list of String nodes that runs invisible code. */
static void
pg_func_opaque(struct pg_walk *w, json_t *names)
{
	const char	*name, *schema = NULL;
	size_t		 n;

	n = json_array_size(names);
	if (n == 0 || (name = pg_string(json_array_get(names, n - 1))) ==
	    NULL) {
		pg_fail(w, "cannot read the name of a function called");
		return;
	}
	if (n >= 2)
		schema = pg_string(json_array_get(names, n - 2));
	guard_add_func(w->f, schema, name, 1);
	w->f->flags |= GF_OPAQUE;
}

/* Whether pg_catalog is searched before any schema for type names. */
static int
pg_types_catalog_first(const struct guard_ctx *ctx)
{
	size_t	 i;

	for (i = 0; i < ctx->nsearch_path; i++) {
		if (strcmp(ctx->search_path[i], "pg_catalog") == 0)
			return (i == 0);
	}
	return (1);
}

/*
 * Whether a type named (an unwrapped TypeName) is one of pg_catalog's
 * that runs no code but the server's: 1, 0 (and its *schema, *name), or
 * -1 if dbgate cannot read the name.
 */
static int
pg_type_trusted(const struct guard_ctx *ctx, json_t *tn, const char **schema,
    const char **name)
{
	json_t		*names;
	size_t		 n;
	int		 trusted;

	*name = *schema = NULL;
	names = json_object_get(tn, "names");
	if ((n = json_array_size(names)) > 0)
		*name = pg_string(json_array_get(names, n - 1));
	if (n >= 2)
		*schema = pg_string(json_array_get(names, n - 2));
	if (*name == NULL || n > 3 || (n >= 2 && *schema == NULL) ||
	    pg_true(tn, "pct_type"))
		return (-1);
	if (*schema != NULL)
		trusted = strcmp(*schema, "pg_catalog") == 0;
	else
		trusted = pg_types_catalog_first(ctx);
	return (trusted && bsearch(*name, pg_catalog_types,
	    nitems(pg_catalog_types), sizeof *pg_catalog_types,
	    pg_name_cmp) != NULL);
}

/*
 * A type named (an unwrapped TypeName): a type outside pg_catalog's, or
 * one that a schema before pg_catalog could shadow, may run code dbgate
 * cannot see when a value is cast to it (a domain's CHECK, a user's cast
 * or input function).
 */
static void
pg_typename(struct pg_walk *w, json_t *tn)
{
	const char	*name, *schema;

	if (!json_is_object(tn))
		return;
	switch (pg_type_trusted(w->ctx, tn, &schema, &name)) {
	case -1:
		/* %TYPE, or a name dbgate cannot read. */
		w->f->flags |= GF_OPAQUE;
		break;
	case 0:
		guard_add_func(w->f, schema, name, 1);
		w->f->flags |= GF_OPAQUE;
		break;
	}
}

/*
 * An operator named by a list of String nodes: trusted if pg_catalog has
 * one of that name and is certainly the schema it is found in.
 */
static void
pg_operator(struct pg_walk *w, json_t *names)
{
	const char	*op, *schema = NULL;
	size_t		 n;
	int		 trusted;

	if ((n = json_array_size(names)) == 0)
		return;
	if ((op = pg_string(json_array_get(names, n - 1))) == NULL) {
		pg_fail(w, "cannot read the name of an operator");
		return;
	}
	if (n >= 2)
		schema = pg_string(json_array_get(names, n - 2));
	if (n >= 2)
		trusted = schema != NULL && strcmp(schema, "pg_catalog") == 0;
	else
		trusted = pg_catalog_first(w->ctx);
	if (!trusted || bsearch(op, pg_catalog_ops, nitems(pg_catalog_ops),
	    sizeof *pg_catalog_ops, pg_name_cmp) == NULL)
		pg_func_opaque(w, names);
}

/* The truth of a DefElem argument (options): absent is true. */
static int
pg_def_bool(json_t *arg)
{
	json_t		*b;
	const char	*s;
	int		 r;

	if (arg == NULL)
		return (1);
	if ((b = pg_body(arg, "Boolean")) != NULL)
		return (pg_true(b, "boolval"));
	if ((b = pg_body(arg, "Integer")) != NULL)
		return (json_integer_value(json_object_get(b, "ival")) != 0);
	if ((s = pg_string(arg)) != NULL && (r = pg_parse_bool(s)) >= 0)
		return (r);
	return (-1);
}

/* The value of DefElem defname in a list of DefElems, or NULL. */
static json_t *
pg_def(json_t *list, const char *defname, int *found)
{
	json_t		*x, *b;
	const char	*n;
	size_t		 i;

	*found = 0;
	json_array_foreach(list, i, x) {
		if ((b = pg_body(x, "DefElem")) != NULL &&
		    (n = pg_str(b, "defname")) != NULL &&
		    strcmp(n, defname) == 0) {
			*found = 1;
			return (json_object_get(b, "arg"));
		}
	}
	return (NULL);
}

/* Start a function body's context: the session's search path only. */
static void
pg_ctx_copy(struct guard_ctx *dst, const struct guard_ctx *src)
{
	guard_ctx_init(dst, SQL_POSTGRESQL);
	guard_ctx_set_search_path(dst, src->search_path, src->nsearch_path);
	dst->server_version = src->server_version;
	dst->read_only = src->read_only;
	dst->resolve = src->resolve;
	dst->resolve_arg = src->resolve_arg;
	dst->masked = src->masked;
	dst->masked_arg = src->masked_arg;
}

/* SET, SET LOCAL, RESET; session: it changes this session's context. */
static void
pg_set(struct pg_walk *w, json_t *b, int session)
{
	struct pg_val	 v;
	const char	*kind, *name, *s;
	char		**path;
	json_t		*args, *x, *y;
	size_t		 i, n;
	int		 truth = -1, found;

	guard_add_kind(w->f, KIND_SET);
	kind = pg_str(b, "kind");
	name = pg_str(b, "name");
	args = json_object_get(b, "args");
	if (kind == NULL) {
		pg_fail(w, "cannot read a SET statement");
		return;
	}
	/* A function's RESET drops its own setting: the session's stays. */
	if (!session && (strcmp(kind, "VAR_RESET_ALL") == 0 ||
	    strcmp(kind, "VAR_RESET") == 0 ||
	    strcmp(kind, "VAR_SET_DEFAULT") == 0))
		return;
	if (strcmp(kind, "VAR_RESET_ALL") == 0) {
		pg_pinned(w, "all");
		w->f->flags |= GF_CONTEXT | GF_READ_WRITE;
		if (session)
			pg_path_default(w->ctx);
		return;
	}
	if (strcmp(kind, "VAR_SET_MULTI") == 0) {
		/* SET TRANSACTION, SET SESSION CHARACTERISTICS AS ... */
		x = pg_def(args, "transaction_read_only", &found);
		v = pg_logic(pg_eval(x, 0));
		if (found && (v.t != PGV_BOOL || v.i != 1))
			w->f->flags |= GF_READ_WRITE;
		return;
	}
	if (name == NULL) {
		pg_fail(w, "cannot read the name of a setting");
		return;
	}
	if (strcmp(kind, "VAR_SET_VALUE") == 0 && json_array_size(args) == 1) {
		v = pg_logic(pg_eval(json_array_get(args, 0), 0));
		if (v.t == PGV_BOOL)
			truth = (int)v.i;
	}
	pg_setting(w, name, truth);
	if (!session || strcasecmp(name, "search_path") != 0)
		return;
	if (strcmp(kind, "VAR_SET_DEFAULT") == 0 ||
	    strcmp(kind, "VAR_RESET") == 0) {
		pg_path_default(w->ctx);
		return;
	}
	if (strcmp(kind, "VAR_SET_VALUE") != 0)
		return;
	/* Each value is one schema name, even 'a, b' (and '' is ""). */
	n = json_array_size(args);
	path = xcalloc(n + 1, sizeof *path);
	json_array_foreach(args, i, y) {
		if ((s = pg_const_string(y)) == NULL)
			break;
		path[i] = xstrdup(s);
	}
	if (i == n)
		guard_ctx_set_search_path(w->ctx, path, n);
	else
		pg_path_unknown(w->ctx);
	for (i = 0; i < n; i++)
		free(path[i]);
	free(path);
}

/* SELECT, VALUES, and each side of a set operation. */
static void
pg_select(struct pg_walk *w, json_t *b)
{
	static const char *const skip[] = {
		"withClause", "intoClause", "larg", "rarg", NULL
	};
	json_t	*into, *side;
	size_t	 save = w->nctes;
	int	 i;

	if ((into = json_object_get(b, "intoClause")) != NULL) {
		/* SELECT INTO creates a table. */
		guard_add_kind(w->f, KIND_DDL);
		w->f->flags |= GF_WRITE;
		pg_value(w, into, GUARD_WRITE);
	}
	guard_add_kind(w->f, KIND_SELECT);
	pg_with(w, json_object_get(b, "withClause"));
	for (i = 0; i < 2; i++) {
		side = json_object_get(b, i == 0 ? "larg" : "rarg");
		if (side == NULL || w->stop)
			continue;
		if (++w->depth > PG_MAX_DEPTH)
			pg_fail(w, "the statement nests too deeply to "
			    "classify");
		else
			pg_select(w, side);
		w->depth--;
	}
	pg_fields(w, b, GUARD_READ, skip);
	w->nctes = save;
}

/* Whether a MERGE can update or delete every row of its target. */
static int
pg_merge_all(json_t *b)
{
	json_t		*c, *x;
	const char	*cmd;
	size_t		 i;

	if (!pg_where_all(json_object_get(b, "joinCondition")))
		return (0);
	json_array_foreach(json_object_get(b, "mergeWhenClauses"), i, x) {
		if ((c = pg_body(x, "MergeWhenClause")) == NULL ||
		    !pg_true(c, "matched") ||
		    (cmd = pg_str(c, "commandType")) == NULL)
			continue;
		if ((strcmp(cmd, "CMD_UPDATE") == 0 ||
		    strcmp(cmd, "CMD_DELETE") == 0) &&
		    pg_where_all(json_object_get(c, "condition")))
			return (1);
	}
	return (0);
}

/* Whether two RangeVars (wrapped or not) name the same relation. */
static int
pg_same_rel(json_t *a, json_t *b)
{
	const char	*na, *nb, *sa, *sb;
	json_t		*x;

	if ((x = pg_body(a, "RangeVar")) != NULL)
		a = x;
	if ((x = pg_body(b, "RangeVar")) != NULL)
		b = x;
	na = pg_str(a, "relname");
	nb = pg_str(b, "relname");
	sa = pg_str(a, "schemaname");
	sb = pg_str(b, "schemaname");
	return (na != NULL && nb != NULL && strcmp(na, nb) == 0 &&
	    (sa == NULL || sb == NULL || strcmp(sa, sb) == 0));
}

/*
 * Whether an INSERT ... ON CONFLICT DO UPDATE rewrites every row of its
 * target: it inserts the whole target again (INSERT INTO t SELECT * FROM
 * t), so every row conflicts, and the update has no condition.
 */
static int
pg_upsert_all(json_t *b)
{
	json_t	*oc, *sel, *from, *x;
	size_t	 i;
	const char *action;

	if ((oc = json_object_get(b, "onConflictClause")) == NULL ||
	    (action = pg_str(oc, "action")) == NULL ||
	    strcmp(action, "ONCONFLICT_UPDATE") != 0 ||
	    !pg_where_all(json_object_get(oc, "whereClause")) ||
	    (sel = pg_body(json_object_get(b, "selectStmt"),
	    "SelectStmt")) == NULL ||
	    !pg_where_all(json_object_get(sel, "whereClause")))
		return (0);
	from = json_object_get(sel, "fromClause");
	json_array_foreach(from, i, x) {
		if (pg_same_rel(x, json_object_get(b, "relation")))
			return (1);
	}
	return (0);
}

/* INSERT, UPDATE, DELETE, MERGE. */
static void
pg_dml(struct pg_walk *w, json_t *b, enum stmt_kind kind)
{
	static const char *const skip[] = { "withClause", "relation", NULL };
	size_t	 save = w->nctes;

	guard_add_kind(w->f, kind);
	w->f->flags |= GF_WRITE;
	pg_with(w, json_object_get(b, "withClause"));
	pg_rangevar(w, json_object_get(b, "relation"), GUARD_WRITE);
	if ((kind == KIND_UPDATE || kind == KIND_DELETE) &&
	    pg_where_all(json_object_get(b, "whereClause")))
		w->f->flags |= GF_WRITE_NO_WHERE;
	if (kind == KIND_INSERT && pg_upsert_all(b))
		w->f->flags |= GF_WRITE_NO_WHERE;
	if (kind == KIND_MERGE && pg_merge_all(b))
		w->f->flags |= GF_WRITE_NO_WHERE;
	pg_fields(w, b, GUARD_READ, skip);
	w->nctes = save;
}

/* CREATE TABLE AS, CREATE MATERIALIZED VIEW. */
static void
pg_ctas(struct pg_walk *w, json_t *b)
{
	static const char *const skip[] = { "into", "query", NULL };

	guard_add_kind(w->f, KIND_DDL);
	w->f->flags |= GF_WRITE;
	pg_value(w, json_object_get(b, "into"), GUARD_WRITE);
	pg_value(w, json_object_get(b, "query"), GUARD_READ);
	pg_fields(w, b, GUARD_WRITE, skip);
}

/* ALTER TABLE (and INDEX, VIEW, SEQUENCE...): owners, row security. */
static void
pg_alter_table(struct pg_walk *w, json_t *b)
{
	static const char *const priv[] = {
		"AT_ChangeOwner", "AT_EnableRowSecurity",
		"AT_DisableRowSecurity", "AT_ForceRowSecurity",
		"AT_NoForceRowSecurity",
	};
	json_t		*x, *c;
	const char	*sub;
	size_t		 i, k;

	guard_add_kind(w->f, KIND_DDL);
	w->f->flags |= GF_WRITE;
	json_array_foreach(json_object_get(b, "cmds"), i, x) {
		if ((c = pg_body(x, "AlterTableCmd")) == NULL ||
		    (sub = pg_str(c, "subtype")) == NULL)
			continue;
		for (k = 0; k < nitems(priv); k++) {
			if (strcmp(sub, priv[k]) == 0)
				w->f->flags |= GF_PRIVILEGE;
		}
	}
	pg_fields(w, b, GUARD_WRITE, NULL);
}

/* DROP: the relations dropped are written. */
static void
pg_drop(struct pg_walk *w, json_t *b)
{
	static const char *const rels[] = {
		"OBJECT_TABLE", "OBJECT_VIEW", "OBJECT_MATVIEW", "OBJECT_INDEX",
		"OBJECT_SEQUENCE", "OBJECT_FOREIGN_TABLE",
	};
	const char	*type;
	json_t		*x;
	size_t		 i, k;

	guard_add_kind(w->f, KIND_DROP);
	w->f->flags |= GF_WRITE;
	if ((type = pg_str(b, "removeType")) == NULL)
		type = "";
	if (strcmp(type, "OBJECT_EXTENSION") == 0)
		w->f->flags |= GF_EXTENSION;
	for (k = 0; k < nitems(rels); k++) {
		if (strcmp(type, rels[k]) != 0)
			continue;
		json_array_foreach(json_object_get(b, "objects"), i, x)
			pg_rel_names(w, x, GUARD_WRITE);
	}
	pg_fields(w, b, GUARD_WRITE, NULL);
}

/* Whether a procedural language runs code with the server's powers. */
static int
pg_untrusted(const char *lang)
{
	return (pg_in_list(lang, pg_untrusted_languages,
	    nitems(pg_untrusted_languages)) != NULL);
}

static void	pg_plpgsql(struct pg_walk *);

/*
 * CREATE FUNCTION, CREATE PROCEDURE: the body's statements are walked (in
 * a copy of the context: they run later, in the caller's session); a body
 * dbgate cannot read is opaque, one in an untrusted language an extension.
 */
static void
pg_create_func(struct pg_walk *w, json_t *b)
{
	static const char *const skip[] = { "options", "sql_body", NULL };
	struct guard_ctx	 body, *save;
	const char		*lang = NULL, *src = NULL, *n;
	json_t			*x, *d, *arg, *items, *sqlbody;
	size_t			 i;
	int			 nlang = 0, nas = 0;

	guard_add_kind(w->f, KIND_DDL);
	w->f->flags |= GF_WRITE;
	json_array_foreach(json_object_get(b, "options"), i, x) {
		if ((d = pg_body(x, "DefElem")) == NULL ||
		    (n = pg_str(d, "defname")) == NULL) {
			pg_value(w, x, GUARD_READ);
			continue;
		}
		arg = json_object_get(d, "arg");
		if (strcmp(n, "language") == 0) {
			lang = pg_string(arg);
			nlang++;
		} else if (strcmp(n, "as") == 0) {
			nas++;
			items = json_object_get(pg_body(arg, "List"), "items");
			if (json_array_size(items) == 1)
				src = pg_string(json_array_get(items, 0));
		} else if (strcmp(n, "security") == 0) {
			/* SECURITY DEFINER lends the owner's rights. */
			if (pg_def_bool(arg) != 0)
				w->f->flags |= GF_PRIVILEGE;
		} else if (strcmp(n, "set") == 0 &&
		    pg_body(arg, "VariableSetStmt") != NULL)
			pg_set(w, pg_body(arg, "VariableSetStmt"), 0);
		else
			pg_value(w, x, GUARD_READ);
	}
	if (nlang > 1 || nas > 1) {
		/* The server refuses them; libpg_query reads the last. */
		pg_fail(w, "CREATE FUNCTION with more than one LANGUAGE or AS");
		return;
	}
	sqlbody = json_object_get(b, "sql_body");
	if (lang == NULL)
		lang = "sql";
	/* A body dbgate cannot find is not one it can vouch for. */
	if (src == NULL && sqlbody == NULL)
		w->f->flags |= GF_OPAQUE;
	pg_ctx_copy(&body, w->ctx);
	save = w->ctx;
	w->ctx = &body;
	if (strcmp(lang, "sql") == 0) {
		if (src != NULL)
			pg_text(w, src, strlen(src), 0);
		pg_value(w, sqlbody, GUARD_READ);
	} else if (strcmp(lang, "plpgsql") == 0) {
		/* libpg_query asserts that there is an AS string. */
		if (src != NULL)
			pg_plpgsql(w);
		else
			w->f->flags |= GF_OPAQUE;
	} else if (pg_untrusted(lang))
		w->f->flags |= GF_EXTENSION | GF_OPAQUE;
	else
		w->f->flags |= GF_OPAQUE;
	w->ctx = save;
	guard_ctx_free(&body);
	pg_fields(w, b, GUARD_READ, skip);
}

/* ALTER FUNCTION, PROCEDURE, ROUTINE. */
static void
pg_alter_func(struct pg_walk *w, json_t *b)
{
	static const char *const skip[] = { "actions", NULL };
	const char	*n;
	json_t		*x, *d, *arg;
	size_t		 i;

	guard_add_kind(w->f, KIND_DDL);
	w->f->flags |= GF_WRITE;
	json_array_foreach(json_object_get(b, "actions"), i, x) {
		if ((d = pg_body(x, "DefElem")) == NULL ||
		    (n = pg_str(d, "defname")) == NULL) {
			pg_value(w, x, GUARD_READ);
			continue;
		}
		arg = json_object_get(d, "arg");
		if (strcmp(n, "security") == 0 && pg_def_bool(arg) != 0)
			w->f->flags |= GF_PRIVILEGE;
		else if (strcmp(n, "set") == 0 &&
		    pg_body(arg, "VariableSetStmt") != NULL)
			pg_set(w, pg_body(arg, "VariableSetStmt"), 0);
		else
			pg_value(w, x, GUARD_READ);
	}
	pg_fields(w, b, GUARD_WRITE, skip);
}

/* CREATE TRIGGER, CREATE EVENT TRIGGER: the function is opaque. */
static void
pg_trigger(struct pg_walk *w, json_t *b)
{
	static const char *const skip[] = { "funcname", NULL };

	guard_add_kind(w->f, KIND_DDL);
	w->f->flags |= GF_WRITE;
	pg_func_opaque(w, json_object_get(b, "funcname"));
	pg_fields(w, b, GUARD_WRITE, skip);
}

/* CREATE SCHEMA [AUTHORIZATION role] [elements]. */
static void
pg_schema(struct pg_walk *w, json_t *b)
{
	const char	*rt;

	guard_add_kind(w->f, KIND_DDL);
	w->f->flags |= GF_WRITE;
	rt = pg_str(json_object_get(b, "authrole"), "roletype");
	if (rt != NULL && strcmp(rt, "ROLESPEC_CSTRING") == 0)
		w->f->flags |= GF_PRIVILEGE;
	pg_fields(w, b, GUARD_WRITE, NULL);
}

/* DO: opaque; a PL/pgSQL body is walked, it runs now. */
static void
pg_do(struct pg_walk *w, json_t *b)
{
	const char	*lang = "plpgsql", *n;
	json_t		*x, *d;
	size_t		 i;
	int		 nlang = 0, nas = 0;

	guard_add_kind(w->f, KIND_DO);
	w->f->flags |= GF_OPAQUE;
	json_array_foreach(json_object_get(b, "args"), i, x) {
		if ((d = pg_body(x, "DefElem")) == NULL ||
		    (n = pg_str(d, "defname")) == NULL)
			continue;
		if (strcmp(n, "language") == 0) {
			lang = pg_string(json_object_get(d, "arg"));
			nlang++;
		} else if (strcmp(n, "as") == 0)
			nas++;
	}
	/*
	 * The server refuses these; libpg_query would read the last language
	 * given, or assert that there is a body.
	 */
	if (lang == NULL || nlang > 1 || nas != 1) {
		pg_fail(w, "DO needs one body and at most one LANGUAGE");
		return;
	}
	if (strcmp(lang, "plpgsql") == 0)
		pg_plpgsql(w);
	else if (pg_untrusted(lang))
		w->f->flags |= GF_EXTENSION;
}

/* CALL: a procedure is opaque. */
static void
pg_call(struct pg_walk *w, json_t *b)
{
	static const char *const skip[] = { "funcname", NULL };
	json_t	*fc;

	guard_add_kind(w->f, KIND_CALL);
	w->f->flags |= GF_OPAQUE;
	fc = json_object_get(b, "funccall");
	pg_func_opaque(w, json_object_get(fc, "funcname"));
	pg_fields(w, fc, GUARD_READ, skip);
}

/* COPY: files, programs, the client; FROM writes. */
static void
pg_copy(struct pg_walk *w, json_t *b)
{
	static const char *const skip[] = { "relation", "query", NULL };
	int	 from;

	guard_add_kind(w->f, KIND_COPY);
	from = pg_true(b, "is_from");
	if (from)
		w->f->flags |= GF_WRITE;
	if (json_object_get(b, "filename") == NULL)
		w->f->flags |= GF_COPY_STDIO;
	else if (pg_true(b, "is_program"))
		w->f->flags |= GF_PROGRAM;
	else
		w->f->flags |= GF_FILE;
	pg_rangevar(w, json_object_get(b, "relation"),
	    from ? GUARD_WRITE : GUARD_READ);
	pg_value(w, json_object_get(b, "query"), GUARD_READ);
	pg_fields(w, b, GUARD_READ, skip);
}

/*
 * EXPLAIN ANALYZE runs its statement: all of its facts. Plain EXPLAIN only
 * plans it: its relations (read) and functions (planning may run an
 * immutable one), but not its kinds or effects, and no context change.
 */
static void
pg_explain(struct pg_walk *w, json_t *b)
{
	struct guard_facts	 inner, *save;
	json_t			*arg;
	char			**path;
	size_t			 npath, i;
	int			 found;

	arg = pg_def(json_object_get(b, "options"), "analyze", &found);
	if (found && pg_def_bool(arg) != 0) {
		guard_add_kind(w->f, KIND_EXPLAIN_ANALYZE);
		pg_value(w, json_object_get(b, "query"), GUARD_READ);
		return;
	}
	guard_add_kind(w->f, KIND_EXPLAIN);
	memset(&inner, 0, sizeof inner);
	npath = w->ctx->nsearch_path;
	path = xcalloc(npath + 1, sizeof *path);
	for (i = 0; i < npath; i++)
		path[i] = xstrdup(w->ctx->search_path[i]);
	save = w->f;
	w->f = &inner;
	pg_value(w, json_object_get(b, "query"), GUARD_READ);
	w->f = save;
	guard_ctx_set_search_path(w->ctx, path, npath);
	for (i = 0; i < npath; i++)
		free(path[i]);
	free(path);
	for (i = 0; i < inner.nrels; i++)
		guard_add_rel(w->f, inner.rels[i].schema, inner.rels[i].name,
		    GUARD_READ);
	for (i = 0; i < inner.nfuncs; i++)
		guard_add_func(w->f, inner.funcs[i].schema,
		    inner.funcs[i].name, inner.funcs[i].opaque);
	w->f->flags |= inner.flags & GF_OPAQUE;
	if (inner.kinds & ((uint64_t)1 << KIND_UNKNOWN))
		guard_unknown(w->f, "%s", inner.why != NULL ? inner.why :
		    "cannot classify the statement explained");
	guard_facts_clear(&inner);
}

/* PREPARE: remember the statement's facts; they are this one's too. */
static void
pg_prepare(struct pg_walk *w, json_t *b)
{
	struct guard_facts	 inner, *save;
	const char		*name;

	guard_add_kind(w->f, KIND_PREPARE);
	memset(&inner, 0, sizeof inner);
	save = w->f;
	w->f = &inner;
	/* A parameter of a domain type runs its CHECK on EXECUTE. */
	pg_value(w, json_object_get(b, "argtypes"), GUARD_READ);
	pg_value(w, json_object_get(b, "query"), GUARD_READ);
	/* Its outputs are kept for later: a flow, like a cursor's. */
	w->mflow++;
	pg_after(w, json_object_get(b, "query"));
	w->mflow--;
	w->f = save;
	if ((name = pg_str(b, "name")) != NULL)
		guard_ctx_prepare(w->ctx, name, &inner);
	guard_merge(w->f, &inner);
	if (inner.kinds & ((uint64_t)1 << KIND_UNKNOWN))
		guard_unknown(w->f, "%s", inner.why != NULL ? inner.why :
		    "cannot classify the statement prepared");
	guard_facts_clear(&inner);
}

/* EXECUTE: the facts of the statement prepared under that name. */
static void
pg_execute(struct pg_walk *w, json_t *b)
{
	const struct guard_facts	*p;
	const char			*name;

	guard_add_kind(w->f, KIND_EXECUTE);
	if ((name = pg_str(b, "name")) == NULL ||
	    (p = guard_ctx_prepared(w->ctx, name)) == NULL) {
		pg_fail(w, "EXECUTE %s: no statement of that name was prepared "
		    "earlier in this session", name != NULL ? name : "?");
		return;
	}
	guard_merge(w->f, p);
	if (p->kinds & ((uint64_t)1 << KIND_UNKNOWN)) {
		pg_fail(w, "%s", p->why != NULL ? p->why :
		    "cannot classify the statement prepared");
		return;
	}
	pg_fields(w, b, GUARD_READ, NULL);
}

/* BEGIN, START TRANSACTION [READ WRITE], COMMIT... */
static void
pg_transaction(struct pg_walk *w, json_t *b)
{
	struct pg_val	 v;
	const char	*s;
	json_t		*x;
	int		 found;

	guard_add_kind(w->f, KIND_TRANSACTION);
	if ((s = pg_str(b, "kind")) != NULL &&
	    strcmp(s, "TRANS_STMT_PREPARE") == 0)
		/* Its locks outlive the session and every timeout. */
		w->f->flags |= GF_LOCK;
	else if (s != NULL && (strcmp(s, "TRANS_STMT_COMMIT_PREPARED") == 0 ||
	    strcmp(s, "TRANS_STMT_ROLLBACK_PREPARED") == 0))
		/* Any session's prepared transaction, by its name. */
		guard_add_kind(w->f, KIND_ADMIN);
	x = pg_def(json_object_get(b, "options"), "transaction_read_only",
	    &found);
	v = pg_logic(pg_eval(x, 0));
	if (found && (v.t != PGV_BOOL || v.i != 1))
		w->f->flags |= GF_READ_WRITE;
}

/* TABLESAMPLE: a method other than the built-in two is opaque code. */
static void
pg_sample(struct pg_walk *w, json_t *b, unsigned int access)
{
	json_t		*m;
	const char	*name, *schema = NULL;
	size_t		 n;

	m = json_object_get(b, "method");
	n = json_array_size(m);
	if (n >= 1 && (name = pg_string(json_array_get(m, n - 1))) != NULL) {
		if (n >= 2)
			schema = pg_string(json_array_get(m, n - 2));
		if ((schema != NULL && strcmp(schema, "pg_catalog") != 0) ||
		    (strcmp(name, "bernoulli") != 0 &&
		    strcmp(name, "system") != 0))
			pg_func_opaque(w, m);
	}
	pg_fields(w, b, access, NULL);
}

/*
 * The second pass: where masked columns are used. Pass one collected the
 * relations with masked columns (pg_mask_rel); this one walks a statement
 * that reads or writes one and gives it masked-out when an output may
 * carry a masked value, and masked-ref when a masked value is used where
 * the mask stage cannot mask it: a predicate but equality or IN against
 * constants, a sort, a grouping, a join, a window, a CASE condition, an
 * argument of a function that is not known to pass it on, a write, a
 * cursor, a prepared statement.
 *
 * A column of a relation that is masked is masked by its name alone,
 * whatever its qualifier. A derived table, CTE, LATERAL subquery or set
 * operation has outputs by position and by name (the name PostgreSQL
 * gives them), and knows which may carry a masked value; in the query
 * around it those names, qualified by its alias or not, are masked, and
 * no other of its columns. Where that cannot be told (a * over columns
 * dbgate does not know, a column list over one, an output it cannot
 * name) every column of that FROM item is taken to be masked; past the
 * bounds (PG_M_MAX_SRC) every reference of the query is.
 */

/* How a masked value is used. */
enum pg_mrole {
	PGM_OUT,		/* an output: select list, RETURNING */
	PGM_TEST,		/* = or IN against constants, IS NULL */
	PGM_REF,		/* anything else */
};

/* A masked column of a FROM item: q.name. */
struct pg_msrc {
	const char	*q;	/* the item's alias or name; NULL: none */
	const char	*name;	/* NULL: every column of it */
};

/* The FROM clause of a query, for the column references in it. */
struct pg_mscope {
	struct pg_mscope	*up;	/* the query around, or NULL */
	int			 masked; /* * may carry a masked value */
	int			 all;	/* relations masked whole read */
	int			 taint;	/* any reference may be masked */
	struct pg_msrc		*src;	/* masked columns of its items */
	size_t			 nsrc;
	size_t			 srccap;
};

/*
 * Functions on the allow-list whose arguments do not simply flow into
 * their result: the number of rows or the time taken shows the value.
 * Sorted (strcmp).
 */
static const char *pg_m_nopass[] = {
	"generate_series", "generate_subscripts", "json_array_elements",
	"json_array_elements_text", "json_each", "json_each_text",
	"json_object_keys", "json_populate_recordset", "json_to_recordset",
	"jsonb_array_elements", "jsonb_array_elements_text", "jsonb_each",
	"jsonb_each_text", "jsonb_object_keys", "jsonb_path_query",
	"jsonb_populate_recordset", "jsonb_to_recordset",
	"pg_options_to_table", "pg_sleep", "pg_sleep_for", "pg_sleep_until",
	"regexp_matches", "regexp_split_to_table", "string_to_table",
	"unnest",
};

/* Nodes visited computing the outputs of recursive CTEs, at most. */
#define PG_M_DRY_WORK	200000
/* Masked columns of FROM items in all the scopes open, at most. */
#define PG_M_MAX_SRC	256
/* Expressions looked through to name an output, at most. */
#define PG_M_MAX_FIGURE	32

static int	pg_m_stmt(struct pg_walk *, json_t *, struct pg_mscope *,
		    enum pg_mrole, struct pg_mres *);
static void	pg_m_expr(struct pg_walk *, json_t *, enum pg_mrole,
		    struct pg_mscope *);
static int	pg_m_figure(json_t *, const char **, int);

/* A masked value used as role says. */
static void
pg_m_hit(struct pg_walk *w, enum pg_mrole role)
{
	w->mhits++;
	if (w->mdry || role == PGM_TEST)
		return;
	if (role == PGM_OUT && w->mflow == 0)
		w->f->flags |= GF_MASKED_OUT;
	else
		w->f->flags |= GF_MASKED_REF;
}

/* Free the outputs of a query. */
static void
pg_m_res_free(struct pg_mres *res)
{
	free(res->tg);
	free(res->names);
	memset(res, 0, sizeof *res);
}

/*
 * Note name (NULL: any name) among the masked outputs of a query. Past
 * PG_MAX_NAMES any name is. Returns whether res changed.
 */
static int
pg_m_res_name(struct pg_mres *res, const char *name)
{
	size_t	 i;

	if (res->every)
		return (0);
	if (name == NULL || res->nnames == PG_MAX_NAMES) {
		res->every = 1;
		return (1);
	}
	for (i = 0; i < res->nnames; i++) {
		if (strcmp(res->names[i], name) == 0)
			return (0);
	}
	res->names = xreallocarray(res->names, res->nnames + 1,
	    sizeof *res->names);
	res->names[res->nnames++] = name;
	return (1);
}

/* Whether name may be a masked output of a query. */
static int
pg_m_res_has(const struct pg_mres *res, const char *name)
{
	size_t	 i;

	if (res->every)
		return (1);
	for (i = 0; i < res->nnames; i++) {
		if (strcmp(res->names[i], name) == 0)
			return (1);
	}
	return (0);
}

/* Outputs that may all carry a masked value, whatever their names. */
static void
pg_m_res_all(struct pg_mres *res)
{
	res->any = res->star = 1;
	(void)pg_m_res_name(res, NULL);
}

/* Add an output column at the end (SEARCH, CYCLE). */
static void
pg_m_res_add(struct pg_mres *res, const char *name, int masked)
{
	if (!res->star) {
		res->tg = xreallocarray(res->tg, res->ntg + 1,
		    sizeof *res->tg);
		res->tg[res->ntg].name = name;
		res->tg[res->ntg++].masked = masked;
	}
	if (masked) {
		res->any = 1;
		(void)pg_m_res_name(res, name);
	}
}

/*
 * A column list (CTE t(a, b), AS alias(a, b)) renames the outputs by
 * position; the others keep their names. Over a * the positions are not
 * known: any name may be masked.
 */
static void
pg_m_res_rename(struct pg_mres *res, json_t *colnames)
{
	size_t	 i, n;

	if ((n = json_array_size(colnames)) == 0)
		return;
	if (res->star || !res->shape) {
		if (res->any)
			(void)pg_m_res_name(res, NULL);
		return;
	}
	for (i = 0; i < res->ntg && i < n; i++)
		res->tg[i].name = pg_string(json_array_get(colnames, i));
	res->nnames = 0;
	res->every = 0;
	for (i = 0; i < res->ntg; i++) {
		if (res->tg[i].masked)
			(void)pg_m_res_name(res, res->tg[i].name);
	}
}

/*
 * The outputs of a set operation: by position, either side's masked
 * ones, under the names of its left side.
 */
static void
pg_m_res_setop(struct pg_mres *res, const struct pg_mres *l,
    const struct pg_mres *r)
{
	size_t	 i;

	memset(res, 0, sizeof *res);
	res->shape = 1;
	res->any = l->any || r->any;
	res->ntg = l->ntg;
	res->tg = xcalloc(l->ntg + 1, sizeof *res->tg);
	for (i = 0; i < l->ntg; i++)
		res->tg[i] = l->tg[i];
	if (l->star || r->star || !l->shape || !r->shape ||
	    l->ntg != r->ntg) {
		/* What the right side's masked outputs are called: unknown. */
		res->star = 1;
		for (i = 0; i < l->nnames; i++)
			(void)pg_m_res_name(res, l->names[i]);
		if (l->every || r->any)
			(void)pg_m_res_name(res, NULL);
		return;
	}
	for (i = 0; i < res->ntg; i++) {
		res->tg[i].masked |= r->tg[i].masked;
		if (res->tg[i].masked)
			(void)pg_m_res_name(res, res->tg[i].name);
	}
}

/*
 * Add the masked outputs of src to dst's, the outputs of the same query
 * found by another sweep. Returns whether dst grew.
 */
static int
pg_m_res_merge(struct pg_mres *dst, const struct pg_mres *src)
{
	size_t	 i;
	int	 grew = 0;

	if (dst->tg == NULL && !dst->star) {
		/* The first sweep gives the shape. */
		dst->shape = src->shape;
		dst->ntg = src->ntg;
		dst->tg = xcalloc(src->ntg + 1, sizeof *dst->tg);
		for (i = 0; i < src->ntg; i++)
			dst->tg[i] = src->tg[i];
	} else if (dst->ntg != src->ntg) {
		if (!dst->star)
			grew = dst->star = 1;
	} else {
		for (i = 0; i < dst->ntg; i++) {
			if (src->tg[i].masked && !dst->tg[i].masked)
				grew = dst->tg[i].masked = 1;
		}
	}
	if (src->star && !dst->star)
		grew = dst->star = 1;
	if (src->any && !dst->any)
		grew = dst->any = 1;
	if (src->every)
		grew |= pg_m_res_name(dst, NULL);
	for (i = 0; i < src->nnames; i++)
		grew |= pg_m_res_name(dst, src->names[i]);
	return (grew);
}

/*
 * Note a masked column (name; NULL: every column) of a FROM item called q
 * in a scope. Past PG_M_MAX_SRC in all the scopes open, every reference
 * in this one is taken to be masked.
 */
static void
pg_m_src(struct pg_walk *w, struct pg_mscope *sc, const char *q,
    const char *name)
{
	sc->masked = 1;
	if (sc->taint)
		return;
	if (w->nsrc >= PG_M_MAX_SRC) {
		sc->taint = 1;
		return;
	}
	if (sc->nsrc == sc->srccap) {
		sc->srccap = sc->srccap == 0 ? 8 : sc->srccap * 2;
		sc->src = xreallocarray(sc->src, sc->srccap, sizeof *sc->src);
	}
	sc->src[sc->nsrc].q = q;
	sc->src[sc->nsrc++].name = name;
	w->nsrc++;
}

/* Close a scope. */
static void
pg_m_scope_free(struct pg_walk *w, struct pg_mscope *sc)
{
	w->nsrc -= sc->nsrc;
	free(sc->src);
	sc->src = NULL;
	sc->nsrc = sc->srccap = 0;
}

/*
 * The masked outputs of a query read as a FROM item called q, renamed by
 * the alias's column list colnames if any.
 */
static void
pg_m_src_res(struct pg_walk *w, struct pg_mscope *sc, const char *q,
    const struct pg_mres *res, json_t *colnames)
{
	size_t	 i, n;

	if (!res->any)
		return;
	if ((n = json_array_size(colnames)) > 0) {
		if (res->star || !res->shape) {
			pg_m_src(w, sc, q, NULL);
			return;
		}
		for (i = 0; i < res->ntg; i++) {
			if (res->tg[i].masked)
				pg_m_src(w, sc, q, i < n ? pg_string(
				    json_array_get(colnames, i)) :
				    res->tg[i].name);
		}
		return;
	}
	if (res->every || res->nnames == 0) {
		pg_m_src(w, sc, q, NULL);
		return;
	}
	for (i = 0; i < res->nnames; i++)
		pg_m_src(w, sc, q, res->names[i]);
}

/*
 * The masked columns of the relation name (any schema; not masked
 * whole) read as a FROM item called q, with the alias's column list.
 */
static void
pg_m_src_rel(struct pg_walk *w, struct pg_mscope *sc, const char *name,
    const char *q, json_t *colnames)
{
	const struct pg_mrel	*r;
	size_t			 i, k;

	/* customers AS c(i, n, e): the columns go by other names. */
	if (json_array_size(colnames) > 0) {
		pg_m_src(w, sc, q, NULL);
		return;
	}
	for (i = 0; i < w->nmrels; i++) {
		r = &w->mrels[i];
		if (strcmp(r->name, name) != 0)
			continue;
		if (r->all || r->cols.every) {
			pg_m_src(w, sc, q, NULL);
			return;
		}
		for (k = 0; k < r->cols.n; k++)
			pg_m_src(w, sc, q, r->cols.v[k]);
	}
}

/*
 * Whether a FROM item in scope called q (NULL: any) has a masked column
 * called name (NULL: any).
 */
static int
pg_m_find(const struct pg_mscope *sc, const char *q, const char *name)
{
	const struct pg_msrc	*s;
	size_t			 i;

	for (; sc != NULL; sc = sc->up) {
		if (sc->taint)
			return (1);
		for (i = 0; i < sc->nsrc; i++) {
			s = &sc->src[i];
			if (q != NULL && (s->q == NULL || strcmp(s->q, q) != 0))
				continue;
			if (name == NULL || s->name == NULL ||
			    strcmp(s->name, name) == 0)
				return (1);
		}
	}
	return (0);
}

/* Whether a query or one around it reads a relation masked whole. */
static int
pg_m_all(const struct pg_mscope *sc)
{
	for (; sc != NULL; sc = sc->up) {
		if (sc->all)
			return (1);
	}
	return (0);
}

/* Whether a name or alias is a relation with masked columns. */
static int
pg_m_relname(struct pg_walk *w, const char *name)
{
	return (name != NULL && pg_names_has(&w->mnames, name));
}

/* Whether a column reference, by its name alone, may be masked. */
static int
pg_m_colname(struct pg_walk *w, const char *name, struct pg_mscope *sc)
{
	return (pg_names_has(&w->mcols, name) || pg_m_all(sc) ||
	    pg_m_find(sc, NULL, name));
}

/* Whether x.name may call function name on a whole row x (by name). */
static int
pg_m_rowfunc(const char *name)
{
	return (bsearch(name, pg_safe_funcs, nitems(pg_safe_funcs),
	    sizeof *pg_safe_funcs, pg_name_cmp) != NULL ||
	    pg_effect_name(name));
}

/*
 * A ColumnRef: a masked column by name; a column a FROM item in scope
 * has as masked; a whole row (c, c.*, *) of an item with masked columns;
 * any column of a relation masked whole; a field of a masked column
 * (x.f when x is no FROM item); a function called on a whole row in
 * functional notation (c.text).
 */
static void
pg_m_col(struct pg_walk *w, json_t *b, enum pg_mrole role,
    struct pg_mscope *sc)
{
	json_t		*fields;
	const char	*name, *q = NULL, *qq = NULL;
	size_t		 n;
	int		 m;

	fields = json_object_get(b, "fields");
	if ((n = json_array_size(fields)) == 0)
		return;
	if (n >= 2)
		q = pg_string(json_array_get(fields, n - 2));
	if (n >= 3)
		qq = pg_string(json_array_get(fields, n - 3));
	name = pg_string(json_array_get(fields, n - 1));
	if (name == NULL) {
		/* A_Star */
		if (n == 1)
			m = sc != NULL && (sc->masked || sc->taint);
		else
			m = q == NULL || pg_m_relname(w, q) ||
			    pg_m_find(sc, q, NULL);
	} else if (n == 1)
		m = pg_m_colname(w, name, sc) || pg_m_relname(w, name) ||
		    pg_m_find(sc, name, NULL);
	else if (q == NULL)
		m = 1;
	else
		m = pg_names_has(&w->mcols, name) ||
		    pg_names_has(&w->mall, q) || pg_m_find(sc, q, name) ||
		    pg_names_has(&w->mcols, q) || pg_m_find(sc, NULL, q) ||
		    (qq != NULL && pg_m_find(sc, qq, q)) ||
		    ((pg_m_relname(w, q) || pg_m_find(sc, q, NULL)) &&
		    pg_m_rowfunc(name)) ||
		    /* No column of a masked relation: f(x) on its row. */
		    (pg_m_relname(w, q) && !w->mknown.every &&
		    !pg_names_has(&w->mknown, name));
	if (m)
		pg_m_hit(w, role);
}

/* Whether v is a constant: a literal or a parameter, maybe cast. */
static int
pg_m_const(json_t *v, int array)
{
	json_t		*b, *x;
	size_t		 i;
	int		 k;

	for (k = 0; k < 8 && (b = pg_body(v, "TypeCast")) != NULL; k++)
		v = json_object_get(b, "arg");
	if (pg_body(v, "A_Const") != NULL || pg_body(v, "ParamRef") != NULL)
		return (1);
	if (!array || (b = pg_body(v, "A_ArrayExpr")) == NULL)
		return (0);
	json_array_foreach(json_object_get(b, "elements"), i, x) {
		if (!pg_m_const(x, 0))
			return (0);
	}
	return (1);
}

/*
 * Whether an operator's name is pg_catalog's = or <> (an equality test,
 * or its negation, which tells as much).
 */
static int
pg_m_eq(struct pg_walk *w, json_t *names)
{
	const char	*op, *schema;
	size_t		 n;

	n = json_array_size(names);
	if (n == 0 || n > 2 ||
	    (op = pg_string(json_array_get(names, n - 1))) == NULL ||
	    (strcmp(op, "=") != 0 && strcmp(op, "<>") != 0))
		return (0);
	if (n == 2)
		return ((schema = pg_string(json_array_get(names, 0))) !=
		    NULL && strcmp(schema, "pg_catalog") == 0);
	return (pg_catalog_first(w->ctx));
}

/*
 * A search condition (WHERE, ON, HAVING): a column compared for equality
 * with constants (x = 'a', 'a' = x, x IN ('a', $1), x = ANY ($1)), or
 * tested for NULL, gives no more than a lookup by that value; anything
 * else over a masked column can rebuild it.
 */
static void
pg_m_pred(struct pg_walk *w, json_t *v, struct pg_mscope *sc)
{
	const char	*type, *kind;
	json_t		*b, *x, *l, *r, *lc, *rc;
	size_t		 i;
	int		 ok;

	if (!pg_wrapped(v, &type, &b)) {
		pg_m_expr(w, v, PGM_REF, sc);
		return;
	}
	if (strcmp(type, "BoolExpr") == 0) {
		json_array_foreach(json_object_get(b, "args"), i, x)
			pg_m_pred(w, x, sc);
		return;
	}
	if (strcmp(type, "NullTest") == 0 && (lc = pg_body(json_object_get(b,
	    "arg"), "ColumnRef")) != NULL) {
		pg_m_col(w, lc, PGM_TEST, sc);
		return;
	}
	if (strcmp(type, "A_Expr") == 0 &&
	    (kind = pg_str(b, "kind")) != NULL &&
	    pg_m_eq(w, json_object_get(b, "name"))) {
		l = json_object_get(b, "lexpr");
		r = json_object_get(b, "rexpr");
		lc = pg_body(l, "ColumnRef");
		rc = pg_body(r, "ColumnRef");
		if (strcmp(kind, "AEXPR_OP") == 0 ||
		    strcmp(kind, "AEXPR_DISTINCT") == 0 ||
		    strcmp(kind, "AEXPR_NOT_DISTINCT") == 0) {
			if (lc != NULL && pg_m_const(r, 0)) {
				pg_m_col(w, lc, PGM_TEST, sc);
				return;
			}
			if (rc != NULL && pg_m_const(l, 0)) {
				pg_m_col(w, rc, PGM_TEST, sc);
				return;
			}
		} else if (strcmp(kind, "AEXPR_OP_ANY") == 0 && lc != NULL &&
		    pg_m_const(r, 1)) {
			pg_m_col(w, lc, PGM_TEST, sc);
			return;
		} else if (strcmp(kind, "AEXPR_IN") == 0 && lc != NULL) {
			ok = 1;
			json_array_foreach(json_object_get(pg_body(r, "List"),
			    "items"), i, x)
				ok &= pg_m_const(x, 0);
			if (ok && pg_body(r, "List") != NULL) {
				pg_m_col(w, lc, PGM_TEST, sc);
				return;
			}
		}
	}
	pg_m_expr(w, v, PGM_REF, sc);
}

/*
 * A function call: the arguments of one on the allow-list (certainly
 * pg_catalog's) flow into its result, which is as masked as they are;
 * those of any other function may be kept or shown elsewhere. Its FILTER,
 * ORDER BY and window are not outputs.
 */
static void
pg_m_func(struct pg_walk *w, json_t *b, enum pg_mrole role,
    struct pg_mscope *sc)
{
	json_t		*names;
	const char	*name, *schema = NULL;
	size_t		 n;
	int		 trusted;

	names = json_object_get(b, "funcname");
	n = json_array_size(names);
	if (n == 0 || (name = pg_string(json_array_get(names, n - 1))) ==
	    NULL)
		return;
	if (n >= 2)
		schema = pg_string(json_array_get(names, n - 2));
	if (schema != NULL)
		trusted = strcmp(schema, "pg_catalog") == 0;
	else
		trusted = pg_catalog_first(w->ctx);
	if (!trusted || bsearch(name, pg_safe_funcs, nitems(pg_safe_funcs),
	    sizeof *pg_safe_funcs, pg_name_cmp) == NULL ||
	    bsearch(name, pg_m_nopass, nitems(pg_m_nopass),
	    sizeof *pg_m_nopass, pg_name_cmp) != NULL)
		role = PGM_REF;
	pg_m_expr(w, json_object_get(b, "args"), role, sc);
	pg_m_expr(w, json_object_get(b, "agg_order"), PGM_REF, sc);
	pg_m_expr(w, json_object_get(b, "agg_filter"), PGM_REF, sc);
	pg_m_expr(w, json_object_get(b, "over"), PGM_REF, sc);
}

/* Whether an operator (A_Expr) is pg_catalog's, so its operands flow. */
static int
pg_m_op(struct pg_walk *w, json_t *b)
{
	json_t		*names;
	const char	*op, *schema, *kind;
	size_t		 n;

	if ((kind = pg_str(b, "kind")) != NULL &&
	    strstr(kind, "BETWEEN") != NULL)
		return (pg_catalog_first(w->ctx));
	names = json_object_get(b, "name");
	n = json_array_size(names);
	if (n == 0 || n > 2 ||
	    (op = pg_string(json_array_get(names, n - 1))) == NULL ||
	    bsearch(op, pg_catalog_ops, nitems(pg_catalog_ops),
	    sizeof *pg_catalog_ops, pg_name_cmp) == NULL)
		return (0);
	if (n == 2)
		return ((schema = pg_string(json_array_get(names, 0))) !=
		    NULL && strcmp(schema, "pg_catalog") == 0);
	return (pg_catalog_first(w->ctx));
}

/* Walk the fields of an object (a node's body) as role says. */
static void
pg_m_fields(struct pg_walk *w, json_t *o, enum pg_mrole role,
    struct pg_mscope *sc)
{
	const char	*key;
	json_t		*v;

	json_object_foreach(o, key, v) {
		if (json_is_object(v) || json_is_array(v))
			pg_m_expr(w, v, role, sc);
	}
}

/* An expression whose value is used as role says. */
static void
pg_m_expr(struct pg_walk *w, json_t *v, enum pg_mrole role,
    struct pg_mscope *sc)
{
	const char	*type, *kind, *tschema, *tname;
	json_t		*b, *x, *tn;
	size_t		 i;

	if (w->mdry)
		w->mwork++;
	if (json_is_array(v)) {
		json_array_foreach(v, i, x)
			pg_m_expr(w, x, role, sc);
		return;
	}
	if (!json_is_object(v))
		return;
	if (!pg_wrapped(v, &type, &b)) {
		pg_m_fields(w, v, role, sc);
		return;
	}
	if (strcmp(type, "ColumnRef") == 0)
		pg_m_col(w, b, role, sc);
	else if (strcmp(type, "FuncCall") == 0)
		pg_m_func(w, b, role, sc);
	else if (strcmp(type, "A_Expr") == 0) {
		if (!pg_m_op(w, b))
			role = PGM_REF;
		pg_m_fields(w, b, role, sc);
	} else if (strcmp(type, "TypeCast") == 0) {
		tn = json_object_get(b, "typeName");
		if (pg_type_trusted(w->ctx, tn, &tschema, &tname) != 1)
			role = PGM_REF;
		pg_m_expr(w, json_object_get(b, "arg"), role, sc);
	} else if (strcmp(type, "CaseExpr") == 0) {
		/* CASE x WHEN ..., and each WHEN, choose; THEN, ELSE flow. */
		pg_m_expr(w, json_object_get(b, "arg"), PGM_REF, sc);
		json_array_foreach(json_object_get(b, "args"), i, x) {
			x = pg_body(x, "CaseWhen");
			pg_m_expr(w, json_object_get(x, "expr"), PGM_REF, sc);
			pg_m_expr(w, json_object_get(x, "result"), role, sc);
		}
		pg_m_expr(w, json_object_get(b, "defresult"), role, sc);
	} else if (strcmp(type, "SubLink") == 0) {
		kind = pg_str(b, "subLinkType");
		pg_m_expr(w, json_object_get(b, "testexpr"), role, sc);
		/* EXISTS shows whether rows are found, not their values. */
		pg_m_stmt(w, json_object_get(b, "subselect"), sc,
		    kind != NULL && strcmp(kind, "EXISTS_SUBLINK") == 0 ?
		    PGM_TEST : role, NULL);
	} else if (strcmp(type, "SortBy") == 0 ||
	    strcmp(type, "WindowDef") == 0)
		pg_m_fields(w, b, PGM_REF, sc);
	else if (strcmp(type, "RangeVar") == 0)
		return;
	else if ((i = strlen(type)) > 4 && strcmp(type + i - 4, "Stmt") == 0)
		pg_m_stmt(w, v, sc, role, NULL);
	else
		pg_m_fields(w, b, role, sc);
}

/* The CTE named (unqualified) in scope, or NULL. */
static struct pg_mcte *
pg_m_cte(struct pg_walk *w, const char *name)
{
	size_t	 i;

	for (i = w->nmctes; i > 0; i--) {
		if (strcmp(w->mctes[i - 1].name, name) == 0)
			return (&w->mctes[i - 1]);
	}
	return (NULL);
}

/* Bring a CTE into scope with its outputs (res, which it takes). */
static void
pg_m_cte_push(struct pg_walk *w, const char *name, struct pg_mres *res)
{
	if (w->nmctes == w->mctecap) {
		w->mctecap = w->mctecap == 0 ? 8 : w->mctecap * 2;
		w->mctes = xreallocarray(w->mctes, w->mctecap,
		    sizeof *w->mctes);
	}
	w->mctes[w->nmctes].name = name != NULL ? name : "";
	w->mctes[w->nmctes++].res = *res;
	memset(res, 0, sizeof *res);
}

/* Take the CTEs brought into scope since there were n out of it. */
static void
pg_m_cte_pop(struct pg_walk *w, size_t n)
{
	while (w->nmctes > n)
		pg_m_res_free(&w->mctes[--w->nmctes].res);
}

/* Whether a relation has masked columns (any schema): 0, 1, 2 if all. */
static int
pg_m_rel(struct pg_walk *w, const char *name)
{
	size_t	 i;
	int	 m = 0;

	for (i = 0; name != NULL && i < w->nmrels; i++) {
		if (strcmp(w->mrels[i].name, name) != 0)
			continue;
		if (w->mrels[i].all || w->mrels[i].cols.every)
			return (2);
		if (w->mrels[i].cols.n > 0)
			m = 1;
	}
	return (m);
}

/* Whether column col of relation name (any schema) is masked. */
static int
pg_m_relcol(struct pg_walk *w, const char *name, const char *col)
{
	size_t	 i;

	for (i = 0; name != NULL && col != NULL && i < w->nmrels; i++) {
		if (strcmp(w->mrels[i].name, name) == 0 &&
		    (w->mrels[i].all || pg_names_has(&w->mrels[i].cols,
		    col)))
			return (1);
	}
	return (0);
}

/* A relation or CTE named in FROM (a RangeVar's body). */
static void
pg_m_rangevar(struct pg_walk *w, json_t *b, struct pg_mscope *sc)
{
	struct pg_mcte	*c;
	const char	*name, *alias;
	json_t		*cols;
	int		 m;

	if ((name = pg_str(b, "relname")) == NULL)
		return;
	alias = pg_str(json_object_get(b, "alias"), "aliasname");
	cols = json_object_get(json_object_get(b, "alias"), "colnames");
	if (pg_str(b, "schemaname") == NULL &&
	    (c = pg_m_cte(w, name)) != NULL) {
		pg_m_src_res(w, sc, alias != NULL ? alias : name, &c->res,
		    cols);
		return;
	}
	if ((m = pg_m_rel(w, name)) == 0)
		return;
	sc->masked = 1;
	if (m == 2)
		sc->all++;
	else
		pg_m_src_rel(w, sc, name, alias != NULL ? alias : name, cols);
}

/* An item of FROM (or USING of DELETE, FROM of UPDATE). */
static void
pg_m_from(struct pg_walk *w, json_t *v, struct pg_mscope *sc)
{
	struct pg_mres	 res;
	const char	*type, *s, *j, *name;
	json_t		*b, *x, *alias;
	size_t		 i, start, end;
	int		 all;

	if (json_is_array(v)) {
		json_array_foreach(v, i, x)
			pg_m_from(w, x, sc);
		return;
	}
	if (!pg_wrapped(v, &type, &b)) {
		pg_m_expr(w, v, PGM_REF, sc);
		return;
	}
	alias = json_object_get(b, "alias");
	if (strcmp(type, "RangeVar") == 0)
		pg_m_rangevar(w, b, sc);
	else if (strcmp(type, "RangeSubselect") == 0) {
		/* A derived table, LATERAL or not: its outputs by name. */
		pg_m_stmt(w, json_object_get(b, "subquery"), sc, PGM_OUT,
		    &res);
		pg_m_src_res(w, sc, pg_str(alias, "aliasname"), &res,
		    json_object_get(alias, "colnames"));
		pg_m_res_free(&res);
	} else if (strcmp(type, "JoinExpr") == 0) {
		start = sc->nsrc;
		all = sc->all;
		pg_m_from(w, json_object_get(b, "larg"), sc);
		pg_m_from(w, json_object_get(b, "rarg"), sc);
		/* USING and NATURAL compare columns: not with constants. */
		if (pg_true(b, "isNatural") && sc->masked)
			pg_m_hit(w, PGM_REF);
		json_array_foreach(json_object_get(b, "usingClause"), i, x) {
			if ((s = pg_string(x)) != NULL &&
			    pg_m_colname(w, s, sc))
				pg_m_hit(w, PGM_REF);
		}
		pg_m_pred(w, json_object_get(b, "quals"), sc);
		/* (a JOIN b USING (x)) AS j: j.x is a's or b's x. */
		if ((j = pg_str(json_object_get(b, "join_using_alias"),
		    "aliasname")) != NULL) {
			json_array_foreach(json_object_get(b, "usingClause"),
			    i, x) {
				if ((s = pg_string(x)) != NULL &&
				    pg_m_colname(w, s, sc))
					pg_m_src(w, sc, j, s);
			}
		}
		/* (a JOIN b) AS j: j names the columns of both. */
		end = sc->nsrc;
		if ((j = pg_str(alias, "aliasname")) != NULL) {
			if (sc->all > all || (end > start && json_array_size(
			    json_object_get(alias, "colnames")) > 0))
				pg_m_src(w, sc, j, NULL);
			else {
				for (i = start; i < end; i++) {
					name = sc->src[i].name;
					pg_m_src(w, sc, j, name);
				}
			}
		}
	} else if (strcmp(type, "RangeTableSample") == 0) {
		pg_m_from(w, json_object_get(b, "relation"), sc);
		pg_m_expr(w, json_object_get(b, "args"), PGM_REF, sc);
		pg_m_expr(w, json_object_get(b, "repeatable"), PGM_REF, sc);
	} else
		/* Functions in FROM: a row per value, their arguments. */
		pg_m_expr(w, v, PGM_REF, sc);
}

/* Whether an output (a ResTarget's val) is a * that expands. */
static int
pg_m_is_star(json_t *val)
{
	json_t	*b, *l;

	if ((b = pg_body(val, "ColumnRef")) != NULL)
		l = json_object_get(b, "fields");
	else if ((b = pg_body(val, "A_Indirection")) != NULL)
		l = json_object_get(b, "indirection");
	else
		return (0);
	return (pg_body(json_array_get(l, json_array_size(l) - 1),
	    "A_Star") != NULL);
}

/*
 * The masked names a * in a select list brings into res: those of q's
 * masked columns (q.*), or of every FROM item of the scope (*, q NULL).
 */
static void
pg_m_star(struct pg_walk *w, const struct pg_mscope *sc, const char *q,
    struct pg_mres *res)
{
	const struct pg_mscope	*s;
	size_t			 i;
	int			 found = 0;

	if (q != NULL && pg_names_has(&w->mall, q)) {
		(void)pg_m_res_name(res, NULL);
		return;
	}
	for (s = sc; s != NULL && !found; s = q != NULL ? s->up : NULL) {
		if (s->taint || (q == NULL && s->all)) {
			(void)pg_m_res_name(res, NULL);
			return;
		}
		for (i = 0; i < s->nsrc; i++) {
			if (q != NULL && (s->src[i].q == NULL ||
			    strcmp(s->src[i].q, q) != 0))
				continue;
			found = 1;
			(void)pg_m_res_name(res, s->src[i].name);
		}
	}
	if (!found)
		(void)pg_m_res_name(res, NULL);
}

/*
 * The name of the first output of a subquery (the left side of a set
 * operation), for the SubLink that names an output after it: 2, or -1
 * when not known.
 */
static int
pg_m_subname(json_t *v, const char **name, int depth)
{
	json_t	*b, *rt, *val;
	int	 k;

	b = pg_body(v, "SelectStmt");
	while (b != NULL && json_object_get(b, "larg") != NULL &&
	    depth++ < PG_M_MAX_FIGURE)
		b = json_object_get(b, "larg");
	if (b == NULL || depth > PG_M_MAX_FIGURE ||
	    (rt = pg_body(json_array_get(json_object_get(b, "targetList"), 0),
	    "ResTarget")) == NULL)
		return (-1);
	if ((*name = pg_str(rt, "name")) != NULL)
		return (2);
	val = json_object_get(rt, "val");
	if (pg_m_is_star(val) || (k = pg_m_figure(val, name, depth)) < 0)
		return (-1);
	if (k == 0)
		*name = "?column?";
	return (2);
}

/*
 * The name PostgreSQL gives an output without AS (its FigureColname):
 * *name and 2 (a good name) or 1 (a fallback), 0 when it has none (it is
 * called "?column?"), -1 when dbgate cannot tell.
 */
static int
pg_m_figure(json_t *v, const char **name, int depth)
{
	static const char *const xml[][2] = {
		{ "IS_XMLCONCAT", "xmlconcat" },
		{ "IS_XMLELEMENT", "xmlelement" },
		{ "IS_XMLFOREST", "xmlforest" },
		{ "IS_XMLPARSE", "xmlparse" },
		{ "IS_XMLPI", "xmlpi" },
		{ "IS_XMLROOT", "xmlroot" },
		{ "IS_XMLSERIALIZE", "xmlserialize" },
	};
	const char	*type, *s, *op;
	json_t		*b, *x, *l;
	size_t		 i;
	int		 k;

	if (v == NULL)
		return (0);
	if (depth > PG_M_MAX_FIGURE || !pg_wrapped(v, &type, &b))
		return (-1);
	op = pg_str(b, strcmp(type, "SubLink") == 0 ? "subLinkType" : "op");
	if (strcmp(type, "ColumnRef") == 0 ||
	    strcmp(type, "A_Indirection") == 0) {
		/* The last field name, but * and subscripts. */
		l = json_object_get(b, strcmp(type, "ColumnRef") == 0 ?
		    "fields" : "indirection");
		s = NULL;
		json_array_foreach(l, i, x) {
			if (pg_string(x) != NULL)
				s = pg_string(x);
		}
		if (s != NULL) {
			*name = s;
			return (2);
		}
		if (strcmp(type, "ColumnRef") == 0)
			return (0);
		return (pg_m_figure(json_object_get(b, "arg"), name,
		    depth + 1));
	}
	if (strcmp(type, "FuncCall") == 0) {
		l = json_object_get(b, "funcname");
		if ((*name = pg_string(json_array_get(l,
		    json_array_size(l) - 1))) == NULL)
			return (-1);
		return (2);
	}
	if (strcmp(type, "TypeCast") == 0) {
		if ((k = pg_m_figure(json_object_get(b, "arg"), name,
		    depth + 1)) < 0 || k == 2)
			return (k);
		l = json_object_get(json_object_get(b, "typeName"), "names");
		if ((s = pg_string(json_array_get(l,
		    json_array_size(l) - 1))) == NULL)
			return (-1);
		*name = s;
		return (1);
	}
	if (strcmp(type, "CollateClause") == 0)
		return (pg_m_figure(json_object_get(b, "arg"), name,
		    depth + 1));
	if (strcmp(type, "CaseExpr") == 0) {
		if ((k = pg_m_figure(json_object_get(b, "defresult"), name,
		    depth + 1)) < 0 || k == 2)
			return (k);
		*name = "case";
		return (1);
	}
	if (strcmp(type, "SubLink") == 0 && op != NULL) {
		if (strcmp(op, "EXPR_SUBLINK") == 0)
			return (pg_m_subname(json_object_get(b, "subselect"),
			    name, depth + 1));
		if (strcmp(op, "EXISTS_SUBLINK") == 0)
			*name = "exists";
		else if (strcmp(op, "ARRAY_SUBLINK") == 0)
			*name = "array";
		else
			return (0);
		return (2);
	}
	if (strcmp(type, "A_Expr") == 0) {
		if ((s = pg_str(b, "kind")) == NULL ||
		    strcmp(s, "AEXPR_NULLIF") != 0)
			return (0);
		*name = "nullif";
	} else if (strcmp(type, "GroupingFunc") == 0)
		*name = "grouping";
	else if (strcmp(type, "A_ArrayExpr") == 0)
		*name = "array";
	else if (strcmp(type, "RowExpr") == 0)
		*name = "row";
	else if (strcmp(type, "CoalesceExpr") == 0)
		*name = "coalesce";
	else if (strcmp(type, "XmlSerialize") == 0)
		*name = "xmlserialize";
	else if (strcmp(type, "MinMaxExpr") == 0 && op != NULL &&
	    strcmp(op, "IS_GREATEST") == 0)
		*name = "greatest";
	else if (strcmp(type, "MinMaxExpr") == 0 && op != NULL &&
	    strcmp(op, "IS_LEAST") == 0)
		*name = "least";
	else if (strcmp(type, "XmlExpr") == 0 && op != NULL) {
		if (strcmp(op, "IS_DOCUMENT") == 0)
			return (0);
		for (i = 0; i < nitems(xml); i++) {
			if (strcmp(op, xml[i][0]) == 0)
				break;
		}
		if (i == nitems(xml))
			return (-1);
		*name = xml[i][1];
	} else if (strcmp(type, "A_Const") == 0 ||
	    strcmp(type, "ParamRef") == 0 || strcmp(type, "BoolExpr") == 0 ||
	    strcmp(type, "NullTest") == 0 || strcmp(type, "BooleanTest") == 0)
		return (0);
	else
		return (-1);
	return (2);
}

/*
 * A target list (select list, RETURNING) whose outputs are used as role
 * says, into res: each output's name, and whether it may carry a masked
 * value.
 */
static void
pg_m_targets(struct pg_walk *w, json_t *tl, enum pg_mrole role,
    struct pg_mscope *sc, struct pg_mres *res)
{
	json_t		*x, *rt, *val, *f;
	const char	*name;
	size_t		 i, n;
	unsigned long	 h;
	int		 k;

	res->shape = 1;
	res->ntg = json_array_size(tl);
	res->tg = xcalloc(res->ntg + 1, sizeof *res->tg);
	json_array_foreach(tl, i, x) {
		h = w->mhits;
		rt = pg_body(x, "ResTarget");
		val = json_object_get(rt, "val");
		pg_m_expr(w, val, role, sc);
		res->tg[i].masked = w->mhits != h;
		res->any |= res->tg[i].masked;
		if (pg_m_is_star(val)) {
			res->star = 1;
			if (!res->tg[i].masked)
				continue;
			f = json_object_get(pg_body(val, "ColumnRef"),
			    "fields");
			if ((n = json_array_size(f)) == 1)
				pg_m_star(w, sc, NULL, res);
			else if (n >= 2 && (name = pg_string(json_array_get(f,
			    n - 2))) != NULL)
				pg_m_star(w, sc, name, res);
			else	/* (x).*: fields dbgate does not know */
				(void)pg_m_res_name(res, NULL);
			continue;
		}
		if ((name = pg_str(rt, "name")) == NULL) {
			if ((k = pg_m_figure(val, &name, 0)) < 0)
				name = NULL;
			else if (k == 0)
				name = "?column?";
		}
		res->tg[i].name = name;
		if (res->tg[i].masked)
			(void)pg_m_res_name(res, name);
	}
}

/* VALUES lists whose outputs are used as role says, into res. */
static void
pg_m_values(struct pg_walk *w, json_t *lists, enum pg_mrole role,
    struct pg_mscope *sc, struct pg_mres *res)
{
	json_t		*row, *x;
	size_t		 i, j;
	unsigned long	 h;

	res->shape = 1;
	json_array_foreach(lists, j, row) {
		row = json_object_get(pg_body(row, "List"), "items");
		if (json_array_size(row) > res->ntg) {
			res->tg = xreallocarray(res->tg, json_array_size(row),
			    sizeof *res->tg);
			memset(res->tg + res->ntg, 0, (json_array_size(row) -
			    res->ntg) * sizeof *res->tg);
			res->ntg = json_array_size(row);
		}
		json_array_foreach(row, i, x) {
			h = w->mhits;
			pg_m_expr(w, x, role, sc);
			if (w->mhits != h) {
				res->tg[i].masked = res->any = 1;
				/* column1, column2...: not named here. */
				(void)pg_m_res_name(res, NULL);
			}
		}
	}
}

/*
 * ORDER BY, GROUP BY, DISTINCT ON: expressions, or names or positions of
 * the outputs (res).
 */
static void
pg_m_sort(struct pg_walk *w, json_t *list, struct pg_mscope *sc,
    const struct pg_mres *res)
{
	json_t		*x, *b, *node, *fields;
	const char	*name;
	size_t		 i;
	json_int_t	 pos;

	json_array_foreach(list, i, x) {
		node = x;
		if ((b = pg_body(x, "SortBy")) != NULL)
			node = json_object_get(b, "node");
		/* ROLLUP, CUBE, GROUPING SETS and (a, b) in them group by
		 * their items: the same output names and positions. */
		if ((b = pg_body(node, "GroupingSet")) != NULL) {
			pg_m_sort(w, json_object_get(b, "content"), sc, res);
			continue;
		}
		if ((b = pg_body(node, "RowExpr")) != NULL) {
			pg_m_sort(w, json_object_get(b, "args"), sc, res);
			continue;
		}
		if ((b = pg_body(node, "A_Const")) != NULL &&
		    json_object_get(b, "ival") != NULL) {
			pos = json_integer_value(json_object_get(
			    json_object_get(b, "ival"), "ival"));
			if ((res->star && res->any) || (pos >= 1 &&
			    (size_t)pos <= res->ntg && res->tg[pos - 1].masked))
				pg_m_hit(w, PGM_REF);
		} else if ((b = pg_body(node, "ColumnRef")) != NULL &&
		    json_array_size(fields = json_object_get(b, "fields")) ==
		    1 && (name = pg_string(json_array_get(fields, 0))) !=
		    NULL && pg_m_res_has(res, name))
			pg_m_hit(w, PGM_REF);
		pg_m_expr(w, x, PGM_REF, sc);
	}
}

/* Whether a column list (SEARCH BY, CYCLE) names a masked output. */
static int
pg_m_res_cols(const struct pg_mres *res, json_t *list)
{
	json_t		*x;
	const char	*s;
	size_t		 i;

	json_array_foreach(list, i, x) {
		if ((s = pg_string(x)) == NULL || pg_m_res_has(res, s))
			return (1);
	}
	return (0);
}

/*
 * The outputs of a CTE (c, a CommonTableExpr's body) into res, under its
 * column list. SEARCH adds a column holding the values searched by;
 * CYCLE compares its columns across rows, and adds a path of them.
 */
static void
pg_m_cte_query(struct pg_walk *w, json_t *c, struct pg_mscope *sc,
    struct pg_mres *res)
{
	json_t	*sr, *cy;
	int	 m;

	pg_m_stmt(w, json_object_get(c, "ctequery"), sc, PGM_OUT, res);
	pg_m_res_rename(res, json_object_get(c, "aliascolnames"));
	if ((sr = json_object_get(c, "search_clause")) != NULL)
		pg_m_res_add(res, pg_str(sr, "search_seq_column"),
		    pg_m_res_cols(res, json_object_get(sr,
		    "search_col_list")));
	if ((cy = json_object_get(c, "cycle_clause")) != NULL) {
		if ((m = pg_m_res_cols(res, json_object_get(cy,
		    "cycle_col_list"))))
			pg_m_hit(w, PGM_REF);
		pg_m_res_add(res, pg_str(cy, "cycle_mark_column"), 0);
		pg_m_res_add(res, pg_str(cy, "cycle_path_column"), m);
	}
}

/*
 * A WITH clause: each CTE is walked, and brought into scope with its
 * outputs. A recursive CTE may read its own: they are found by walking
 * the bodies without flags until no more may carry a masked value, within
 * a budget (past it, or nested, all its outputs are taken to).
 */
static void
pg_m_with(struct pg_walk *w, json_t *with, struct pg_mscope *sc)
{
	struct pg_mres	 res;
	json_t		*ctes, *c;
	size_t		 i, first;
	int		 changed, e;

	if (with == NULL)
		return;
	ctes = json_object_get(with, "ctes");
	if (!pg_true(with, "recursive")) {
		json_array_foreach(ctes, i, c) {
			c = pg_body(c, "CommonTableExpr");
			pg_m_cte_query(w, c, sc, &res);
			pg_m_cte_push(w, pg_str(c, "ctename"), &res);
		}
		return;
	}
	first = w->nmctes;
	memset(&res, 0, sizeof res);
	json_array_foreach(ctes, i, c)
		pg_m_cte_push(w, pg_str(pg_body(c, "CommonTableExpr"),
		    "ctename"), &res);
	/* Each sweep but the last finds one more masked output, at least. */
	e = w->mdry || w->mwork > PG_M_DRY_WORK;
	w->mdry++;
	for (changed = !e; changed && !e;) {
		changed = 0;
		json_array_foreach(ctes, i, c) {
			pg_m_cte_query(w, pg_body(c, "CommonTableExpr"), sc,
			    &res);
			changed |= pg_m_res_merge(&w->mctes[first + i].res,
			    &res);
			pg_m_res_free(&res);
		}
		e = w->mwork > PG_M_DRY_WORK;
	}
	w->mdry--;
	json_array_foreach(ctes, i, c) {
		if (e)
			pg_m_res_all(&w->mctes[first + i].res);
		pg_m_cte_query(w, pg_body(c, "CommonTableExpr"), sc, &res);
		(void)pg_m_res_merge(&w->mctes[first + i].res, &res);
		pg_m_res_free(&res);
	}
}

/*
 * A SELECT (or VALUES, or a set operation; b is the body) whose outputs
 * are used as role says, into res (caller frees). Returns whether they
 * may carry a masked value.
 */
static int
pg_m_select(struct pg_walk *w, json_t *b, struct pg_mscope *up,
    enum pg_mrole role, struct pg_mres *res)
{
	struct pg_mscope	 sc;
	struct pg_mres		 l, r;
	size_t			 save = w->nmctes;
	int			 into;

	memset(res, 0, sizeof *res);
	memset(&sc, 0, sizeof sc);
	sc.up = up;
	/* SELECT INTO writes its outputs to a table. */
	if ((into = json_object_get(b, "intoClause") != NULL))
		w->mflow++;
	pg_m_with(w, json_object_get(b, "withClause"), &sc);
	if (json_object_get(b, "larg") != NULL ||
	    json_object_get(b, "rarg") != NULL) {
		pg_m_select(w, json_object_get(b, "larg"), &sc, role, &l);
		pg_m_select(w, json_object_get(b, "rarg"), &sc, role, &r);
		/*
		 * INTERSECT and EXCEPT compare the rows of both sides: a
		 * membership test on whatever the outputs hold.
		 */
		if ((l.any || r.any) && pg_str(b, "op") != NULL &&
		    (strcmp(pg_str(b, "op"), "SETOP_INTERSECT") == 0 ||
		    strcmp(pg_str(b, "op"), "SETOP_EXCEPT") == 0))
			pg_m_hit(w, PGM_REF);
		pg_m_res_setop(res, &l, &r);
		pg_m_res_free(&l);
		pg_m_res_free(&r);
		/* Its ORDER BY can only name its outputs. */
		pg_m_src_res(w, &sc, NULL, res, NULL);
		pg_m_sort(w, json_object_get(b, "sortClause"), &sc, res);
	} else {
		pg_m_from(w, json_object_get(b, "fromClause"), &sc);
		if (json_object_get(b, "valuesLists") != NULL)
			pg_m_values(w, json_object_get(b, "valuesLists"),
			    role, &sc, res);
		else
			pg_m_targets(w, json_object_get(b, "targetList"),
			    role, &sc, res);
		pg_m_pred(w, json_object_get(b, "whereClause"), &sc);
		pg_m_pred(w, json_object_get(b, "havingClause"), &sc);
		pg_m_sort(w, json_object_get(b, "groupClause"), &sc, res);
		pg_m_sort(w, json_object_get(b, "distinctClause"), &sc, res);
		pg_m_sort(w, json_object_get(b, "sortClause"), &sc, res);
		pg_m_expr(w, json_object_get(b, "windowClause"), PGM_REF, &sc);
	}
	pg_m_expr(w, json_object_get(b, "limitOffset"), PGM_REF, &sc);
	pg_m_expr(w, json_object_get(b, "limitCount"), PGM_REF, &sc);
	pg_m_scope_free(w, &sc);
	pg_m_cte_pop(w, save);
	if (into)
		w->mflow--;
	return (res->any);
}

/* Column names a write sets (ResTargets) in its masked target relation. */
static void
pg_m_setcols(struct pg_walk *w, const char *rel, json_t *list)
{
	json_t	*x;
	size_t	 i;

	json_array_foreach(list, i, x) {
		if (pg_m_relcol(w, rel, pg_str(pg_body(x, "ResTarget"),
		    "name")))
			pg_m_hit(w, PGM_REF);
	}
}

/*
 * INSERT, UPDATE, DELETE, MERGE (type; b is the body): a masked column
 * written, or read into what is written, is a flow; UPDATE and DELETE
 * may find rows by equality; RETURNING is an output (role), into res.
 * Returns whether RETURNING may carry a masked value.
 */
static int
pg_m_write(struct pg_walk *w, const char *type, json_t *b,
    struct pg_mscope *up, enum pg_mrole role, struct pg_mres *res)
{
	struct pg_mscope	 sc;
	json_t			*x, *c;
	const char		*rel, *alias, *cmd;
	size_t			 save = w->nmctes, i;
	int			 m;

	memset(res, 0, sizeof *res);
	memset(&sc, 0, sizeof sc);
	sc.up = up;
	pg_m_with(w, json_object_get(b, "withClause"), &sc);
	rel = pg_str(json_object_get(b, "relation"), "relname");
	alias = pg_str(json_object_get(json_object_get(b, "relation"),
	    "alias"), "aliasname");
	if ((m = pg_m_rel(w, rel)) != 0) {
		sc.masked = 1;
		if (m == 2)
			sc.all++;
		else
			pg_m_src_rel(w, &sc, rel, alias != NULL ? alias : rel,
			    NULL);
	}
	w->mflow++;
	if (strcmp(type, "InsertStmt") == 0) {
		pg_m_setcols(w, rel, json_object_get(b, "cols"));
		/* No column list: every column, the masked ones too. */
		if (m != 0 && json_object_get(b, "cols") == NULL &&
		    json_object_get(b, "selectStmt") != NULL)
			pg_m_hit(w, PGM_REF);
		pg_m_stmt(w, json_object_get(b, "selectStmt"), &sc, PGM_REF,
		    NULL);
		x = json_object_get(b, "onConflictClause");
		pg_m_setcols(w, rel, json_object_get(x, "targetList"));
		pg_m_expr(w, x, PGM_REF, &sc);
	} else if (strcmp(type, "UpdateStmt") == 0) {
		pg_m_from(w, json_object_get(b, "fromClause"), &sc);
		pg_m_setcols(w, rel, json_object_get(b, "targetList"));
		pg_m_expr(w, json_object_get(b, "targetList"), PGM_REF, &sc);
	} else if (strcmp(type, "DeleteStmt") == 0)
		pg_m_from(w, json_object_get(b, "usingClause"), &sc);
	else {
		/* MERGE */
		pg_m_from(w, json_object_get(b, "sourceRelation"), &sc);
		pg_m_expr(w, json_object_get(b, "joinCondition"), PGM_REF,
		    &sc);
		json_array_foreach(json_object_get(b, "mergeWhenClauses"), i,
		    x) {
			c = pg_body(x, "MergeWhenClause");
			pg_m_setcols(w, rel, json_object_get(c, "targetList"));
			if (m != 0 && (cmd = pg_str(c, "commandType")) !=
			    NULL && strcmp(cmd, "CMD_INSERT") == 0 &&
			    json_object_get(c, "targetList") == NULL)
				pg_m_hit(w, PGM_REF);
			pg_m_expr(w, c, PGM_REF, &sc);
		}
	}
	w->mflow--;
	pg_m_pred(w, json_object_get(b, "whereClause"), &sc);
	if (json_object_get(b, "returningList") != NULL)
		pg_m_targets(w, json_object_get(b, "returningList"), role,
		    &sc, res);
	pg_m_scope_free(w, &sc);
	pg_m_cte_pop(w, save);
	return (res->any);
}

/*
 * COPY: a table with masked columns (those listed, or any if none are),
 * to or from the client, a file or a program; a query's outputs.
 */
static void
pg_m_copy(struct pg_walk *w, json_t *b, struct pg_mscope *sc)
{
	json_t		*list, *x;
	const char	*rel;
	size_t		 i;

	rel = pg_str(json_object_get(b, "relation"), "relname");
	list = json_object_get(b, "attlist");
	if (list == NULL && pg_m_rel(w, rel) != 0)
		pg_m_hit(w, PGM_REF);
	json_array_foreach(list, i, x) {
		if (pg_m_relcol(w, rel, pg_string(x)))
			pg_m_hit(w, PGM_REF);
	}
	w->mflow++;
	pg_m_stmt(w, json_object_get(b, "query"), sc, PGM_REF, NULL);
	pg_m_fields(w, b, PGM_REF, sc);
	w->mflow--;
}

/*
 * RENAME, SET SCHEMA: a relation with masked columns, or a masked column,
 * renamed or moved goes out from under the masks, which name them.
 */
static void
pg_m_move(struct pg_walk *w, json_t *b)
{
	static const char *const rels[] = {
		"OBJECT_TABLE", "OBJECT_VIEW", "OBJECT_MATVIEW",
		"OBJECT_FOREIGN_TABLE",
	};
	const char	*rel, *kind;
	size_t		 i;

	rel = pg_str(json_object_get(b, "relation"), "relname");
	if ((kind = pg_str(b, "renameType")) == NULL &&
	    (kind = pg_str(b, "objectType")) == NULL)
		return;
	if (strcmp(kind, "OBJECT_COLUMN") == 0) {
		if (pg_m_relcol(w, rel, pg_str(b, "subname")))
			pg_m_hit(w, PGM_REF);
		return;
	}
	for (i = 0; i < nitems(rels); i++) {
		if (strcmp(kind, rels[i]) == 0 && pg_m_rel(w, rel) != 0)
			pg_m_hit(w, PGM_REF);
	}
}

/*
 * A statement (a node) whose outputs are used as role says, into res if
 * not NULL (caller frees; shape unset when the statement returns no
 * query's outputs); returns whether they may carry a masked value. Any
 * statement but a query, a write and EXPLAIN keeps what it reads (CREATE
 * TABLE AS, views, cursors, rules, function bodies): a flow.
 */
static int
pg_m_stmt(struct pg_walk *w, json_t *v, struct pg_mscope *sc,
    enum pg_mrole role, struct pg_mres *res)
{
	struct pg_mres	 own;
	const char	*type;
	json_t		*b, *x;
	int		 found, any = 0;

	if (res == NULL)
		res = &own;
	memset(res, 0, sizeof *res);
	if (!pg_wrapped(v, &type, &b))
		return (0);
	if (strcmp(type, "SelectStmt") == 0)
		any = pg_m_select(w, b, sc, role, res);
	else if (strcmp(type, "InsertStmt") == 0 ||
	    strcmp(type, "UpdateStmt") == 0 ||
	    strcmp(type, "DeleteStmt") == 0 ||
	    strcmp(type, "MergeStmt") == 0)
		any = pg_m_write(w, type, b, sc, role, res);
	else if (strcmp(type, "ExplainStmt") == 0) {
		/* Plain EXPLAIN shows the plan, never a value. */
		x = pg_def(json_object_get(b, "options"), "analyze", &found);
		if (found && pg_def_bool(x) != 0)
			pg_m_stmt(w, json_object_get(b, "query"), sc, role,
			    NULL);
	} else if (strcmp(type, "CopyStmt") == 0)
		pg_m_copy(w, b, sc);
	else if (strcmp(type, "PrepareStmt") != 0) {
		/* (PREPARE is done by pg_prepare, into its facts.) */
		if (strcmp(type, "RenameStmt") == 0 ||
		    strcmp(type, "AlterObjectSchemaStmt") == 0)
			pg_m_move(w, b);
		w->mflow++;
		pg_m_fields(w, b, PGM_REF, sc);
		w->mflow--;
	}
	if (res == &own)
		pg_m_res_free(&own);
	return (any);
}

/*
 * Whether a statement may read pg_stat_activity's query column: a column
 * named query, a whole row of it (a, a.*, *), or a name of it that is not
 * one of its columns (a.text calls text(a)).
 */
static int
pg_activity_query(struct pg_walk *w, json_t *v, int depth)
{
	const char	*key, *name, *q = NULL;
	json_t		*x, *fields;
	size_t		 i, n;

	if (depth > 1000)
		return (1);
	if (json_is_array(v)) {
		json_array_foreach(v, i, x) {
			if (pg_activity_query(w, x, depth + 1))
				return (1);
		}
		return (0);
	}
	json_object_foreach(v, key, x) {
		if (!json_is_object(x) && !json_is_array(x))
			continue;
		if (strcmp(key, "ColumnRef") != 0) {
			if (pg_activity_query(w, x, depth + 1))
				return (1);
			continue;
		}
		fields = json_object_get(x, "fields");
		if ((n = json_array_size(fields)) == 0)
			continue;
		name = pg_string(json_array_get(fields, n - 1));
		if (n >= 2)
			q = pg_string(json_array_get(fields, n - 2));
		if (name == NULL && (n == 1 || q == NULL ||
		    pg_names_has(&w->actnames, q)))
			return (1);
		if (name == NULL)
			continue;
		if (strcmp(name, "query") == 0 || (n == 1 &&
		    pg_names_has(&w->actnames, name)))
			return (1);
		/* A function with effects has facts of its own. */
		if (n >= 2 && (q == NULL ||
		    pg_names_has(&w->actnames, q)) &&
		    bsearch(name, pg_activity_cols, nitems(pg_activity_cols),
		    sizeof *pg_activity_cols, pg_name_cmp) == NULL &&
		    !pg_effect_name(name))
			return (1);
	}
	return (0);
}

/*
 * After the walk of a statement (a node): pg_stat_activity's query text,
 * and the second pass over masked columns, which also says which of the
 * statement's own output columns may carry a masked value (out_masked).
 * Text inside text (a body, a DO block, EXECUTE) runs later or
 * elsewhere: its outputs are a flow.
 */
static void
pg_after(struct pg_walk *w, json_t *stmt)
{
	struct pg_mres	 res;
	const char	*type;
	json_t		*b, *x;
	size_t		 save = w->nmctes, i;
	int		 flow = w->mflow, found;

	if (w->stop || (w->nmasked == 0 && !w->activity) ||
	    !pg_wrapped(stmt, &type, &b) || strcmp(type, "PrepareStmt") == 0)
		return;
	if (strcmp(type, "ExplainStmt") == 0) {
		x = pg_def(json_object_get(b, "options"), "analyze", &found);
		if (!found || pg_def_bool(x) == 0)
			return;
	}
	if (w->activity && pg_activity_query(w, stmt, 0))
		w->f->flags |= GF_RAW_VALUES;
	if (w->nmasked == 0)
		return;
	if (w->nest > 1)
		w->mflow++;
	pg_m_stmt(w, stmt, NULL, PGM_OUT, &res);
	pg_m_cte_pop(w, save);
	w->mflow = flow;
	/* The statement's own outputs, when their number is known. */
	if (w->nest == 1 && res.shape && !res.star && res.ntg > 0) {
		free(w->f->out_masked);
		w->f->out_masked = xcalloc(res.ntg, sizeof *w->f->out_masked);
		for (i = 0; i < res.ntg; i++)
			w->f->out_masked[i] = res.tg[i].masked != 0;
		w->f->nout = res.ntg;
	}
	pg_m_res_free(&res);
}

/* Walk one node by its type. */
static void
pg_dispatch(struct pg_walk *w, const struct pg_node_type *nt, json_t *b,
    unsigned int access)
{
	static const char *const funcname[] = { "funcname", NULL };
	json_t		*x, *y;
	size_t		 i;
	int		 found, scalar;
	const char	*s;

	switch (nt->handler) {
	case PGH_NODE:
		pg_fields(w, b, access, NULL);
		break;
	case PGH_STMT:
		guard_add_kind(w->f, nt->kind);
		w->f->flags |= nt->flags;
		pg_fields(w, b, nt->access, NULL);
		break;
	case PGH_RANGEVAR:
		pg_rangevar(w, b, access);
		break;
	case PGH_FUNCCALL:
		pg_func(w, json_object_get(b, "funcname"),
		    json_object_get(b, "args"));
		pg_fields(w, b, access, funcname);
		break;
	case PGH_ROWLOCK:
		w->f->flags |= GF_ROW_LOCK;
		pg_fields(w, b, GUARD_READ, NULL);
		break;
	case PGH_TABLELIKE:
		pg_fields(w, b, GUARD_READ, NULL);
		break;
	case PGH_SAMPLE:
		pg_sample(w, b, access);
		break;
	case PGH_SELECT:
		pg_select(w, b);
		break;
	case PGH_INSERT:
		pg_dml(w, b, KIND_INSERT);
		break;
	case PGH_UPDATE:
		pg_dml(w, b, KIND_UPDATE);
		break;
	case PGH_DELETE:
		pg_dml(w, b, KIND_DELETE);
		break;
	case PGH_MERGE:
		pg_dml(w, b, KIND_MERGE);
		break;
	case PGH_CTAS:
		pg_ctas(w, b);
		break;
	case PGH_ALTERTABLE:
		pg_alter_table(w, b);
		break;
	case PGH_DROP:
		pg_drop(w, b);
		break;
	case PGH_CREATEFUNC:
		pg_create_func(w, b);
		break;
	case PGH_ALTERFUNC:
		pg_alter_func(w, b);
		break;
	case PGH_TRIGGER:
		pg_trigger(w, b);
		break;
	case PGH_SCHEMA:
		pg_schema(w, b);
		break;
	case PGH_DO:
		pg_do(w, b);
		break;
	case PGH_CALL:
		pg_call(w, b);
		break;
	case PGH_COPY:
		pg_copy(w, b);
		break;
	case PGH_EXPLAIN:
		pg_explain(w, b);
		break;
	case PGH_PREPARE:
		pg_prepare(w, b);
		break;
	case PGH_EXECUTE:
		pg_execute(w, b);
		break;
	case PGH_DEALLOCATE:
		guard_add_kind(w->f, KIND_PREPARE);
		guard_ctx_deallocate(w->ctx, pg_str(b, "name"));
		break;
	case PGH_DECLARE:
		guard_add_kind(w->f, KIND_SELECT);
		pg_fields(w, b, GUARD_READ, NULL);
		break;
	case PGH_SET:
		pg_set(w, b, 1);
		break;
	case PGH_DISCARD:
		guard_add_kind(w->f, KIND_SET);
		if ((s = pg_str(b, "target")) == NULL ||
		    strcmp(s, "DISCARD_ALL") == 0) {
			/* RESET ALL, DEALLOCATE ALL and more. */
			pg_pinned(w, "all");
			w->f->flags |= GF_CONTEXT | GF_READ_WRITE;
			pg_path_default(w->ctx);
			guard_ctx_deallocate(w->ctx, NULL);
		}
		break;
	case PGH_TRANSACTION:
		pg_transaction(w, b);
		break;
	case PGH_RENAME:
		/* ALTER ROLE ... RENAME is role management. */
		if ((s = pg_str(b, "renameType")) != NULL &&
		    strcmp(s, "OBJECT_ROLE") == 0) {
			guard_add_kind(w->f, KIND_ROLE);
			w->f->flags |= GF_PRIVILEGE;
		} else
			guard_add_kind(w->f, KIND_DDL);
		w->f->flags |= GF_WRITE;
		pg_fields(w, b, GUARD_WRITE, NULL);
		break;
	case PGH_AEXPR:
		/* BETWEEN is named by keyword; its operators by search path. */
		x = json_object_get(b, "name");
		if ((s = pg_str(b, "kind")) != NULL &&
		    strstr(s, "BETWEEN") != NULL) {
			if (!pg_catalog_first(w->ctx))
				pg_func_opaque(w, x);
		} else
			pg_operator(w, x);
		pg_fields(w, b, access, NULL);
		break;
	case PGH_OPERATORS:
		/* x op ANY (SELECT ...), ORDER BY x USING op */
		if ((x = json_object_get(b, "operName")) != NULL ||
		    (x = json_object_get(b, "useOp")) != NULL)
			pg_operator(w, x);
		pg_fields(w, b, access, NULL);
		break;
	case PGH_CASE:
		/* CASE x WHEN y compares with the = the search path finds. */
		if (json_object_get(b, "arg") != NULL &&
		    !pg_catalog_first(w->ctx)) {
			guard_add_func(w->f, NULL, "=", 1);
			w->f->flags |= GF_OPAQUE;
		}
		pg_fields(w, b, access, NULL);
		break;
	case PGH_TYPED:
		pg_typename(w, json_object_get(b, "typeName"));
		pg_fields(w, b, access, NULL);
		break;
	case PGH_TYPENAME:
		pg_typename(w, b);
		pg_fields(w, b, access, NULL);
		break;
	case PGH_COLUMNREF:
		/* t.c.name: function name on column c of t (or on t). */
		x = json_object_get(b, "fields");
		if (json_array_size(x) >= 2 && (s = pg_string(json_array_get(x,
		    json_array_size(x) - 1))) != NULL)
			pg_field_call(w, s, 0);
		pg_fields(w, b, access, NULL);
		break;
	case PGH_INDIRECTION:
		y = json_object_get(b, "arg");
		scalar = pg_body(y, "A_Const") != NULL ||
		    pg_body(y, "TypeCast") != NULL;
		json_array_foreach(json_object_get(b, "indirection"), i, x) {
			if ((s = pg_string(x)) != NULL)
				pg_field_call(w, s, scalar);
		}
		pg_fields(w, b, access, NULL);
		break;
	case PGH_DEFELEM:
		/* file_fdw reads a server file, or a program's output. */
		if ((s = pg_str(b, "defname")) != NULL &&
		    strcmp(s, "filename") == 0)
			w->f->flags |= GF_FILE;
		else if (s != NULL && strcmp(s, "program") == 0)
			w->f->flags |= GF_PROGRAM;
		pg_fields(w, b, access, NULL);
		break;
	case PGH_VACUUM:
		guard_add_kind(w->f, KIND_ADMIN);
		x = pg_def(json_object_get(b, "options"), "full", &found);
		if (found && pg_def_bool(x) != 0)
			w->f->flags |= GF_MAINTENANCE;
		pg_fields(w, b, GUARD_READ, NULL);
		break;
	}
}

/* Walk a node of the given type: default-deny on types not listed. */
static void
pg_node(struct pg_walk *w, const char *type, json_t *b, unsigned int access)
{
	const struct pg_node_type	*nt;
	size_t				 n;

	if (++w->depth > PG_MAX_DEPTH)
		pg_fail(w, "the statement nests too deeply to classify (over "
		    "%d levels)", PG_MAX_DEPTH);
	else if ((nt = bsearch(type, pg_node_types, nitems(pg_node_types),
	    sizeof *pg_node_types, pg_type_cmp)) != NULL)
		pg_dispatch(w, nt, b, access);
	else if ((n = strlen(type)) > 4 && strcmp(type + n - 4, "Stmt") == 0)
		pg_fail(w, "dbgate does not classify %s statements", type);
	else
		pg_fail(w, "dbgate does not classify %s nodes", type);
	w->depth--;
}

/*
 * Walk a JSON value of the parse tree; access is how the relations named
 * in it are used, unless a statement in it says otherwise.
 */
static void
pg_value(struct pg_walk *w, json_t *v, unsigned int access)
{
	const char	*type;
	json_t		*b, *x;
	size_t		 i;

	if (w->stop)
		return;
	if (json_is_array(v)) {
		json_array_foreach(v, i, x) {
			if (w->stop)
				return;
			pg_value(w, x, access);
		}
	} else if (json_is_object(v)) {
		if (pg_wrapped(v, &type, &b))
			pg_node(w, type, b, access);
		else if (json_object_get(v, "relname") != NULL)
			pg_rangevar(w, v, access);	/* unwrapped */
		else
			pg_fields(w, v, access, NULL);
	}
}

/*
 * Parse text (NUL-terminated, len bytes) into *root (caller releases). 0,
 * or -1: unknown, unless quiet and libpg_query only found a syntax error.
 */
static int
pg_parse(struct pg_walk *w, const char *text, size_t len, int quiet,
    json_t **root)
{
	PgQueryParseResult	 r;
	json_error_t		 je;
	int			 deep;

	if (w->stop)
		return (-1);
	if (w->nest >= PG_MAX_NEST) {
		pg_fail(w, "statements nest inside strings too deeply to "
		    "classify (over %d levels)", PG_MAX_NEST);
		return (-1);
	}
	if (len >= PG_DEEP_BYTES && (deep = pg_too_deep(text)) != 0) {
		if (deep < 0 && quiet)
			return (-1);
		if (deep < 0)
			pg_fail(w, "libpg_query cannot scan the statement");
		else
			pg_fail(w, "the statement nests too deeply to "
			    "classify");
		return (-1);
	}
	r = pg_query_parse(text);
	if (r.error != NULL) {
		if (!quiet)
			pg_fail(w, "libpg_query cannot parse the statement: %s",
			    r.error->message);
		pg_query_free_parse_result(r);
		return (-1);
	}
	*root = json_loads(r.parse_tree, 0, &je);
	pg_query_free_parse_result(r);
	if (*root == NULL) {
		/* jansson stops at 2048 levels. */
		pg_fail(w, "the statement nests too deeply to classify (%s)",
		    je.text);
		return (-1);
	}
	return (0);
}

/* Walk the statements of a parse tree of text (len bytes). */
static void
pg_walk_stmts(struct pg_walk *w, json_t *root, const char *text, size_t len)
{
	const char	*stmt = w->stmt;
	size_t		 stmtlen = w->stmtlen, ctebase = w->ctebase, i;
	json_int_t	 loc, sl;
	json_t		*st;
	int		 activity = w->activity;

	/* Text parsed from a string sees no CTE of the statement around. */
	w->ctebase = w->nctes;
	w->nest++;
	json_array_foreach(json_object_get(root, "stmts"), i, st) {
		if (w->stop)
			break;
		loc = json_integer_value(json_object_get(st, "stmt_location"));
		sl = json_integer_value(json_object_get(st, "stmt_len"));
		if (loc < 0 || sl < 0 || (size_t)loc > len ||
		    (size_t)sl > len - (size_t)loc) {
			pg_fail(w, "libpg_query returned a statement outside "
			    "the input");
			break;
		}
		w->stmt = text + loc;
		w->stmtlen = sl != 0 ? (size_t)sl : len - (size_t)loc;
		w->activity = 0;
		pg_value(w, json_object_get(st, "stmt"), GUARD_READ);
		pg_after(w, json_object_get(st, "stmt"));
	}
	w->activity = activity;
	w->nest--;
	w->ctebase = ctebase;
	w->stmt = stmt;
	w->stmtlen = stmtlen;
}

/* Parse text and walk its statements. 0, or -1 (see pg_parse). */
static int
pg_text(struct pg_walk *w, const char *text, size_t len, int quiet)
{
	json_t	*root;

	if (pg_parse(w, text, len, quiet, &root) != 0)
		return (-1);
	pg_walk_stmts(w, root, text, len);
	json_decref(root);
	return (0);
}

/* The PL/pgSQL node types dbgate walks. Sorted (strcmp). */
static const char *pg_pl_types[] = {
	"PLpgSQL_arrayelem", "PLpgSQL_case_when", "PLpgSQL_condition",
	"PLpgSQL_diag_item", "PLpgSQL_exception", "PLpgSQL_exception_block",
	"PLpgSQL_function", "PLpgSQL_if_elsif", "PLpgSQL_raise_option",
	"PLpgSQL_rec", "PLpgSQL_recfield", "PLpgSQL_row",
	"PLpgSQL_stmt_assert", "PLpgSQL_stmt_assign", "PLpgSQL_stmt_block",
	"PLpgSQL_stmt_call", "PLpgSQL_stmt_case", "PLpgSQL_stmt_close",
	"PLpgSQL_stmt_commit", "PLpgSQL_stmt_dynexecute",
	"PLpgSQL_stmt_dynfors", "PLpgSQL_stmt_execsql", "PLpgSQL_stmt_exit",
	"PLpgSQL_stmt_fetch", "PLpgSQL_stmt_forc", "PLpgSQL_stmt_foreach_a",
	"PLpgSQL_stmt_fori", "PLpgSQL_stmt_fors", "PLpgSQL_stmt_getdiag",
	"PLpgSQL_stmt_if", "PLpgSQL_stmt_loop", "PLpgSQL_stmt_open",
	"PLpgSQL_stmt_perform", "PLpgSQL_stmt_raise", "PLpgSQL_stmt_return",
	"PLpgSQL_stmt_return_next", "PLpgSQL_stmt_return_query",
	"PLpgSQL_stmt_rollback", "PLpgSQL_stmt_while", "PLpgSQL_type",
	"PLpgSQL_var",
};

/*
 * The string constant a dynamic statement's text is, if its parse (of
 * SELECT text) is exactly that: SELECT 'literal'.
 */
static const char *
pg_literal_stmt(json_t *root)
{
	json_t		*stmts, *sel, *tl, *rt, *x;
	const char	*key;

	stmts = json_object_get(root, "stmts");
	if (json_array_size(stmts) != 1 || (sel = pg_body(json_object_get(
	    json_array_get(stmts, 0), "stmt"), "SelectStmt")) == NULL)
		return (NULL);
	json_object_foreach(sel, key, x) {
		if (strcmp(key, "targetList") != 0 &&
		    strcmp(key, "limitOption") != 0 && strcmp(key, "op") != 0)
			return (NULL);
	}
	tl = json_object_get(sel, "targetList");
	if (json_array_size(tl) != 1 ||
	    (rt = pg_body(json_array_get(tl, 0), "ResTarget")) == NULL)
		return (NULL);
	return (pg_const_string(json_object_get(rt, "val")));
}

/* Walk SELECT text, for an expression. */
static void
pg_pl_select(struct pg_walk *w, const char *expr, size_t len)
{
	char	*s;

	xasprintf(&s, "SELECT %.*s", (int)len, expr);
	pg_text(w, s, strlen(s), 0);
	free(s);
}

/* PL/pgSQL target := expression: both sides are expressions. */
static void
pg_pl_assign(struct pg_walk *w, const char *q)
{
	struct pg_scan	 sc;
	uint64_t	 start, end, tok;
	size_t		 len = strlen(q);
	int		 level = 0, r, found = 0;

	if (pg_scan_open(&sc, q) != 0) {
		pg_scan_close(&sc);
		pg_fail(w, "libpg_query cannot scan a PL/pgSQL assignment");
		return;
	}
	while ((r = pg_scan_next(&sc, &start, &end, &tok)) == 1) {
		if (tok == '(' || tok == '[')
			level++;
		else if (tok == ')' || tok == ']')
			level--;
		else if (level == 0 &&
		    (tok == PG_TOK_COLON_EQUALS || tok == '=')) {
			found = 1;
			break;
		}
	}
	pg_scan_close(&sc);
	if (r < 0 || !found || start > end || end > len) {
		pg_pl_select(w, q, len);
		return;
	}
	pg_pl_select(w, q + end, len - end);
	pg_pl_select(w, q, start);
}

/*
 * SQL a PL/pgSQL EXECUTE computes: a string constant is classified, any
 * other expression is dynamic SQL.
 */
static void
pg_pl_dynamic(struct pg_walk *w, const char *q)
{
	json_t		*root;
	const char	*lit;
	char		*s;

	xasprintf(&s, "SELECT %s", q);
	if (pg_parse(w, s, strlen(s), 0, &root) == 0) {
		pg_walk_stmts(w, root, s, strlen(s));
		if ((lit = pg_literal_stmt(root)) != NULL)
			pg_text(w, lit, strlen(lit), 0);
		else
			w->f->flags |= GF_DYNAMIC;
		json_decref(root);
	}
	free(s);
}

/* The text of a PLpgSQL_expr, read as mode says. */
static void
pg_pl_expr(struct pg_walk *w, const char *q, enum pg_plmode mode)
{
	if (q == NULL || w->stop)
		return;
	switch (mode) {
	case PLX_QUERY:
		if (pg_text(w, q, strlen(q), 1) == 0 || w->stop)
			break;
		pg_pl_select(w, q, strlen(q));
		break;
	case PLX_EXPR:
		pg_pl_select(w, q, strlen(q));
		break;
	case PLX_ASSIGN:
		pg_pl_assign(w, q);
		break;
	case PLX_DYN:
		pg_pl_dynamic(w, q);
		break;
	}
}

/* How the PLpgSQL_expr in field key of a node of type is read. */
static enum pg_plmode
pg_pl_mode(const char *type, const char *key)
{
	if (strcmp(key, "sqlstmt") == 0 ||
	    strcmp(key, "cursor_explicit_expr") == 0 ||
	    strcmp(key, "argquery") == 0)
		return (PLX_QUERY);
	if (strcmp(key, "dynquery") == 0)
		return (PLX_DYN);
	if (strcmp(key, "query") == 0)
		return (strcmp(type, "PLpgSQL_stmt_dynexecute") == 0 ||
		    strcmp(type, "PLpgSQL_stmt_dynfors") == 0 ?
		    PLX_DYN : PLX_QUERY);
	if (strcmp(key, "expr") == 0) {
		if (strcmp(type, "PLpgSQL_stmt_assign") == 0)
			return (PLX_ASSIGN);
		if (strcmp(type, "PLpgSQL_stmt_perform") == 0 ||
		    strcmp(type, "PLpgSQL_stmt_call") == 0)
			return (PLX_QUERY);
	}
	return (PLX_EXPR);
}

/* Walk a JSON value of a PL/pgSQL tree. */
static void
pg_pl_value(struct pg_walk *w, json_t *v, enum pg_plmode mode)
{
	const char	*type, *key;
	json_t		*b, *x;
	size_t		 i;

	if (w->stop)
		return;
	if (json_is_array(v)) {
		json_array_foreach(v, i, x)
			pg_pl_value(w, x, mode);
		return;
	}
	if (!json_is_object(v))
		return;
	if (!pg_wrapped(v, &type, &b)) {
		json_object_foreach(v, key, x)
			pg_pl_value(w, x, PLX_EXPR);
		return;
	}
	if (++w->depth > PG_MAX_DEPTH)
		pg_fail(w, "the PL/pgSQL body nests too deeply to classify");
	else if (strcmp(type, "PLpgSQL_expr") == 0)
		pg_pl_expr(w, pg_str(b, "query"), mode);
	else if (bsearch(type, pg_pl_types, nitems(pg_pl_types),
	    sizeof *pg_pl_types, pg_name_cmp) == NULL)
		pg_fail(w, "dbgate does not classify PL/pgSQL %s", type);
	else {
		if (strcmp(type, "PLpgSQL_stmt_commit") == 0 ||
		    strcmp(type, "PLpgSQL_stmt_rollback") == 0)
			guard_add_kind(w->f, KIND_TRANSACTION);
		json_object_foreach(b, key, x) {
			if (json_is_object(x) || json_is_array(x))
				pg_pl_value(w, x, pg_pl_mode(type, key));
		}
	}
	w->depth--;
}

/* The PL/pgSQL body of the statement walked (CREATE FUNCTION or DO). */
static void
pg_plpgsql(struct pg_walk *w)
{
	PgQueryPlpgsqlParseResult	 r;
	json_error_t			 je;
	json_t				*root;
	char				*text;

	if (w->nest >= PG_MAX_NEST) {
		pg_fail(w, "statements nest inside strings too deeply to "
		    "classify (over %d levels)", PG_MAX_NEST);
		return;
	}
	text = xstrndup(w->stmt, w->stmtlen);
	r = pg_query_parse_plpgsql(text);
	if (r.error != NULL)
		pg_fail(w, "libpg_query cannot parse the PL/pgSQL body: %s",
		    r.error->message);
	else if ((root = json_loads(r.plpgsql_funcs, 0, &je)) == NULL)
		pg_fail(w, "the PL/pgSQL body nests too deeply to classify "
		    "(%s)", je.text);
	else {
		w->nest++;
		pg_pl_value(w, root, PLX_EXPR);
		w->nest--;
		json_decref(root);
	}
	pg_query_free_plpgsql_parse_result(r);
	free(text);
}

/* Classify one PostgreSQL statement; see guard.h. */
void
guard_classify_pg(struct guard_ctx *ctx, const char *s, size_t len,
    struct guard_facts *f)
{
	struct pg_walk	 w;
	char		*text, *err;
	size_t		 i;

	memset(f, 0, sizeof *f);
	if (len > PG_MAX_BYTES) {
		guard_unknown(f, "the statement is too large to classify (%zu "
		    "bytes, at most %d): send bulk data with COPY ... FROM "
		    "STDIN", len, PG_MAX_BYTES);
		return;
	}
	if (guard_check_bytes(s, len, &err) != 0) {
		guard_unknown(f, "%s", err);
		free(err);
		return;
	}
	memset(&w, 0, sizeof w);
	w.ctx = ctx;
	w.f = f;
	text = xstrndup(s, len);
	pg_text(&w, text, len, 0);
	if (f->kinds == 0)
		guard_unknown(f, "no statement to classify");
	for (i = 0; i < w.nmrels; i++) {
		free(w.mrels[i].schema);
		free(w.mrels[i].name);
		pg_names_free(&w.mrels[i].cols);
	}
	free(w.mrels);
	pg_names_free(&w.mcols);
	pg_names_free(&w.mknown);
	pg_names_free(&w.mnames);
	pg_names_free(&w.mall);
	pg_names_free(&w.actnames);
	free(w.mctes);
	free(w.ctes);
	free(text);
}
