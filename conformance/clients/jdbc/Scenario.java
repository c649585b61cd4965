import com.mysql.cj.jdbc.JdbcStatement;

import java.io.FileInputStream;
import java.io.FileOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Weir conformance scenario, played by a Java application through MySQL Connector/J.
 *
 * <p>The application opens one connection with {@code useServerPrepStmts=true}, so its
 * PreparedStatements use COM_STMT_PREPARE/EXECUTE, and walks through the story on that one
 * connection, because the temporary tables and the batch-mode switch live in the Flink
 * session behind it. The story stops at the first failure; the two login steps open their
 * own connections and always run unless WEIR_SKIP_AUTH_STEPS=1.
 *
 * <p>Environment: WEIR_HOST, WEIR_PORT (127.0.0.1:3307), WEIR_USER (root), WEIR_PASSWORD
 * (empty), WEIR_TLS_CA, WEIR_SKIP_AUTH_STEPS. Run: conformance/clients/jdbc/run.sh
 */
public final class Scenario {
    private static final String SHA2_USER = "weir_sha2";
    private static final String SHA2_PASSWORD = "sha2pass";
    private static final String TRICKY_TEXT = "it's a \\ test"; // a quote and a backslash
    private static final Pattern JOB_ID = Pattern.compile("\\b[0-9a-fA-F]{32}\\b");
    private static final List<String> SHOW_JOBS_COLUMNS = List.of("job id", "job name", "status", "start time");
    private static final String TABLE = "t_jdbc";
    private static final String SINK = "sink_jdbc";

    private final String host = env("WEIR_HOST", "127.0.0.1");
    private final String port = env("WEIR_PORT", "3307");
    private final String user = env("WEIR_USER", "root");
    private final String password = env("WEIR_PASSWORD", "");
    private final boolean skipAuth = "1".equals(System.getenv("WEIR_SKIP_AUTH_STEPS"));

    private Connection conn;
    private String jobId;
    private int passed;
    private int failed;
    private int skipped;

    @FunctionalInterface
    private interface Step {
        void run() throws Exception;
    }

    private static final class StepFailed extends Exception {
        private static final long serialVersionUID = 1L;

        StepFailed(String message) {
            super(message);
        }
    }

    public static void main(String[] args) {
        Scenario scenario = new Scenario();
        scenario.play();
        System.out.println(scenario.passed + " passed, " + scenario.failed + " failed"
                + (scenario.skipped > 0 ? ", " + scenario.skipped + " skipped" : ""));
        System.exit(scenario.failed == 0 ? 0 : 1);
    }

