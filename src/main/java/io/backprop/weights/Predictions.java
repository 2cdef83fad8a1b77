package io.backprop.weights;

import io.backprop.config.BackpropProperties;
import io.backprop.core.Loss;
import io.backprop.core.Network;
import io.backprop.models.TrainedModel;
import io.backprop.web.ApiException;
import io.backprop.web.FieldErrors;
import io.backprop.web.FloatRows;
import io.backprop.web.RequestMemory;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import org.ejml.data.FMatrixRMaj;
import org.springframework.stereotype.Component;

/**
 * Predictions from a trained model: raw feature rows in, priced first (rows × the widest layer), the
 * run's standardization applied, outputs and decoded labels out.
 */
@Component
class Predictions {

    static final int MAX_ROWS = 10_000;
    private static final int MAX_REPORTED = 10;

    private final long maxValues;

    Predictions(BackpropProperties properties) {
        this.maxValues = properties.maxPredictionValues();
    }

    /**
     * @param labels  per row: the predicted class (a list of labels for multi-label); null for regression
     * @param classes what each output unit stands for
     */
    record Response(List<float[]> outputs, List<Object> labels, List<String> classes) {
    }

    /**
     * Rows sent as raw float32 (little-endian, row after row), for large batches: no text to parse, and
     * read straight into floats, never held as bytes first.
     *
     * @param lengthHint the body's Content-Length, or -1 when it is sent chunked
     * @throws ApiException 422 when the body is not whole rows of {@code inputs} finite values
     */
    /**
     * @param extraPerRow bytes each row will need once read (its activations and outputs), reserved with
     *                    the rows themselves when the length is known, so the request asks for memory once
     */
    private static FloatRows binaryRows(InputStream body, long lengthHint, int inputs, long extraPerRow)
            throws IOException {
        int rowBytes = 4 * inputs;
        int initial = lengthHint > 0 && lengthHint / 4 < Integer.MAX_VALUE - 8 ? (int) (lengthHint / 4) : 1024;
        RequestMemory.reserve(4L * initial + (lengthHint > 0 ? lengthHint / rowBytes * extraPerRow : 0));
        float[] values = new float[initial];
        int size = 0;
        byte[] chunk = new byte[64 * 1024];
        int carry = 0;
        for (int n = body.read(chunk, carry, chunk.length - carry); n >= 0; n = body.read(chunk, carry, chunk.length - carry)) {
            int whole = (carry + n) / 4 * 4;
            if (size + whole / 4 > values.length) {
                values = RequestMemory.resize(values, (int) Math.min(Integer.MAX_VALUE - 8,
                        Math.max(size + whole / 4, values.length * 2L)));
            }
            ByteBuffer.wrap(chunk, 0, whole).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(values, size, whole / 4);
            size += whole / 4;
            carry = carry + n - whole;
            System.arraycopy(chunk, whole, chunk, 0, carry);
        }
        long bytes = 4L * size + carry;
        if (bytes == 0 || carry != 0 || size % inputs != 0) {
            throw ApiException.invalid("body", "must be whole rows of " + inputs + " float32 values (" + rowBytes
                    + " bytes each, little-endian); got " + bytes + " bytes");
        }
        for (int i = 0; i < size; i++) {
            if (!Float.isFinite(values[i])) {
                throw ApiException.invalid("body", "row " + i / inputs + " value " + i % inputs + " is not a finite number");
            }
        }
        return new FloatRows(size / inputs, inputs, size == values.length ? values : RequestMemory.resize(values, size),
                List.of());
    }

    /**
     * @throws ApiException 422 naming every bad row or value, the cost over the limit, or the rows whose
     *                      outputs are not finite numbers
     */
    /** Raw float32 rows from the body, priced with their activations from the Content-Length, then predicted. */
    Response predictBinary(TrainedModel model, InputStream body, long length) throws IOException {
        Network network = model.network();
        FloatRows rows = binaryRows(body, length, network.spec().inputs(), bytesPerRow(network));
        return predict(model, rows, length > 0);
    }

    Response predict(TrainedModel model, FloatRows rows) {
        return predict(model, rows, false);
    }

