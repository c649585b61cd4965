// Result streaming through Flink's own JDBC driver (flink-sql-jdbc-driver-bundle, which speaks to
// the SQL Gateway's REST API): the reference bench/stream.sh sets beside Weir and the gateway read
// directly. The same bounded datagen query as benches/stream.rs, in batch mode; for each round it
// prints the time to the first row (job start included), the rate from the first row to the last
// and the whole statement's rate, in the format of benches/stream.rs.
//
// Usage (Java 11+ runs a single source file): java -cp flink-sql-jdbc-driver-bundle.jar
//   bench/FlinkJdbcStream.java http://127.0.0.1:28383 1000000 3
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;

public class FlinkJdbcStream {
    public static void main(String[] args) throws Exception {
        String gateway = args[0].replaceFirst("^https?://", "");
        long rows = Long.parseLong(args[1]);
        int rounds = Integer.parseInt(args[2]);
        // Registered by name: a single-file program's class loader does not see the jar's service entry.
        Class.forName("org.apache.flink.table.jdbc.FlinkDriver");
        try (Connection c = DriverManager.getConnection("jdbc:flink://" + gateway);
             Statement s = c.createStatement()) {
            s.execute("SET 'execution.runtime-mode' = 'batch'");
            s.execute("CREATE TEMPORARY TABLE IF NOT EXISTS stream_rows (id BIGINT, v STRING) WITH ('connector' = 'datagen', "
                    + "'number-of-rows' = '" + rows + "', 'rows-per-second' = '1000000000', 'fields.id.kind' = 'sequence', "
                    + "'fields.id.start' = '1', 'fields.id.end' = '" + rows + "', 'fields.v.length' = '16')");
            for (int round = 1; round <= rounds; round++) {
                long t0 = System.nanoTime();
                long n = 0;
                long first = 0;
                try (ResultSet r = s.executeQuery("SELECT id, v FROM stream_rows")) {
                    while (r.next()) {
                        r.getLong(1);
                        r.getString(2);
                        if (n == 0) {
                            first = System.nanoTime() - t0;
                        }
                        n++;
                    }
                }
                long total = System.nanoTime() - t0;
                if (n != rows) {
                    throw new IllegalStateException("read " + n + " rows, want " + rows);
                }
                double streaming = Math.max((total - first) / 1e9, 1e-9);
                System.out.printf("  round %d, %-14s %d rows: first row after %.2f s, then %.0f rows/s; whole statement %.2f s (%.0f rows/s)%n",
                        round, "flink jdbc", n, first / 1e9, (n - 1) / streaming, total / 1e9, n / (total / 1e9));
            }
        }
    }
}