    private void play() {
        boolean ok = step("a1 application connects and SELECT 1 returns integer 1", () -> {
            conn = DriverManager.getConnection(url("useServerPrepStmts=true"), user, password);
            expectInteger("SELECT 1", single("SELECT 1"), 1);
        })
        && step("a2 current database is default_database", () ->
                expectEqual("SELECT DATABASE()", single("SELECT DATABASE()"), "default_database"))
        && step("a3 @@version_comment is not empty", () -> {
            Object comment = single("SELECT @@version_comment");
            check(comment instanceof String && !((String) comment).isBlank(), "@@version_comment is " + describe(comment));
        })
        && step("a4 @@autocommit is integer 1", () -> expectInteger("@@autocommit", single("SELECT @@autocommit"), 1))

        && step("b creates a temporary datagen table of 100 rows", () -> update(
                "CREATE TEMPORARY TABLE " + TABLE + " (id BIGINT, name STRING, price DECIMAL(10,2)) "
                + "WITH ('connector'='datagen','number-of-rows'='100','fields.id.kind'='sequence',"
                + "'fields.id.start'='1','fields.id.end'='100','fields.name.length'='5')"))

        && step("c1 switches the session to batch mode", () -> update("SET 'execution.runtime-mode' = 'batch'"))
        && step("c2 counts 100 rows whose ids sum to 5050", () -> {
            try (Statement st = conn.createStatement();
                 ResultSet rs = st.executeQuery("SELECT COUNT(*) AS n, SUM(id) AS s FROM " + TABLE)) {
                expectEqual("column labels", labels(rs.getMetaData()), List.of("n", "s"));
                check(rs.next(), "no row");
                expectInteger("n", rs.getObject(1), 100);
                expectInteger("s", rs.getObject(2), 5050);
                check(!rs.next(), "more than one row");
            }
        })

        && step("d1 prepared range query returns ids 3 to 5", () -> {
            try (PreparedStatement ps = conn.prepareStatement(
                    "SELECT id, name FROM " + TABLE + " WHERE id BETWEEN ? AND ? ORDER BY id")) {
                ps.setLong(1, 3);
                ps.setLong(2, 5);
                List<Object> ids = new ArrayList<>();
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        ids.add(rs.getObject(1));
                        String name = rs.getString(2);
                        check(name != null && name.length() == 5, "name " + describe(name) + " is not 5 characters");
                    }
                }
                expectEqual("ids", ids, List.of(3L, 4L, 5L));
            }
        })
        && step("d2 text parameter with a quote and a backslash comes back unchanged", () -> {
            try (PreparedStatement ps = conn.prepareStatement("SELECT ? AS s")) {
                ps.setString(1, TRICKY_TEXT);
                try (ResultSet rs = ps.executeQuery()) {
                    check(rs.next(), "no row");
                    expectEqual("echoed parameter", rs.getString(1), TRICKY_TEXT);
                }
            }
        })

        && step("d3 getMetaData() before execute names a prepared query's columns", () -> {
            try (PreparedStatement ps = conn.prepareStatement("SELECT id, name FROM " + TABLE + " WHERE id > ?")) {
                ResultSetMetaData md = ps.getMetaData();
                check(md != null, "no result metadata before execute");
                expectEqual("columns before execute", labels(md), List.of("id", "name"));
                expectEqual("parameters", ps.getParameterMetaData().getParameterCount(), 1);
            }
        })
        && step("d4 a prepared statement that does not parse fails with 1064 (42000)", () -> {
            // Connector/J may fall back to a client-side statement when the server refuses the
            // prepare: the error then comes at execute.
            try (PreparedStatement ps = conn.prepareStatement("SELEC ?")) {
                ps.setLong(1, 1);
                ps.execute();
            } catch (SQLException e) {
                check(e.getErrorCode() == 1064 && "42000".equals(e.getSQLState()),
                        "failed with " + e.getErrorCode() + " (" + e.getSQLState() + ") " + e.getMessage() + ", wanted 1064 (42000)");
                return;
            }
            throw new StepFailed("SELEC ? succeeded, wanted error 1064");
        })

        && step("e1 missing table fails with 1146 (42S02)", () -> expectError("SELECT * FROM no_such_table", 1146, "42S02"))
        && step("e2 same connection still answers SELECT 1", () -> expectInteger("SELECT 1", single("SELECT 1"), 1))
        && step("e3 syntax error fails with 1064 (42000)", () -> {
            expectError("SELEC 1", 1064, "42000");
            expectInteger("SELECT 1 after the syntax error", single("SELECT 1"), 1);
        })

        && step("f1 creates a blackhole sink", () ->
                update("CREATE TEMPORARY TABLE " + SINK + " (id BIGINT) WITH ('connector'='blackhole')"))
        && step("f1b a NULL parameter goes into the sink (typed for Flink)", () -> {
            try (PreparedStatement ps = conn.prepareStatement("INSERT INTO " + SINK + " VALUES (?)")) {
                ps.setNull(1, Types.BIGINT);
                check(!ps.execute(), "INSERT answered with a result set, wanted an OK packet");
            }
        })
        && step("f2 INSERT returns an OK carrying the Flink job id", () -> {
            try (Statement st = conn.createStatement()) {
                check(!st.execute("INSERT INTO " + SINK + " SELECT id FROM " + TABLE),
                        "INSERT answered with a result set, wanted an OK packet");
                // Connector/J keeps the OK packet's info string on its internal result.
                String info = st.unwrap(JdbcStatement.class).getResultSetInternal().getServerInfo();
                Matcher m = JOB_ID.matcher(Objects.toString(info, ""));
                check(m.find(), "OK packet info " + describe(info) + " has no 32-hex Flink job id");
                jobId = m.group().toLowerCase();
            }
        })
        && step("f3 SHOW JOBS lists the job", () -> {
            try (Statement st = conn.createStatement(); ResultSet rs = st.executeQuery("SHOW JOBS")) {
                expectEqual("SHOW JOBS columns", labels(rs.getMetaData()), SHOW_JOBS_COLUMNS);
                List<String> ids = new ArrayList<>();
                while (rs.next()) {
                    ids.add(Objects.toString(rs.getString(1), "").toLowerCase());
                }
                check(ids.contains(jobId), "job " + jobId + " not among SHOW JOBS ids " + ids);
            }
        });
        if (!ok) {
            System.out.println("(story stopped at the first failure)");
        }
        closeQuietly(conn);

        authStep("g1 logs in with caching_sha2_password", () ->
                selectOne(url("defaultAuthenticationPlugin=caching_sha2_password&allowPublicKeyRetrieval=true"),
                        SHA2_USER, SHA2_PASSWORD));
        authStep("g2 logs in over TLS", () -> selectOne(url(tlsOptions()), user, password));
    }

    // --- step plumbing ---------------------------------------------------------------------

    private boolean step(String name, Step body) {
        try {
            body.run();
            passed++;
            System.out.println("PASS " + name);
            return true;
        } catch (StepFailed e) {
            return fail(name, e.getMessage());
        } catch (SQLException e) {
            return fail(name, "SQLException " + e.getErrorCode() + " (" + e.getSQLState() + "): " + e.getMessage()
                    + rootCause(e));
        } catch (Exception e) {
            return fail(name, e + rootCause(e));
        }
    }

    /** Connector/J wraps socket and TLS errors; the innermost cause is the precise one. */
    private static String rootCause(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root == e ? "" : " [cause: " + root + "]";
    }

    private boolean fail(String name, String message) {
        failed++;
        System.out.println("FAIL " + name + ": " + message);
        return false;
    }

    private void authStep(String name, Step body) {
        if (skipAuth) {
            skipped++;
            System.out.println("SKIP " + name + " (WEIR_SKIP_AUTH_STEPS=1)");
        } else {
            step(name, body);
        }
    }

    private static void check(boolean condition, String message) throws StepFailed {
        if (!condition) {
            throw new StepFailed(message);
        }
    }

    private static void expectEqual(String what, Object got, Object wanted) throws StepFailed {
        check(Objects.equals(got, wanted), what + " is " + describe(got) + ", wanted " + describe(wanted));
    }

    /** An integer value, typed as a Java integer (not a string or a decimal). */
    private static void expectInteger(String what, Object got, long wanted) throws StepFailed {
        boolean integral = got instanceof Long || got instanceof Integer || got instanceof Short
                || got instanceof Byte || got instanceof java.math.BigInteger;
        check(integral && ((Number) got).longValue() == wanted,
                what + " is " + describe(got) + ", wanted integer " + wanted);
    }

    private static String describe(Object value) {
        return value == null ? "null" : "'" + value + "' (" + value.getClass().getSimpleName() + ")";
    }

    // --- SQL helpers -----------------------------------------------------------------------

    private String url(String options) {
        return "jdbc:mysql://" + host + ":" + port + "/?connectTimeout=10000&" + options;
    }

    private Object single(String sql) throws Exception {
        try (Statement st = conn.createStatement(); ResultSet rs = st.executeQuery(sql)) {
            check(rs.getMetaData().getColumnCount() == 1 && rs.next(), sql + " returned no single value");
            Object value = rs.getObject(1);
            check(!rs.next(), sql + " returned more than one row");
            return value;
        }
    }

    private void update(String sql) throws Exception {
        try (Statement st = conn.createStatement()) {
            check(!st.execute(sql), sql + " answered with a result set");
        }
    }

    private void expectError(String sql, int code, String sqlState) throws Exception {
        try (Statement st = conn.createStatement()) {
            st.execute(sql);
        } catch (SQLException e) {
            check(e.getErrorCode() == code && sqlState.equals(e.getSQLState()),
                    sql + " failed with " + e.getErrorCode() + " (" + e.getSQLState() + ") " + e.getMessage()
                            + ", wanted " + code + " (" + sqlState + ")");
            return;
        }
        throw new StepFailed(sql + " succeeded, wanted error " + code + " (" + sqlState + ")");
    }

    private static List<String> labels(ResultSetMetaData md) throws SQLException {
        List<String> out = new ArrayList<>();
        for (int i = 1; i <= md.getColumnCount(); i++) {
            out.add(md.getColumnLabel(i));
        }
        return out;
    }

    private static void selectOne(String url, String user, String password) throws Exception {
        try (Connection c = DriverManager.getConnection(url, user, password);
             Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT 1")) {
            check(rs.next() && rs.getLong(1) == 1, "SELECT 1 did not return 1");
        }
    }

    /** sslMode=REQUIRED (no certificate check), or VERIFY_CA against WEIR_TLS_CA. */
    private static String tlsOptions() throws Exception {
        String ca = System.getenv("WEIR_TLS_CA");
        if (ca == null || ca.isEmpty()) {
            return "sslMode=REQUIRED";
        }
        // Connector/J reads trust anchors from a key store, so the PEM file is wrapped in one.
        KeyStore store = KeyStore.getInstance("PKCS12");
        store.load(null, null);
        try (InputStream in = new FileInputStream(ca)) {
            int i = 0;
            for (Certificate cert : CertificateFactory.getInstance("X.509").generateCertificates(in)) {
                store.setCertificateEntry("weir-ca-" + i++, cert);
            }
        }
        Path file = Files.createTempFile("weir-truststore", ".p12");
        file.toFile().deleteOnExit();
        try (OutputStream out = new FileOutputStream(file.toFile())) {
            store.store(out, "weirweir".toCharArray());
        }
        return "sslMode=VERIFY_CA&trustCertificateKeyStoreType=PKCS12&trustCertificateKeyStorePassword=weirweir"
                + "&trustCertificateKeyStoreUrl=" + file.toUri();
    }

    private static void closeQuietly(Connection c) {
        try {
            if (c != null) {
                c.close();
            }
        } catch (SQLException ignored) {
            // the story is over; nothing to report
        }
    }

    private static String env(String name, String fallback) {
        String value = System.getenv(name);
        return value == null ? fallback : value;
    }
}
