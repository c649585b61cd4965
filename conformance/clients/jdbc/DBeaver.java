import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Properties;
import java.util.UUID;

/**
 * DBeaver's MySQL introspection, replayed through MySQL Connector/J as DBeaver drives it (DBeaver
 * itself cannot be installed here, so its GUI is not run): the driver properties DBeaver sets, the
 * client info {@code ApplicationName} (Connector/J's CommentClientInfoProvider then starts every
 * statement with {@code /* ApplicationName=DBeaver ... *}{@code /}), and the statements of
 * DBeaver's MySQL plugin (plugins/org.jkiss.dbeaver.ext.mysql, model/MySQLDataSource.java,
 * MySQLCatalog.java, MySQLTable.java; see also research notes clients.md section 3.8) in the order
 * DBeaver sends them: the connect sequence, then browsing a database, a table and a view, then a
 * result grid with {@code setMaxRows(200)}. Each step checks the columns DBeaver reads by name.
 *
 * <p>Environment: WEIR_HOST, WEIR_PORT (127.0.0.1:3307), WEIR_USER (root), WEIR_PASSWORD (empty).
 * Prints one line per step and "N passed, M failed" last.
 */
public final class DBeaver {
    private static final String APP = "DBeaver 24.2.5";
    private static final String DB = "default_database";

    private final String host = env("WEIR_HOST", "127.0.0.1");
    private final String port = env("WEIR_PORT", "3307");
    private final String user = env("WEIR_USER", "root");
    private final String password = env("WEIR_PASSWORD", "");
    private final String suffix = UUID.randomUUID().toString().replace("-", "").substring(0, 8);
    private final String table = "orders_" + suffix;
    private final String view = "big_orders_" + suffix;
    /** What the connect sequence learnt (DBeaver keeps them to resolve names later). */
    private final List<String> charsets = new ArrayList<>();
    private final List<String> collations = new ArrayList<>();
    private int passed;
    private int failed;

    @FunctionalInterface
    private interface Step {
        void run() throws Exception;
    }

    public static void main(String[] args) {
        DBeaver d = new DBeaver();
        d.play();
        System.out.println(d.passed + " passed, " + d.failed + " failed");
        System.exit(d.failed == 0 ? 0 : 1);
    }

    /** A connection as DBeaver opens it: its driver properties, then the client info. */
    private Connection open(String purpose) throws Exception {
        Properties p = new Properties();
        p.setProperty("user", user);
        p.setProperty("password", password);
        // plugin.xml's defaults for the MySQL driver, and MySQLDataSource's internal properties.
        p.setProperty("connectTimeout", "20000");
        p.setProperty("rewriteBatchedStatements", "true");
        p.setProperty("enabledTLSProtocols", "TLSv1,TLSv1.1,TLSv1.2,TLSv1.3");
        p.setProperty("useSSL", "false");
        p.setProperty("allowPublicKeyRetrieval", "true");
        p.setProperty("zeroDateTimeBehavior", "CONVERT_TO_NULL");
        p.setProperty("serverTimezone", "UTC");
        Connection c = DriverManager.getConnection("jdbc:mysql://" + host + ":" + port + "/" + DB, p);
        // DBUtils.getClientApplicationName: "<product> <version> - <purpose>".
        c.setClientInfo("ApplicationName", APP + " - " + purpose);
        return c;
    }

    private void play() {
        try (Connection meta = open("Metadata"); Connection main = open("Main <" + DB + ">")) {
            try (Statement st = meta.createStatement()) {
                st.executeUpdate("CREATE TABLE " + table + " (id BIGINT NOT NULL COMMENT 'order id', amount DECIMAL(10, 2), "
                        + "note VARCHAR(20), placed TIMESTAMP(3), PRIMARY KEY (id) NOT ENFORCED) COMMENT 'all orders' "
                        + "WITH ('connector' = 'datagen', 'number-of-rows' = '500')");
                st.executeUpdate("CREATE VIEW " + view + " AS SELECT id, amount FROM " + table);
            }
            connectSequence(meta);
            browse(meta);
            grid(main);
            try (Statement st = meta.createStatement()) {
                st.executeUpdate("DROP VIEW " + view);
                st.executeUpdate("DROP TABLE " + table);
            }
        } catch (Exception e) {
            failed++;
            System.out.println("FAIL connection: " + e);
        }
    }

