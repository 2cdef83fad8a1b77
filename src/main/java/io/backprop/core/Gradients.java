package io.backprop.core;

/** Operations on a whole set of gradients. */
final class Gradients {

    private Gradients() {
    }

    /**
     * {@code torch.nn.utils.clip_grad_norm_}: scales every gradient by max_norm / (total_norm + 1e-6)
     * when that is below 1; nothing when {@code maxNorm} is null. Modifies {@code grads}.
     */
    static void clip(float[][] grads, Double maxNorm) {
        if (maxNorm == null) {
            return;
        }
        double sq = 0;
        for (float[] g : grads) {
            for (float v : g) {
                sq += (double) v * v;
            }
        }
        double coef = maxNorm / (Math.sqrt(sq) + 1e-6);
        if (coef < 1) {
            float c = (float) coef;
            for (float[] g : grads) {
                for (int i = 0; i < g.length; i++) {
                    g[i] *= c;
                }
            }
        }
    }
}
