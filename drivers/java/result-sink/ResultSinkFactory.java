package dev.weir.flink;

import java.util.Collections;
import java.util.HashSet;
import java.util.Set;

import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.ConfigOptions;
import org.apache.flink.configuration.ReadableConfig;
import org.apache.flink.table.api.config.TableConfigOptions;
import org.apache.flink.table.connector.sink.DynamicTableSink;
import org.apache.flink.table.factories.DynamicTableSinkFactory;
import org.apache.flink.table.factories.FactoryUtil;
import org.apache.flink.table.types.logical.RowType;

/**
 * The `weir-result` connector: a sink that sends a query's rows straight to the Weir that ran
 * it, over one TCP connection, instead of through Flink's collect protocol. Weir creates the
 * table with `CREATE TABLE ... WITH ('connector' = 'weir-result', 'address' = 'host:port',
 * 'token' = '...') AS <query>` and reads what the sink sends (see ResultWriter).
 */
public final class ResultSinkFactory implements DynamicTableSinkFactory {
    static final ConfigOption<String> ADDRESS =
            ConfigOptions.key("address").stringType().noDefaultValue().withDescription("host:port of the Weir waiting for the rows");
    static final ConfigOption<String> TOKEN =
            ConfigOptions.key("token").stringType().noDefaultValue().withDescription("the secret Weir expects first");

    @Override
    public String factoryIdentifier() {
        return "weir-result";
    }

    @Override
    public Set<ConfigOption<?>> requiredOptions() {
        Set<ConfigOption<?>> options = new HashSet<>();
        options.add(ADDRESS);
        options.add(TOKEN);
        return options;
    }

    @Override
    public Set<ConfigOption<?>> optionalOptions() {
        return Collections.emptySet();
    }

    @Override
    public DynamicTableSink createDynamicTableSink(Context context) {
        FactoryUtil.TableFactoryHelper helper = FactoryUtil.createTableFactoryHelper(this, context);
        helper.validate();
        ReadableConfig options = helper.getOptions();
        String zone = context.getConfiguration().get(TableConfigOptions.LOCAL_TIME_ZONE);
        RowType rowType = (RowType) context.getPhysicalRowDataType().getLogicalType();
        return new ResultTableSink(options.get(ADDRESS), options.get(TOKEN), zone, rowType);
    }
}
