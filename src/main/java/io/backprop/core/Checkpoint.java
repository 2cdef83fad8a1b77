package io.backprop.core;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * The complete state of a training run between two steps, and its versioned byte format
 * (big-endian: magic {@code BPCK}, a format version, then the fields in declaration order, arrays
 * length-prefixed). The learning-rate schedule is a pure function of {@code epoch} and
 * {@code globalStep}, so those two are its whole state.
 *
 * @param epoch        0-based epoch the next step belongs to
 * @param orderedEpoch the epoch {@code order} was shuffled for (-1 before the first), so a run stopped
 *                     between its shuffle and its first step does not shuffle twice
 * @param stepInEpoch  steps already taken in that epoch
 * @param order        the epoch's row order (training rows, shuffled)
 * @param params       W0, b0, W1, b1, … with weights {@code (in, out)}
 * @param bestParams   empty unless best weights are to be restored
 */
public record Checkpoint(int epoch, int orderedEpoch, int stepInEpoch, long globalStep, long rngState, int[] order,
                         double epochLossSum, long epochCorrect, long epochPredictions, long epochSamples,
                         long optimizerSteps, float[][] optimizerState, float[][] params,
                         float[] mean, float[] std,
                         double bestValue, int bestEpoch, int epochsWithoutImprovement, float[][] bestParams,
                         double referenceLoss) {

    static final int MAGIC = 0x4250434B;
    static final int VERSION = 1;

    public byte[] encode() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeInt(MAGIC);
            out.writeInt(VERSION);
            out.writeInt(epoch);
            out.writeInt(orderedEpoch);
            out.writeInt(stepInEpoch);
            out.writeLong(globalStep);
            out.writeLong(rngState);
            writeInts(out, order);
            out.writeDouble(epochLossSum);
            out.writeLong(epochCorrect);
            out.writeLong(epochPredictions);
            out.writeLong(epochSamples);
            out.writeLong(optimizerSteps);
            writeTensors(out, optimizerState);
            writeTensors(out, params);
            writeFloats(out, mean);
            writeFloats(out, std);
            out.writeDouble(bestValue);
            out.writeInt(bestEpoch);
            out.writeInt(epochsWithoutImprovement);
            writeTensors(out, bestParams);
            out.writeDouble(referenceLoss);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    /** @throws IllegalArgumentException if the bytes are not a checkpoint of a version this reads */
    public static Checkpoint decode(byte[] bytes) {
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(bytes))) {
            if (in.readInt() != MAGIC) {
                throw new IllegalArgumentException("not a backprop checkpoint");
            }
            int version = in.readInt();
            if (version != VERSION) {
                throw new IllegalArgumentException("unsupported checkpoint version " + version);
            }
            return new Checkpoint(in.readInt(), in.readInt(), in.readInt(), in.readLong(), in.readLong(), readInts(in),
                    in.readDouble(), in.readLong(), in.readLong(), in.readLong(), in.readLong(),
                    readTensors(in), readTensors(in), readFloats(in), readFloats(in),
                    in.readDouble(), in.readInt(), in.readInt(), readTensors(in), in.readDouble());
        } catch (IOException e) {
            throw new IllegalArgumentException("truncated or corrupt checkpoint", e);
        }
    }

    /** The network as it was at this checkpoint. */
    public Network network(ModelSpec spec) {
        Network network = Network.initialize(spec, new Rng(0));
        float[][] target = network.parameterArrays();
        copyInto(params, target, "parameters");
        return network;
    }

    public Preprocessing preprocessing() {
        return new Preprocessing(mean.clone(), std.clone());
    }

    /** Copies tensors into same-shaped arrays. Modifies {@code target}. */
    static float[][] deepCopy(float[][] arrays) {
        float[][] copy = new float[arrays.length][];
        for (int i = 0; i < arrays.length; i++) {
            copy[i] = arrays[i].clone();
        }
        return copy;
    }

    static void copyInto(float[][] source, float[][] target, String what) {
        if (source.length != target.length) {
            throw new IllegalArgumentException("checkpoint " + what + " do not fit the model");
        }
        for (int i = 0; i < source.length; i++) {
            if (source[i].length != target[i].length) {
                throw new IllegalArgumentException("checkpoint " + what + " do not fit the model");
            }
            System.arraycopy(source[i], 0, target[i], 0, source[i].length);
        }
    }

    private static void writeInts(DataOutputStream out, int[] values) throws IOException {
        out.writeInt(values.length);
        for (int v : values) {
            out.writeInt(v);
        }
    }

    private static int[] readInts(DataInputStream in) throws IOException {
        int[] values = new int[checkedLength(in)];
        for (int i = 0; i < values.length; i++) {
            values[i] = in.readInt();
        }
        return values;
    }

    private static void writeFloats(DataOutputStream out, float[] values) throws IOException {
        out.writeInt(values.length);
        for (float v : values) {
            out.writeFloat(v);
        }
    }

    private static float[] readFloats(DataInputStream in) throws IOException {
        float[] values = new float[checkedLength(in)];
        for (int i = 0; i < values.length; i++) {
            values[i] = in.readFloat();
        }
        return values;
    }

    private static void writeTensors(DataOutputStream out, float[][] tensors) throws IOException {
        out.writeInt(tensors.length);
        for (float[] t : tensors) {
            writeFloats(out, t);
        }
    }

    private static float[][] readTensors(DataInputStream in) throws IOException {
        float[][] tensors = new float[checkedLength(in)][];
        for (int i = 0; i < tensors.length; i++) {
            tensors[i] = readFloats(in);
        }
        return tensors;
    }

    private static int checkedLength(DataInputStream in) throws IOException {
        int length = in.readInt();
        if (length < 0 || length > in.available()) {
            throw new IOException("bad length " + length);
        }
        return length;
    }
}