    /** MySQLDataSource.initialize and the execution context's setup. */
    private void connectSequence(Connection c) {
        step("every statement starts with DBeaver's ApplicationName comment", () -> {
            String info = first(c, "SELECT INFO FROM information_schema.PROCESSLIST WHERE ID = CONNECTION_ID()");
            check(info != null && info.startsWith("/* ApplicationName=" + APP + " - Metadata"), "the statement Weir saw: " + info);
        });
        step("SHOW ENGINES: a DEFAULT engine", () -> {
            List<String> support = new ArrayList<>();
            try (ResultSet rs = query(c, "SHOW ENGINES")) {
                requireColumns(rs, "Engine", "Support", "Comment", "Transactions", "XA", "Savepoints");
                while (rs.next()) {
                    support.add(rs.getString("Support"));
                }
            }
            check(support.contains("DEFAULT"), "Support: " + support);
        });
        step("SHOW CHARSET: utf8mb4 with Maxlen 4", () -> {
            try (ResultSet rs = query(c, "SHOW CHARSET")) {
                requireColumns(rs, "Charset", "Description", "Default collation", "Maxlen");
                while (rs.next()) {
                    charsets.add(rs.getString("Charset"));
                    if ("utf8mb4".equals(rs.getString("Charset"))) {
                        expectEqual("utf8mb4 Maxlen", rs.getInt("Maxlen"), 4);
                    }
                }
            }
            check(charsets.contains("utf8mb4"), "charsets: " + charsets);
        });
        step("SHOW COLLATION: every collation's charset is known", () -> {
            try (ResultSet rs = query(c, "SHOW COLLATION")) {
                requireColumns(rs, "Collation", "Charset", "Id", "Default", "Compiled", "Sortlen");
                while (rs.next()) {
                    collations.add(rs.getString("Collation"));
                    check(charsets.contains(rs.getString("Charset")), "charset of " + rs.getString("Collation"));
                    check(rs.getInt("Id") > 0, "Id of " + rs.getString("Collation"));
                }
            }
        });
        step("the server's charset and collation are listed ones", () -> {
            try (ResultSet rs = query(c, "SELECT @@GLOBAL.character_set_server,@@GLOBAL.collation_server")) {
                check(rs.next(), "a row");
                check(charsets.contains(rs.getString(1)), "character_set_server " + rs.getString(1));
                check(collations.contains(rs.getString(2)), "collation_server " + rs.getString(2));
            }
        });
        step("SHOW PLUGINS", () -> {
            try (ResultSet rs = query(c, "SHOW PLUGINS")) {
                requireColumns(rs, "Name", "Status", "Type", "Library", "License");
            }
        });
        step("lower_case_table_names reads as an int", () -> {
            try (ResultSet rs = query(c, "SHOW VARIABLES LIKE 'lower_case_table_names'")) {
                check(rs.next(), "a row");
                expectEqual("lower_case_table_names", rs.getInt(2), 0);
            }
        });
        step("show databases", () -> check(column(c, "show databases", 1).contains(DB), "databases"));
        step("information_schema has CHECK_CONSTRAINTS (so DBeaver reads check constraints)", () -> {
            List<String> names = column(c, "SELECT * FROM information_schema.TABLES t WHERE t.TABLE_SCHEMA = 'information_schema' AND t.TABLE_NAME = 'CHECK_CONSTRAINTS'", "TABLE_NAME");
            expectEqual("tables", names, List.of("CHECK_CONSTRAINTS"));
        });
        step("catalogs from SCHEMATA", () -> {
            boolean found = false;
            try (ResultSet rs = query(c, "SELECT * FROM information_schema.SCHEMATA")) {
                requireColumns(rs, "SCHEMA_NAME", "DEFAULT_CHARACTER_SET_NAME", "DEFAULT_COLLATION_NAME", "SQL_PATH");
                while (rs.next()) {
                    if (DB.equals(rs.getString("SCHEMA_NAME"))) {
                        found = true;
                        check(charsets.contains(rs.getString("DEFAULT_CHARACTER_SET_NAME")), "charset");
                        check(collations.contains(rs.getString("DEFAULT_COLLATION_NAME")), "collation");
                    }
                }
            }
            check(found, DB + " in SCHEMATA");
        });
        step("the active catalog: SELECT DATABASE(), use, read-only flag, keywords", () -> {
            expectEqual("DATABASE()", first(c, "SELECT DATABASE()"), DB);
            try (Statement st = c.createStatement()) {
                st.execute("use `" + DB + "`");
            }
            check(!c.isReadOnly(), "read-only");
            c.setReadOnly(false);
            check(c.getMetaData().getSQLKeywords() != null, "keywords");
        });
    }

