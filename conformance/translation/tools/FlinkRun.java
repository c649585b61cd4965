// Runs statements on an embedded Flink (batch mode, local time zone UTC) and prints each one's
// outcome in a line-oriented format the differential driver reads:
//
//   @@ <name> OK                    a statement that returns no rows (DDL, INSERT plan)
//   @@ <name> ROWS <n>              followed by n lines, one per row, cells separated by \t
//   @@ <name> ERR <message>
//
// Input: a file of blocks separated by lines "-- ;;", each starting with "-- name: <name>" and
// "-- mode: exec|query|explain". Compile and run with the jars of a Flink distribution's lib/:
//   javac -cp "$FLINK_HOME/lib/*" FlinkRun.java && java -cp "$FLINK_HOME/lib/*:." FlinkRun FILE
import org.apache.flink.table.api.*;
import org.apache.flink.types.Row;
import org.apache.flink.util.CloseableIterator;

import java.math.BigDecimal;
import java.nio.file.*;
import java.time.*;
import java.util.*;

public class FlinkRun {
    static String cell(Object v) {
        if (v == null) return "NULL";
        if (v instanceof BigDecimal) return ((BigDecimal) v).toPlainString();
        if (v instanceof Boolean) return ((Boolean) v) ? "1" : "0";
        if (v instanceof LocalDateTime) return v.toString().replace('T', ' ');
        if (v instanceof Instant) return LocalDateTime.ofInstant((Instant) v, ZoneOffset.UTC).toString().replace('T', ' ');
        if (v instanceof byte[]) {
            StringBuilder sb = new StringBuilder("0x");
            for (byte b : (byte[]) v) sb.append(String.format("%02X", b));
            return sb.toString();
        }
        return v.toString().replace("\t", "\\t").replace("\n", "\\n");
    }

    public static void main(String[] args) throws Exception {
        String text = new String(Files.readAllBytes(Paths.get(args[0])));
        TableEnvironment env = TableEnvironment.create(EnvironmentSettings.inBatchMode());
        env.getConfig().set("table.local-time-zone", "UTC");
        env.getConfig().set("parallelism.default", "1");
        for (String block : text.split("\n-- ;;\n")) {
            String name = "?", mode = "exec";
            StringBuilder sql = new StringBuilder();
            for (String line : block.split("\n")) {
                if (line.startsWith("-- name: ")) name = line.substring(9).trim();
                else if (line.startsWith("-- mode: ")) mode = line.substring(9).trim();
                else sql.append(line).append('\n');
            }
            String s = sql.toString().trim();
            if (s.isEmpty()) continue;
            try {
                if (mode.equals("explain")) {
                    env.explainSql(s);
                    System.out.println("@@ " + name + " OK");
                } else if (mode.equals("query")) {
                    TableResult r = env.executeSql(s);
                    List<String> rows = new ArrayList<>();
                    try (CloseableIterator<Row> it = r.collect()) {
                        while (it.hasNext()) {
                            Row row = it.next();
                            StringJoiner j = new StringJoiner("\t");
                            for (int i = 0; i < row.getArity(); i++) j.add(cell(row.getField(i)));
                            rows.add(j.toString());
                        }
                    }
                    System.out.println("@@ " + name + " ROWS " + rows.size());
                    for (String row : rows) System.out.println(row);
                } else {
                    env.executeSql(s).await();
                    System.out.println("@@ " + name + " OK");
                }
            } catch (Throwable e) {
                Throwable c = e;
                while (c.getCause() != null) c = c.getCause();
                String m = (e.getMessage() == null ? e.toString() : e.getMessage()).split("\n")[0];
                if (c != e && c.getMessage() != null) m += " | " + c.getMessage().split("\n")[0];
                System.out.println("@@ " + name + " ERR " + m);
            }
        }
        System.exit(0);
    }
}
