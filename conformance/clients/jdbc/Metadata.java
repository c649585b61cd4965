import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.sql.Types;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;

/**
 * Weir metadata (issue 5) as JDBC tools see it: DBeaver and most BI tools browse a MySQL server
 * through {@link DatabaseMetaData}; Metabase does the same through MariaDB Connector/J.
 *
 * <p>Three passes, each on its own connection (Flink's in-memory catalog lives in the connection's
 * Flink session, so each pass creates its own table and view): MySQL Connector/J with default
 * properties (its INFORMATION_SCHEMA queries), MySQL Connector/J with
 * {@code useInformationSchema=false} (SHOW FULL TABLES, SHOW FULL COLUMNS, SHOW KEYS, SHOW CREATE
 * TABLE), and MariaDB Connector/J.
 *
 * <p>Environment: WEIR_HOST, WEIR_PORT (127.0.0.1:3307), WEIR_USER (root), WEIR_PASSWORD (empty).
 * Prints one line per step and "N passed, M failed" last.
 */
public final class Metadata {
    private final String host = env("WEIR_HOST", "127.0.0.1");
    private final String port = env("WEIR_PORT", "3307");
    private final String user = env("WEIR_USER", "root");
    private final String password = env("WEIR_PASSWORD", "");
    private int passed;
    private int failed;

    @FunctionalInterface
    private interface Step {
        void run(Connection c, String table, String view) throws Exception;
    }

    public static void main(String[] args) {
        Metadata m = new Metadata();
        m.play();
        System.out.println(m.passed + " passed, " + m.failed + " failed");
        System.exit(m.failed == 0 ? 0 : 1);
    }

    private void play() {
        String mysql = "jdbc:mysql://" + host + ":" + port + "/default_database?connectTimeout=10000";
        pass("Connector/J (information_schema)", mysql, true);
        pass("Connector/J (useInformationSchema=false)", mysql + "&useInformationSchema=false", true);
        pass("MariaDB Connector/J", "jdbc:mariadb://" + host + ":" + port + "/default_database?connectTimeout=10000", false);
    }

    private void pass(String driver, String url, boolean mysqlDriver) {
        String suffix = UUID.randomUUID().toString().replace("-", "").substring(0, 8);
        String table = "orders_" + suffix;
        String view = "big_orders_" + suffix;
        try (Connection c = DriverManager.getConnection(url, user, password)) {
            try (Statement st = c.createStatement()) {
                st.executeUpdate("CREATE TABLE " + table + " (id BIGINT NOT NULL COMMENT 'order id', amount DECIMAL(10, 2), "
                        + "note VARCHAR(20), placed TIMESTAMP(3), PRIMARY KEY (id) NOT ENFORCED) COMMENT 'all orders' "
                        + "WITH ('connector' = 'datagen')");
                st.executeUpdate("CREATE VIEW " + view + " AS SELECT id, amount FROM " + table);
            }
            step(driver, "getCatalogs lists default_database", c, table, view, (conn, t, v) -> {
                List<String> cats = column(conn.getMetaData().getCatalogs(), "TABLE_CAT");
                check(cats.contains("default_database"), "catalogs: " + cats);
            });
            step(driver, "getTables tells tables from views", c, table, view, (conn, t, v) -> {
                Map<String, String> types = new LinkedHashMap<>();
                try (ResultSet rs = conn.getMetaData().getTables("default_database", null, "%", new String[] {"TABLE", "VIEW"})) {
                    while (rs.next()) {
                        types.put(rs.getString("TABLE_NAME"), rs.getString("TABLE_TYPE"));
                    }
                }
                expectEqual("type of " + t, types.get(t), "TABLE");
                expectEqual("type of " + v, types.get(v), "VIEW");
            });
            step(driver, "getColumns gives JDBC types, sizes and nullability", c, table, view, (conn, t, v) -> {
                List<String> got = new ArrayList<>();
                try (ResultSet rs = conn.getMetaData().getColumns("default_database", null, t, "%")) {
                    while (rs.next()) {
                        got.add(rs.getString("COLUMN_NAME") + ":" + rs.getInt("DATA_TYPE") + ":" + rs.getInt("COLUMN_SIZE") + ":"
                                + rs.getInt("NULLABLE"));
                    }
                }
                expectEqual("columns", got, List.of(
                        "id:" + Types.BIGINT + ":19:0",
                        "amount:" + Types.DECIMAL + ":10:1",
                        "note:" + Types.VARCHAR + ":20:1",
                        "placed:" + Types.TIMESTAMP + ":23:1"));
            });
            step(driver, "getPrimaryKeys finds the key", c, table, view, (conn, t, v) -> {
                List<String> pk = column(conn.getMetaData().getPrimaryKeys("default_database", null, t), "COLUMN_NAME");
                expectEqual("primary key", pk, List.of("id"));
            });
            if (mysqlDriver) {
                step(driver, "getIndexInfo reports the primary key", c, table, view, (conn, t, v) -> {
                    List<String> idx = column(conn.getMetaData().getIndexInfo("default_database", null, t, false, true), "INDEX_NAME");
                    expectEqual("indexes", idx, List.of("PRIMARY"));
                });
                step(driver, "getImportedKeys is empty (Flink has no foreign keys)", c, table, view, (conn, t, v) -> {
                    List<String> fks = column(conn.getMetaData().getImportedKeys("default_database", null, t), "FKCOLUMN_NAME");
                    expectEqual("foreign keys", fks, List.of());
                });
                step(driver, "getSQLKeywords and getTypeInfo answer", c, table, view, (conn, t, v) -> {
                    DatabaseMetaData md = conn.getMetaData();
                    check(md.getSQLKeywords() != null, "no keywords");
                    check(!column(md.getTypeInfo(), "TYPE_NAME").isEmpty(), "no types");
                });
            }
        } catch (Exception e) {
            failed++;
            System.out.println("FAIL " + driver + ": connection: " + e);
        }
    }

    private void step(String driver, String name, Connection c, String table, String view, Step body) {
        try {
            body.run(c, table, view);
            passed++;
            System.out.println("ok   " + driver + ": " + name);
        } catch (Exception e) {
            failed++;
            System.out.println("FAIL " + driver + ": " + name + ": " + e);
        }
    }

    private static List<String> column(ResultSet rs, String name) throws Exception {
        List<String> out = new ArrayList<>();
        try (rs) {
            while (rs.next()) {
                out.add(rs.getString(name));
            }
        }
        return out;
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
