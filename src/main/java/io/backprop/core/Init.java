package io.backprop.core;

/**
 * Weight initializations (Glorot and Bengio 2010; He et al. 2015), as {@code torch.nn.init} defines
 * them with gain 1 for Xavier and gain sqrt(2) on fan_in for He. Biases start at zero.
 */
public enum Init {
    XAVIER_UNIFORM("xavier_uniform"),
    XAVIER_NORMAL("xavier_normal"),
    HE_UNIFORM("he_uniform"),
    HE_NORMAL("he_normal");

    private final String id;

    Init(String id) {
        this.id = id;
    }

    public String id() {
        return id;
    }

    public static Init fromId(String id) {
        for (Init i : values()) {
            if (i.id.equals(id)) {
                return i;
            }
        }
        throw new IllegalArgumentException("unknown init '" + id + "'");
    }

    /** He for the ReLU family, Xavier otherwise. */
    public static Init defaultFor(Activation activation) {
        return activation.reluFamily() ? HE_UNIFORM : XAVIER_UNIFORM;
    }

    /** Fills {@code weights} (any layout: the distribution is i.i.d.). Modifies it and {@code rng}. */
    void fill(float[] weights, int fanIn, int fanOut, Rng rng) {
        switch (this) {
            case XAVIER_UNIFORM -> uniform(weights, Math.sqrt(6.0 / (fanIn + fanOut)), rng);
            case XAVIER_NORMAL -> normal(weights, Math.sqrt(2.0 / (fanIn + fanOut)), rng);
            case HE_UNIFORM -> uniform(weights, Math.sqrt(6.0 / fanIn), rng);
            case HE_NORMAL -> normal(weights, Math.sqrt(2.0 / fanIn), rng);
        }
    }

    private static void uniform(float[] w, double bound, Rng rng) {
        for (int i = 0; i < w.length; i++) {
            w[i] = (float) ((rng.nextDouble() * 2 - 1) * bound);
        }
    }

    private static void normal(float[] w, double std, Rng rng) {
        for (int i = 0; i < w.length; i++) {
            w[i] = (float) (rng.nextGaussian() * std);
        }
    }
}
