package io.backprop.core;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.BrokenBarrierException;
import java.util.concurrent.CyclicBarrier;
import org.ejml.data.FMatrixRMaj;

/**
 * Throughput of the engine on this machine: trains the two reference networks on generated data and
 * prints samples/s and GFLOP/s (median of the measured epochs), then GFLOP/s of each GEMM shape.
 * Not a test: run it with {@code ./mvnw -B -ntp -Pbench test-compile exec:exec}.
 *
 * <p>Arguments: {@code [epochs] [rows] [all|small|large|gemm|passes|peak|predict|scaling] [threads]}, default 5 measured epochs of 60,000
 * rows after one warm-up, both networks, one thread. With {@code threads} &gt; 1 that many identical
 * runs train at once, one per thread, as workers do, started together once each has its data; each prints
 * its own figures, and its median over the epochs during which every run trained. A fifth argument
 * fixes the threads a large product is split across (0, the default: the cores no other run holds).
 * {@code scaling} trains each network once, its epochs taking turns on one thread per product and split
 * on every core, {@code epochs} each (not the split chooser's way: it would measure the other epochs).
 */
public final class TrainingBenchmark {

    private TrainingBenchmark() {
    }

    public static void main(String[] args) {
        int epochs = args.length > 0 ? Integer.parseInt(args[0]) : 5;
        int rows = args.length > 1 ? Integer.parseInt(args[1]) : 60_000;
        Gemm gemm = Gemm.create();
        System.out.printf("java %s, kernel %s%n", System.getProperty("java.version"), gemm.name());
        String only = args.length > 2 ? args[2] : "all";
        if (only.equals("predict")) {
            predictions();
            return;
        }
        if (only.equals("gemm")) {
            CorePool.fixThreads(args.length > 4 ? Integer.parseInt(args[4]) : 0);
            gemmShapes(gemm);
            return;
        }
        if (only.equals("peak")) {
            peakOnEveryCore();
            return;
        }
        if (only.equals("scaling")) {
            scaling("784-128-10, batch 64", new int[] {784, 128, 10}, 64, epochs, rows);
            scaling("784-512-512-10, batch 256", new int[] {784, 512, 512, 10}, 256, epochs, rows);
            return;
        }
        if (only.equals("passes")) {
            double peak = PassProfile.peakGflops();
            for (int threads : new int[] {1, 0}) {
                CorePool.fixThreads(threads);
                String on = threads == 1 ? "1 thread" : "idle cores";
                PassProfile.run("784-128-10, batch 64, " + on, new int[] {784, 128, 10}, 64, peak);
                PassProfile.run("784-512-512-10, batch 256, " + on, new int[] {784, 512, 512, 10}, 256, peak);
            }
            return;
        }
        int threads = args.length > 3 ? Integer.parseInt(args[3]) : 1;
        int gemmThreads = args.length > 4 ? Integer.parseInt(args[4]) : 0;
        CorePool.fixThreads(gemmThreads);
        System.out.printf("threads per large product: %s%n", gemmThreads > 0 ? gemmThreads
                : "the idle cores (" + CorePool.CORES + " cores)");
        if (!only.equals("large")) {
            together(threads, "784-128-10 relu/softmax, sgd momentum 0.9, batch 64", new int[] {784, 128, 10}, 64,
                    epochs, rows);
        }
        if (!only.equals("small")) {
            together(threads, "784-512-512-10 relu/softmax, sgd momentum 0.9, batch 256", new int[] {784, 512, 512, 10},
                    256, epochs, rows);
        }
        if (only.equals("all")) {
            gemmShapes(gemm);
        }
    }

    /**
     * The FMA peak on one thread, then on every core at once: whether the cores keep their clock when all
     * of them run 512-bit FMAs, which bounds what splitting a product can gain.
     */
    private static void peakOnEveryCore() {
        for (int rep = 0; rep < 3; rep++) {
            double alone = PassProfile.peakGflops();
            double[] together = new double[CorePool.CORES];
            parallelIndexed(together.length, i -> together[i] = PassProfile.peakGflops());
            System.out.printf("FMA peak: %.1f GFLOP/s on one thread; on %d at once %s GFLOP/s%n", alone,
                    together.length, Arrays.toString(Arrays.stream(together).map(g -> Math.round(g * 10) / 10.0).toArray()));
        }
    }

