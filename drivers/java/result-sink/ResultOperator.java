package dev.weir.flink;

import org.apache.flink.api.common.functions.RuntimeContext;
import org.apache.flink.streaming.api.operators.AbstractStreamOperator;
import org.apache.flink.streaming.api.operators.ChainingStrategy;
import org.apache.flink.streaming.api.operators.OneInputStreamOperator;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.table.data.RowData;
import org.apache.flink.table.types.logical.RowType;

/**
 * The runtime side of the `weir-result` sink: an operator, as Flink's own collect sink is, so it
 * chains with its input and rows reach Weir as they are produced (a batch job would otherwise
 * hold them back behind a blocking exchange until its input is done).
 */
final class ResultOperator extends AbstractStreamOperator<Void> implements OneInputStreamOperator<RowData, Void> {
    private static final long serialVersionUID = 1L;

    private final String address;
    private final String token;
    private final String zone;
    private final RowType rowType;
    private transient ResultWriter writer;

    ResultOperator(String address, String token, String zone, RowType rowType) {
        this.address = address;
        this.token = token;
        this.zone = zone;
        this.rowType = rowType;
        chainWithInput(this);
    }

    /**
     * Lets the operator chain with its input. Flink 1.20's operators start as HEAD, which does
     * not chain, and set their strategy themselves (`setChainingStrategy`, gone in 2.x, where an
     * operator chains by default): called where it exists, so one source serves both.
     */
    private static void chainWithInput(AbstractStreamOperator<?> operator) {
        try {
            AbstractStreamOperator.class.getMethod("setChainingStrategy", ChainingStrategy.class).invoke(operator, ChainingStrategy.ALWAYS);
        } catch (NoSuchMethodException e) {
            // Flink 2.x: chains by default.
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("setting the weir-result operator's chaining strategy", e);
        }
    }

    @Override
    public void open() throws Exception {
        super.open();
        RuntimeContext context = getRuntimeContext();
        writer = new ResultWriter(
                address, token, zone, rowType,
                context.getTaskInfo().getIndexOfThisSubtask(),
                context.getTaskInfo().getNumberOfParallelSubtasks(),
                context.getTaskInfo().getAttemptNumber());
    }

    @Override
    public void processElement(StreamRecord<RowData> element) throws Exception {
        writer.write(element.getValue());
    }

    @Override
    public void finish() throws Exception {
        writer.end();
        super.finish();
    }

    @Override
    public void close() throws Exception {
        try {
            if (writer != null) {
                writer.close();
            }
        } finally {
            super.close();
        }
    }
}
