package io.backprop.core;

/** Throwaway probe: what packing A costs in one product. */
final class PackProbe {
    public static void main(String[] args) {
        int m = Integer.parseInt(args[0]), k = Integer.parseInt(args[1]), n = Integer.parseInt(args[2]);
        boolean transA = args.length > 3;
        float[] a = new float[m * k], b = new float[k * n], c = new float[m * n];
        for (int i = 0; i < a.length; i++) a[i] = i % 7;
        for (int i = 0; i < b.length; i++) b[i] = i % 5;
        VectorGemm g = new VectorGemm();
        int ars = transA ? 1 : k, acs = transA ? m : 1;
        for (int rep = 0; rep < 5; rep++) {
            long t0 = System.nanoTime();
            for (int i = 0; i < 200; i++) g.nn(a, 0, ars, acs, b, false, n, c, 0, m, k, 0, 0);
            long t1 = System.nanoTime();
            for (int i = 0; i < 200; i++) g.nn(a, 0, ars, acs, b, false, n, c, 0, m, k, 0, n);
            long t2 = System.nanoTime();
            for (int i = 0; i < 200; i++) g.nn(a, 0, ars, acs, b, false, n, c, 0, m, k, 0, n / 2);
            long t3 = System.nanoTime();
            System.out.printf("pack only %.1f us, whole %.1f us, half the columns %.1f us%n",
                    (t1 - t0) / 200e3, (t2 - t1) / 200e3, (t3 - t2) / 200e3);
        }
    }
}