    /** Every layer's activations, then the outputs as rows and as JSON text (about 16 characters a value). */
    private static long bytesPerRow(Network network) {
        long units = network.spec().layers().stream().mapToLong(l -> l.units()).sum();
        int outputs = network.spec().layers().get(network.spec().layers().size() - 1).units();
        return 4 * units + 4L * outputs + 2 * 16L * outputs;
    }

    private Response predict(TrainedModel model, FloatRows rows, boolean priced) {
        Network network = model.network();
        int inputs = network.spec().inputs();
        FieldErrors errors = new FieldErrors();
        if (rows == null || rows.rows() == 0) {
            errors.add("$.inputs", "must be a non-empty array of rows");
        } else if (rows.rows() > MAX_ROWS) {
            errors.add("$.inputs", "at most " + MAX_ROWS + " rows per request");
        } else {
            rows.problems().forEach(p -> errors.add("$.inputs" + p.field(), p.message()));
            if (rows.width() != inputs && errors.isEmpty()) {
                errors.add("$.inputs[0]", "must have " + inputs + " values");
            }
            long widest = Math.max(inputs, network.spec().layers().stream().mapToLong(l -> l.units()).max().orElse(0));
            if ((long) rows.rows() * widest > maxValues) {
                errors.add("$.inputs", rows.rows() + " rows through a layer of " + widest + " units make "
                        + (long) rows.rows() * widest + " values; at most " + maxValues
                        + " per request (backprop.max-prediction-values): send fewer rows");
            }
        }
        errors.throwIfAny();
        if (!priced) {
            RequestMemory.reserve(rows.rows() * bytesPerRow(network));
        }
        // the rows are this request's own: standardized where they are, not copied
        FMatrixRMaj x = FMatrixRMaj.wrap(rows.rows(), inputs, rows.values());
        model.preprocessing().applyInPlace(x);
        FMatrixRMaj out = network.predict(x);
        refuseNonFinite(out);
        List<float[]> outputRows = new ArrayList<>();
        List<Object> labels = new ArrayList<>();
        List<String> classes = model.classes();
        Loss loss = network.spec().loss();
        for (int r = 0; r < out.numRows; r++) {
            float[] row = new float[out.numCols];
            System.arraycopy(out.data, r * out.numCols, row, 0, out.numCols);
            outputRows.add(row);
            labels.add(label(row, classes, loss));
        }
        return new Response(outputRows, loss == Loss.MSE ? null : labels, classes);
    }

    /**
     * Finite inputs far outside what the model was trained on (1e38 where it saw 5) overflow on the way to
     * the output: NaN and infinities are not numbers in JSON, and the argmax of NaN is no prediction.
     */
    private static void refuseNonFinite(FMatrixRMaj out) {
        FieldErrors errors = new FieldErrors();
        int bad = 0;
        for (int r = 0; r < out.numRows; r++) {
            for (int j = 0; j < out.numCols; j++) {
                if (!Float.isFinite(out.data[r * out.numCols + j])) {
                    if (bad++ < MAX_REPORTED) {
                        errors.add("$.inputs[" + r + "]", "the model's outputs overflow for this row (its values are"
                                + " far outside the range the model was trained on)");
                    }
                    break;
                }
            }
        }
        if (bad > MAX_REPORTED) {
            errors.add("$.inputs", bad + " rows overflow in all; the first " + MAX_REPORTED + " are listed");
        }
        errors.throwIfAny();
    }

    /** The predicted class: the softmax's argmax, a sigmoid's 0.5 threshold (one per label when multi-label). */
    private static Object label(float[] row, List<String> classes, Loss loss) {
        return switch (loss) {
            case CROSS_ENTROPY -> classes.get(Loss.predictedClass(row, 0, row.length));
            case BINARY_CROSS_ENTROPY -> {
                if (row.length == 1 && classes.size() == 2) {
                    yield classes.get(Loss.predictedOn(row[0]) ? 1 : 0);
                }
                List<String> on = new ArrayList<>();
                for (int j = 0; j < row.length; j++) {
                    if (Loss.predictedOn(row[j])) {
                        on.add(classes.get(j));
                    }
                }
                yield on;
            }
            case MSE -> null;
        };
    }
}
