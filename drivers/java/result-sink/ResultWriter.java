package dev.weir.flink;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.util.List;

import org.apache.flink.formats.common.TimestampFormat;
import org.apache.flink.formats.json.JsonFormatOptions;
import org.apache.flink.formats.json.RowDataToJsonConverters;
import org.apache.flink.shaded.jackson2.com.fasterxml.jackson.core.JsonGenerator;
import org.apache.flink.shaded.jackson2.com.fasterxml.jackson.core.io.SerializedString;
import org.apache.flink.shaded.jackson2.com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.flink.shaded.jackson2.com.fasterxml.jackson.databind.SerializationFeature;
import org.apache.flink.table.data.RowData;
import org.apache.flink.table.data.TimestampData;
import org.apache.flink.table.types.logical.LogicalType;
import org.apache.flink.table.types.logical.LogicalTypeRoot;
import org.apache.flink.table.types.logical.RowType;

/**
 * Sends the rows to Weir, one JSON document per line, as the SQL Gateway's JSON result pages
 * hold them (the same converters, so Weir decodes both alike):
 *
 * <pre>
 * {"token":"…","subtask":0,"subtasks":2,"attempt":0,"columns":[{"name":"id","type":"BIGINT","nullable":false},…]}
 * {"kind":"INSERT","fields":[1,"a"]}
 * …
 * {"end":2}
 * </pre>
 *
 * Each of the sink's parallel writers (`subtask` of `subtasks`) sends its part of the rows over
 * a connection of its own. A connection that closes before its `end` line means the job failed
 * or was cancelled.
 */
final class ResultWriter implements AutoCloseable {
    // Jackson flushes after every value written through a mapper by default: here that would be a
    // socket write per field, so rows are flushed only when the buffer fills and at the end.
    private final ObjectMapper mapper = new ObjectMapper().disable(SerializationFeature.FLUSH_AFTER_WRITE_VALUE);
    private final Socket socket;
    private final JsonGenerator out;
    private final RowData.FieldGetter[] getters;
    private final RowDataToJsonConverters.RowDataToJsonConverter[] converters;
    private final boolean[] localZoned;
    private final ZoneId zone;
    private long rows;

    ResultWriter(String address, String token, String zoneName, RowType rowType, int subtask, int subtasks, int attempt) throws IOException {
        int colon = address.lastIndexOf(':');
        String host = address.substring(0, colon);
        int port = Integer.parseInt(address.substring(colon + 1));
        this.zone = "default".equalsIgnoreCase(zoneName) ? ZoneId.systemDefault() : ZoneId.of(zoneName);
        List<RowType.RowField> fields = rowType.getFields();
        int n = fields.size();
        this.getters = new RowData.FieldGetter[n];
        this.converters = new RowDataToJsonConverters.RowDataToJsonConverter[n];
        this.localZoned = new boolean[n];
        RowDataToJsonConverters toJson =
                new RowDataToJsonConverters(TimestampFormat.ISO_8601, JsonFormatOptions.MapNullKeyMode.LITERAL, "null", false);
        for (int i = 0; i < n; i++) {
            LogicalType type = fields.get(i).getType();
            getters[i] = RowData.createFieldGetter(type, i);
            converters[i] = toJson.createConverter(type);
            localZoned[i] = type.getTypeRoot() == LogicalTypeRoot.TIMESTAMP_WITH_LOCAL_TIME_ZONE;
        }
        this.socket = new Socket();
        socket.connect(new InetSocketAddress(host, port), 30_000);
        socket.setTcpNoDelay(true);
        OutputStream stream = new BufferedOutputStream(socket.getOutputStream(), 1 << 16);
        this.out = mapper.getFactory().createGenerator(stream);
        out.setRootValueSeparator(new SerializedString(""));
        out.writeStartObject();
        out.writeStringField("token", token);
        out.writeNumberField("subtask", subtask);
        out.writeNumberField("subtasks", subtasks);
        out.writeNumberField("attempt", attempt);
        out.writeArrayFieldStart("columns");
        for (RowType.RowField field : fields) {
            LogicalType type = field.getType();
            out.writeStartObject();
            out.writeStringField("name", field.getName());
            out.writeStringField("type", typeText(type.copy(true)));
            out.writeBooleanField("nullable", type.isNullable());
            out.writeEndObject();
        }
        out.writeEndArray();
        out.writeEndObject();
        newline();
        out.flush();
    }

    private static String typeText(LogicalType type) {
        try {
            return type.asSerializableString();
        } catch (RuntimeException e) {
            return type.asSummaryString();
        }
    }

    private void newline() throws IOException {
        out.writeRaw('\n');
    }

    /** Sends one row (buffered). */
    void write(RowData row) throws IOException {
        out.writeStartObject();
        out.writeStringField("kind", row.getRowKind().name());
        out.writeArrayFieldStart("fields");
        for (int i = 0; i < getters.length; i++) {
            Object value = getters[i].getFieldOrNull(row);
            if (value != null && localZoned[i]) {
                // As the SQL Gateway shows it: the wall-clock time in the session's time zone.
                TimestampData instant = (TimestampData) value;
                value = TimestampData.fromLocalDateTime(LocalDateTime.ofInstant(instant.toInstant(), zone));
            }
            out.writeTree(converters[i].convert(mapper, null, value));
        }
        out.writeEndArray();
        out.writeEndObject();
        newline();
        rows++;
    }

    /** Sends the end line: every row was sent. */
    void end() throws IOException {
        out.writeStartObject();
        out.writeNumberField("end", rows);
        out.writeEndObject();
        newline();
        out.flush();
    }

    @Override
    public void close() throws Exception {
        try {
            out.close();
        } finally {
            socket.close();
        }
    }
}