    private static void parallelIndexed(int threads, java.util.function.IntConsumer body) {
        List<Thread> started = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            int index = t;
            Thread thread = new Thread(() -> body.accept(index), "bench-" + t);
            thread.start();
            started.add(thread);
        }
        for (Thread thread : started) {
            try {
                thread.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    /** One measured epoch of a run: when it started and ended (System.nanoTime) and its speed. */
    private record Epoch(long start, long end, double samplesPerSecond) {
    }

    /**
     * {@code threads} identical runs at once, each on its own thread, started together once every run has
     * its data. Besides each run's median over all its measured epochs, prints its median over the epochs
     * that lie wholly inside the time every run was training: a run that finishes first leaves the other
     * alone on the machine (and free to split its products), which is not "two runs at once".
     */
    private static void together(int threads, String label, int[] widths, int batch, int epochs, int rows) {
        CyclicBarrier start = new CyclicBarrier(threads);
        List<List<Epoch>> runs = new ArrayList<>();
        String[] lines = new String[threads];
        for (int t = 0; t < threads; t++) {
            runs.add(new ArrayList<>());
        }
        parallelIndexed(threads, i -> lines[i] = network(label, widths, batch, epochs, rows, start, runs.get(i)));
        long from = Long.MIN_VALUE;
        long to = Long.MAX_VALUE;
        for (List<Epoch> run : runs) {
            if (run.isEmpty()) {
                return;
            }
            from = Math.max(from, run.get(0).start());
            to = Math.min(to, run.get(run.size() - 1).end());
        }
        for (int i = 0; i < threads; i++) {
            String overlap = "";
            if (threads > 1) {
                long a = from;
                long b = to;
                List<Double> inside = runs.get(i).stream().filter(e -> e.start() >= a && e.end() <= b)
                        .map(Epoch::samplesPerSecond).toList();
                overlap = inside.isEmpty() ? "; no epoch while every run trained"
                        : String.format("; while every run trained %,.0f (median of %d epochs)", median(inside), inside.size());
            }
            System.out.println(lines[i] + overlap);
        }
    }

    /**
     * The scaling of one run on this machine's cores, measured within one launch: the launch-to-launch
     * spread here (±10 % and more) is larger than what a change of the split is worth, and taking turns
     * epoch by epoch cancels it and the machine's drifts. The first epoch is a warm-up.
     */
    private static void scaling(String label, int[] widths, int batch, int epochsPerWay, int rows) {
        int[] ways = {1, CorePool.CORES};
        String[] names = {"one thread per product", "split on every core"};
        List<List<Double>> rates = new ArrayList<>();
        for (int i = 0; i < ways.length; i++) {
            rates.add(new ArrayList<>());
        }
        Trainer trainer = trainer(widths, batch, 1 + epochsPerWay * ways.length, rows);
        int[] way = {0};
        CorePool.fixThreads(ways[0]);
        trainer.train(new TrainingListener() {
            @Override
            public void onEpoch(EpochEvent event) {
                if (event.epoch() > 1) {
                    rates.get(way[0]).add(event.samples() / (event.durationNanos() / 1e9));
                }
                way[0] = event.epoch() % ways.length;
                CorePool.fixThreads(ways[way[0]]);
            }
        }, () -> false);
        CorePool.fixThreads(0);
        double alone = median(rates.get(0));
        for (int i = 0; i < ways.length; i++) {
            List<Double> r = rates.get(i);
            System.out.printf("%s, %s: %,.0f samples/s (median of %d epochs, range %,.0f-%,.0f), %.2f× one thread%n",
                    label, names[i], median(r), r.size(), min(r), max(r), median(r) / alone);
        }
    }

    /** A run of the benchmark's kind on generated data: SGD momentum 0.9, one extra epoch to warm up. */
    private static Trainer trainer(int[] widths, int batch, int epochs, int rows) {
        List<LayerSpec> layers = new ArrayList<>();
        for (int i = 1; i < widths.length - 1; i++) {
            layers.add(LayerSpec.of(widths[i], Activation.RELU));
        }
        layers.add(LayerSpec.of(widths[widths.length - 1], Activation.SOFTMAX));
        ModelSpec model = new ModelSpec(widths[0], layers, Loss.CROSS_ENTROPY, null);
        Rng rng = new Rng(1);
        FMatrixRMaj x = new FMatrixRMaj(rows, widths[0]);
        FMatrixRMaj y = new FMatrixRMaj(rows, 1);
        for (int i = 0; i < x.data.length; i++) {
            x.data[i] = (float) rng.nextDouble();
        }
        for (int i = 0; i < rows; i++) {
            y.data[i] = rng.nextInt(widths[widths.length - 1]);
        }
        TrainingConfig config = new TrainingConfig(epochs, batch, true, 1, 0.0, false, null, null, null);
        return new Trainer(model, OptimizerSpec.defaults("sgd", 0.01).withMomentum(0.9, false), config, x, y, null);
    }

    /** Trains one run once {@code start} opens; its measured epochs go to {@code measured}; returns its line. */
    private static String network(String label, int[] widths, int batch, int epochs, int rows, CyclicBarrier start,
                                  List<Epoch> measured) {
        Trainer trainer = trainer(widths, batch, epochs + 1, rows);
        try {
            start.await();
        } catch (InterruptedException | BrokenBarrierException e) {
            Thread.currentThread().interrupt();
            return "interrupted";
        }
        long lentBefore = CorePool.borrower().lent;
        trainer.train(new TrainingListener() {
            @Override
            public void onEpoch(EpochEvent event) {
                if (event.epoch() > 1) {
                    long now = System.nanoTime();
                    measured.add(new Epoch(now - event.durationNanos(), now,
                            event.samples() / (event.durationNanos() / 1e9)));
                }
            }
        }, () -> false);
        List<Double> samplesPerSecond = measured.stream().map(Epoch::samplesPerSecond).toList();
        double median = median(samplesPerSecond);
        double flopsPerSample = 0;
        for (int i = 1; i < widths.length; i++) {
            double mac = (double) widths[i - 1] * widths[i];
            // forward, weight gradient, and input gradient for all but the first layer
            flopsPerSample += 2 * mac * (i == 1 ? 2 : 3);
        }
        // what SplitChooser chose: helpers borrowed per step by the products it decides on, warm-up included
        double lentPerStep = (CorePool.borrower().lent - lentBefore) / (double) trainer.globalStep();
        return String.format("[%s] %s: %,.0f samples/s (median of %d epochs, range %,.0f-%,.0f), %.1f GFLOP/s, %.2f chosen splits a step",
                Thread.currentThread().getName(), label, median, samplesPerSecond.size(), min(samplesPerSecond), max(samplesPerSecond),
                median * flopsPerSample / 1e9, lentPerStep);
    }

    /**
     * Serving: {@link Network#predict} of 784-128-10 on 10,000 rows and on one row (median of 50 calls
     * after 200 of warm-up), what {@code POST /predictions} spends beyond parsing and JSON.
     */
    private static void predictions() {
        ModelSpec model = new ModelSpec(784, List.of(LayerSpec.of(128, Activation.RELU), LayerSpec.of(10, Activation.SOFTMAX)),
                Loss.CROSS_ENTROPY, null);
        Network network = Network.initialize(model, new Rng(1));
        for (int rows : new int[] {10_000, 1}) {
            FMatrixRMaj x = new FMatrixRMaj(rows, 784);
            Rng rng = new Rng(2);
            for (int i = 0; i < x.data.length; i++) {
                x.data[i] = (float) rng.nextDouble();
            }
            List<Double> micros = new ArrayList<>();
            for (int i = 0; i < 250; i++) {
                long start = System.nanoTime();
                network.predict(x);
                if (i >= 200) {
                    micros.add((System.nanoTime() - start) / 1e3);
                }
            }
            System.out.printf("predict 784-128-10, %,d rows: %,.1f us (median of %d; range %,.1f-%,.1f)%n", rows,
                    median(micros), micros.size(), min(micros), max(micros));
        }
    }

    private static void gemmShapes(Gemm gemm) {
        int[][] shapes = {{64, 784, 128}, {64, 128, 10}, {256, 784, 512}, {256, 512, 512}};
        for (int[] s : shapes) {
            int m = s[0];
            int k = s[1];
            int n = s[2];
            FMatrixRMaj a = random(m, k);
            FMatrixRMaj b = random(k, n);
            FMatrixRMaj c = new FMatrixRMaj(m, n);
            FMatrixRMaj at = random(m, k);
            FMatrixRMaj dz = random(m, n);
            FMatrixRMaj dw = new FMatrixRMaj(k, n);
            FMatrixRMaj dx = new FMatrixRMaj(m, k);
            double flops = 2.0 * m * k * n;
            double mult = time(() -> gemm.mult(a, b, c), flops);
            double transA = time(() -> gemm.multTransA(at, dz, dw), flops);
            double transB = time(() -> gemm.multTransB(dz, b, dx), flops);
            System.out.printf("GEMM %dx%d·%dx%d: mult %.1f, multTransA %.1f, multTransB %.1f GFLOP/s%n", m, k, k, n,
                    mult, transA, transB);
        }
    }

    private static double time(Runnable r, double flops) {
        for (int i = 0; i < 200; i++) {
            r.run();
        }
        double[] rates = new double[7];
        for (int rep = 0; rep < rates.length; rep++) {
            int iterations = 0;
            long start = System.nanoTime();
            long elapsed;
            do {
                r.run();
                iterations++;
                elapsed = System.nanoTime() - start;
            } while (elapsed < 100_000_000L);
            rates[rep] = flops * iterations / elapsed;
        }
        Arrays.sort(rates);
        return rates[rates.length / 2];
    }

    private static FMatrixRMaj random(int rows, int cols) {
        Rng rng = new Rng(rows * 31L + cols);
        FMatrixRMaj m = new FMatrixRMaj(rows, cols);
        for (int i = 0; i < m.data.length; i++) {
            m.data[i] = (float) rng.nextDouble();
        }
        return m;
    }

    private static double median(List<Double> values) {
        List<Double> sorted = new ArrayList<>(values);
        sorted.sort(null);
        return sorted.get(sorted.size() / 2);
    }

    private static double min(List<Double> values) {
        return values.stream().mapToDouble(Double::doubleValue).min().orElse(Double.NaN);
    }

    private static double max(List<Double> values) {
        return values.stream().mapToDouble(Double::doubleValue).max().orElse(Double.NaN);
    }
}
