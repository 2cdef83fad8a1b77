package io.backprop.weights;

import io.backprop.config.BackpropProperties;
import io.backprop.core.Loss;
import io.backprop.core.Network;
import io.backprop.models.TrainedModel;
import io.backprop.web.ApiException;
import io.backprop.web.FieldErrors;
import io.backprop.web.FloatRows;
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
     * Rows sent as raw float32 (little-endian, row after row), for large batches: no text to parse.
     *
     * @throws ApiException 422 when the body is not whole rows of {@code inputs} finite values
     */
    static FloatRows binaryRows(byte[] body, int inputs) {
        int rowBytes = 4 * inputs;
        if (body.length == 0 || body.length % rowBytes != 0) {
            throw ApiException.invalid("body", "must be whole rows of " + inputs + " float32 values (" + rowBytes
                    + " bytes each, little-endian); got " + body.length + " bytes");
        }
        float[] values = new float[body.length / 4];
        ByteBuffer.wrap(body).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(values);
        for (int i = 0; i < values.length; i++) {
            if (!Float.isFinite(values[i])) {
                throw ApiException.invalid("body", "row " + i / inputs + " value " + i % inputs + " is not a finite number");
            }
        }
        return new FloatRows(values.length / inputs, inputs, values, List.of());
    }

    /**
     * @throws ApiException 422 naming every bad row or value, the cost over the limit, or the rows whose
     *                      outputs are not finite numbers
     */
    Response predict(TrainedModel model, FloatRows rows) {
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
        FMatrixRMaj x = new FMatrixRMaj(rows.rows(), inputs);
        System.arraycopy(rows.values(), 0, x.data, 0, rows.rows() * inputs);
        model.preprocessing().applyInPlace(x);
        FMatrixRMaj out = network.predict(x);
        refuseNonFinite(out);
        List<float[]> outputs = new ArrayList<>();
        List<Object> labels = new ArrayList<>();
        List<String> classes = model.classes();
        Loss loss = network.spec().loss();
        for (int r = 0; r < out.numRows; r++) {
            float[] row = new float[out.numCols];
            System.arraycopy(out.data, r * out.numCols, row, 0, out.numCols);
            outputs.add(row);
            labels.add(label(row, classes, loss));
        }
        return new Response(outputs, loss == Loss.MSE ? null : labels, classes);
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
