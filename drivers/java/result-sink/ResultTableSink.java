package dev.weir.flink;

import org.apache.flink.table.connector.ChangelogMode;
import org.apache.flink.table.connector.sink.DynamicTableSink;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.DataStreamSink;
import org.apache.flink.streaming.api.functions.sink.v2.DiscardingSink;
import org.apache.flink.table.connector.ProviderContext;
import org.apache.flink.table.connector.sink.DataStreamSinkProvider;
import org.apache.flink.table.data.RowData;
import org.apache.flink.table.types.logical.RowType;

/**
 * The table side of the `weir-result` sink: one operator (parallelism 1, as Flink's own collect
 * sink has, so an ORDER BY holds; Weir reads any number of writers, each over its own
 * connection), followed by a sink that discards its empty output.
 */
final class ResultTableSink implements DynamicTableSink {
    private final String address;
    private final String token;
    private final String zone;
    private final RowType rowType;

    ResultTableSink(String address, String token, String zone, RowType rowType) {
        this.address = address;
        this.token = token;
        this.zone = zone;
        this.rowType = rowType;
    }

    @Override
    public ChangelogMode getChangelogMode(ChangelogMode requestedMode) {
        return requestedMode;
    }

    @Override
    public SinkRuntimeProvider getSinkRuntimeProvider(Context context) {
        return new DataStreamSinkProvider() {
            @Override
            public DataStreamSink<?> consumeDataStream(ProviderContext providerContext, DataStream<RowData> input) {
                return input.transform("weir-result", Types.VOID, new ResultOperator(address, token, zone, rowType))
                        .setParallelism(1)
                        .sinkTo(new DiscardingSink<>())
                        .setParallelism(1)
                        .name("weir-result end");
            }
        };
    }

    @Override
    public DynamicTableSink copy() {
        return new ResultTableSink(address, token, zone, rowType);
    }

    @Override
    public String asSummaryString() {
        return "weir-result";
    }
}