    /** MySQLCatalog's caches and MySQLTable's/MySQLView's properties and DDL. */
    private void browse(Connection c) {
        step("SHOW FULL TABLES FROM `db`: tables and views", () -> {
            List<String> rows = new ArrayList<>();
            try (ResultSet rs = query(c, "SHOW FULL TABLES FROM `" + DB + "`")) {
                requireColumns(rs, "Tables_in_" + DB, "Table_type");
                while (rs.next()) {
                    rows.add(rs.getString(1) + ":" + rs.getString("Table_type"));
                }
            }
            check(rows.contains(table + ":BASE TABLE") && rows.contains(view + ":VIEW"), "listing: " + rows);
        });
        step("SHOW FULL TABLES with server-side filters (WHERE Tables_in_db LIKE, LIKE)", () -> {
            expectEqual("WHERE", column(c, "SHOW FULL TABLES FROM `" + DB + "` WHERE Tables_in_" + DB + " LIKE '" + table + "'", 1), List.of(table));
            expectEqual("LIKE", column(c, "SHOW FULL TABLES FROM `" + DB + "` LIKE '" + view + "'", 1), List.of(view));
        });
        step("SHOW TABLE STATUS FROM `db` LIKE 't': the properties DBeaver shows", () -> {
            try (ResultSet rs = query(c, "SHOW TABLE STATUS FROM `" + DB + "` LIKE '" + table + "'")) {
                requireColumns(rs, "Name", "Engine", "Version", "Row_format", "Rows", "Avg_row_length", "Data_length", "Max_data_length",
                        "Index_length", "Data_free", "Auto_increment", "Create_time", "Update_time", "Check_time", "Collation", "Checksum",
                        "Create_options", "Comment");
                check(rs.next(), "a row");
                expectEqual("Engine", rs.getString("Engine"), "Flink");
                expectEqual("Comment", rs.getString("Comment"), "all orders");
                check(collations.contains(rs.getString("Collation")), "Collation " + rs.getString("Collation"));
                check(!rs.next(), "one row");
            }
        });
        step("COLUMNS of a table (TABLE_SCHEMA=? AND TABLE_NAME=?)", () -> {
            List<String> got = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement("SELECT * FROM information_schema.COLUMNS WHERE TABLE_SCHEMA=? AND TABLE_NAME=? ORDER BY ORDINAL_POSITION")) {
                ps.setString(1, DB);
                ps.setString(2, table);
                try (ResultSet rs = ps.executeQuery()) {
                    requireColumns(rs, "COLUMN_NAME", "ORDINAL_POSITION", "DATA_TYPE", "COLUMN_KEY", "CHARACTER_MAXIMUM_LENGTH", "COLUMN_COMMENT",
                            "IS_NULLABLE", "NUMERIC_SCALE", "NUMERIC_PRECISION", "COLUMN_DEFAULT", "COLLATION_NAME", "EXTRA", "COLUMN_TYPE",
                            "GENERATION_EXPRESSION", "SRS_ID");
                    while (rs.next()) {
                        got.add(rs.getInt("ORDINAL_POSITION") + " " + rs.getString("COLUMN_NAME") + " " + rs.getString("DATA_TYPE") + " "
                                + rs.getString("COLUMN_TYPE") + " " + rs.getString("IS_NULLABLE") + " " + rs.getString("COLUMN_KEY") + " len="
                                + rs.getString("CHARACTER_MAXIMUM_LENGTH") + " p=" + rs.getString("NUMERIC_PRECISION") + " s="
                                + rs.getString("NUMERIC_SCALE") + " " + rs.getString("COLLATION_NAME") + " '" + rs.getString("COLUMN_COMMENT") + "'");
                    }
                }
            }
            expectEqual("columns", got, List.of(
                    "1 id bigint bigint NO PRI len=null p=19 s=0 null 'order id'",
                    "2 amount decimal decimal(10,2) YES  len=null p=10 s=2 null ''",
                    "3 note varchar varchar(20) YES  len=20 p=null s=null utf8mb4_0900_ai_ci ''",
                    "4 placed datetime datetime(3) YES  len=null p=null s=null null ''"));
        });
        step("COLUMNS of the whole database (TABLE_SCHEMA=?), the view's too", () -> {
            List<String> got = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement("SELECT * FROM information_schema.COLUMNS WHERE TABLE_SCHEMA=? ORDER BY ORDINAL_POSITION")) {
                ps.setString(1, DB);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        if (view.equals(rs.getString("TABLE_NAME"))) {
                            got.add(rs.getString("COLUMN_NAME"));
                        }
                    }
                }
            }
            expectEqual("view columns", got, List.of("id", "amount"));
        });
        step("STATISTICS (indexes) of a table", () -> {
            List<String> got = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement("SELECT * FROM information_schema.STATISTICS WHERE TABLE_SCHEMA=? AND TABLE_NAME=? ORDER BY INDEX_NAME,SEQ_IN_INDEX")) {
                ps.setString(1, DB);
                ps.setString(2, table);
                try (ResultSet rs = ps.executeQuery()) {
                    requireColumns(rs, "NON_UNIQUE", "INDEX_NAME", "SEQ_IN_INDEX", "COLUMN_NAME", "COLLATION", "CARDINALITY", "SUB_PART", "NULLABLE",
                            "INDEX_TYPE", "COMMENT", "INDEX_COMMENT");
                    while (rs.next()) {
                        got.add(rs.getString("INDEX_NAME") + " " + rs.getInt("NON_UNIQUE") + " " + rs.getInt("SEQ_IN_INDEX") + " "
                                + rs.getString("COLUMN_NAME") + " " + rs.getString("COLLATION") + " " + rs.getString("INDEX_TYPE"));
                    }
                }
            }
            expectEqual("indexes", got, List.of("PRIMARY 0 1 id A BTREE"));
        });
        step("KEY_COLUMN_USAGE (unique keys)", () -> {
            List<String> got = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement("SELECT kc.CONSTRAINT_NAME,kc.TABLE_NAME,kc.COLUMN_NAME,kc.ORDINAL_POSITION\n"
                    + "FROM INFORMATION_SCHEMA.KEY_COLUMN_USAGE kc WHERE kc.TABLE_SCHEMA=? AND kc.REFERENCED_TABLE_NAME IS NULL AND kc.TABLE_NAME=?\n"
                    + "ORDER BY kc.CONSTRAINT_NAME,kc.ORDINAL_POSITION")) {
                ps.setString(1, DB);
                ps.setString(2, table);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        got.add(rs.getString("CONSTRAINT_NAME") + " " + rs.getString("TABLE_NAME") + " " + rs.getString("COLUMN_NAME") + " "
                                + rs.getInt("ORDINAL_POSITION"));
                    }
                }
            }
            expectEqual("keys", got, List.of("PRIMARY " + table + " id 1"));
        });
        // The check-constraint query's exact text was not read from DBeaver's source (the notes
        // name only the table): a join of CHECK_CONSTRAINTS and TABLE_CONSTRAINTS as MySQL 8 needs.
        step("CHECK_CONSTRAINTS joined with TABLE_CONSTRAINTS (none)", () -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT cc.CONSTRAINT_NAME, cc.CHECK_CLAUSE, tc.TABLE_NAME\n"
                    + "FROM INFORMATION_SCHEMA.CHECK_CONSTRAINTS cc, INFORMATION_SCHEMA.TABLE_CONSTRAINTS tc\n"
                    + "WHERE cc.CONSTRAINT_SCHEMA=? AND tc.CONSTRAINT_NAME=cc.CONSTRAINT_NAME AND tc.TABLE_NAME=?\n"
                    + "ORDER BY cc.CONSTRAINT_NAME")) {
                ps.setString(1, DB);
                ps.setString(2, table);
                try (ResultSet rs = ps.executeQuery()) {
                    check(!rs.next(), "Flink has no check constraints");
                }
            }
        });
        step("ROUTINES, TRIGGERS, EVENTS, PARTITIONS answer empty in MySQL's shape", () -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT * FROM information_schema.ROUTINES\nWHERE ROUTINE_SCHEMA=? AND ROUTINE_TYPE IN ('PROCEDURE','FUNCTION')\nORDER BY ROUTINE_NAME")) {
                ps.setString(1, DB);
                try (ResultSet rs = ps.executeQuery()) {
                    requireColumns(rs, "ROUTINE_NAME", "ROUTINE_TYPE", "DTD_IDENTIFIER", "ROUTINE_BODY", "ROUTINE_DEFINITION", "IS_DETERMINISTIC", "ROUTINE_COMMENT");
                    check(!rs.next(), "no routines");
                }
            }
            try (ResultSet rs = query(c, "SHOW FULL TRIGGERS FROM `" + DB + "`")) {
                requireColumns(rs, "Trigger", "Event", "Table", "Statement", "Timing", "Created", "sql_mode", "Definer");
                check(!rs.next(), "no triggers");
            }
            try (PreparedStatement ps = c.prepareStatement("SELECT * FROM information_schema.EVENTS WHERE EVENT_SCHEMA=?")) {
                ps.setString(1, "`" + DB + "`");
                try (ResultSet rs = ps.executeQuery()) {
                    check(!rs.next(), "no events");
                }
            }
            try (PreparedStatement ps = c.prepareStatement("SELECT * FROM information_schema.PARTITIONS WHERE TABLE_SCHEMA=? AND TABLE_NAME=? ORDER BY PARTITION_ORDINAL_POSITION,SUBPARTITION_ORDINAL_POSITION")) {
                ps.setString(1, DB);
                ps.setString(2, table);
                try (ResultSet rs = ps.executeQuery()) {
                    check(!rs.next(), "no partitions");
                }
            }
        });
        step("foreign keys through Connector/J (none)", () -> {
            try (ResultSet rs = c.getMetaData().getImportedKeys(DB, null, table)) {
                check(!rs.next(), "imported keys");
            }
            try (ResultSet rs = c.getMetaData().getExportedKeys(DB, null, table)) {
                check(!rs.next(), "exported keys");
            }
        });
        step("DDL tab: SHOW CREATE TABLE / VIEW / DATABASE", () -> {
            try (ResultSet rs = query(c, "SHOW CREATE TABLE `" + DB + "`.`" + table + "`")) {
                requireColumns(rs, "Table", "Create Table");
                check(rs.next(), "a row");
                String ddl = rs.getString(2);
                check(ddl.startsWith("CREATE TABLE `" + table + "` (") && ddl.contains("PRIMARY KEY (`id`)"), ddl);
            }
            try (ResultSet rs = query(c, "SHOW CREATE VIEW `" + DB + "`.`" + view + "`")) {
                requireColumns(rs, "View", "Create View", "character_set_client", "collation_connection");
                check(rs.next(), "a row");
                check(rs.getString("Create View").contains("VIEW `" + view + "` AS SELECT"), rs.getString("Create View"));
            }
            try (ResultSet rs = query(c, "SHOW CREATE DATABASE `" + DB + "`")) {
                requireColumns(rs, "Database", "Create Database");
                check(rs.next(), "a row");
                check(rs.getString(2).startsWith("CREATE DATABASE `" + DB + "`"), rs.getString(2));
            }
        });
    }

    /** The result grid: Statement.setMaxRows(200), which Connector/J sends as SET sql_select_limit. */
    private void grid(Connection c) {
        step("a result grid of 200 rows (setMaxRows → sql_select_limit)", () -> {
            int rows = 0;
            try (Statement st = c.createStatement()) {
                st.setMaxRows(200);
                try (ResultSet rs = st.executeQuery("SELECT * FROM " + DB + "." + table)) {
                    while (rs.next()) {
                        rows++;
                    }
                }
            }
            expectEqual("rows", rows, 200);
            // The next statement without a limit: Connector/J sets sql_select_limit back to DEFAULT.
            expectEqual("sql_select_limit", first(c, "SELECT @@sql_select_limit"), "18446744073709551615");
        });
    }

    private void step(String name, Step body) {
        try {
            body.run();
            passed++;
            System.out.println("ok   DBeaver: " + name);
        } catch (Exception e) {
            failed++;
            System.out.println("FAIL DBeaver: " + name + ": " + e);
        }
    }

    private static ResultSet query(Connection c, String sql) throws Exception {
        // Closing the result set closes its statement (closeOnCompletion).
        Statement st = c.createStatement();
        st.closeOnCompletion();
        return st.executeQuery(sql);
    }

    private static String first(Connection c, String sql) throws Exception {
        try (ResultSet rs = query(c, sql)) {
            return rs.next() ? rs.getString(1) : null;
        }
    }

    private static List<String> column(Connection c, String sql, Object which) throws Exception {
        List<String> out = new ArrayList<>();
        try (ResultSet rs = query(c, sql)) {
            while (rs.next()) {
                out.add(which instanceof Integer i ? rs.getString(i) : rs.getString((String) which));
            }
        }
        return out;
    }

    /** DBeaver reads these columns by name: each must be in the result. */
    private static void requireColumns(ResultSet rs, String... names) throws Exception {
        ResultSetMetaData md = rs.getMetaData();
        List<String> have = new ArrayList<>();
        for (int i = 1; i <= md.getColumnCount(); i++) {
            have.add(md.getColumnLabel(i));
        }
        for (String n : names) {
            check(have.stream().anyMatch(h -> h.equalsIgnoreCase(n)), "no column " + n + " in " + have);
        }
    }

    private static void check(boolean condition, String message) throws Exception {
        if (!condition) {
            throw new Exception(message);
        }
    }

    private static void expectEqual(String what, Object got, Object wanted) throws Exception {
        check(Objects.equals(got, wanted), what + " is " + got + ", wanted " + wanted);
    }

    private static String env(String name, String fallback) {
        String value = System.getenv(name);
        return value == null ? fallback : value;
    }
}
