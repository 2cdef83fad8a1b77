package io.backprop.jobs;

import io.backprop.config.BackpropProperties;
import java.lang.System.Logger.Level;
import java.sql.SQLRecoverableException;
import java.sql.SQLTransientException;
import java.time.Duration;
import java.util.function.Supplier;
import org.springframework.core.retry.RetryException;
import org.springframework.core.retry.RetryPolicy;
import org.springframework.core.retry.RetryTemplate;
import org.springframework.core.retry.Retryable;
import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.dao.RecoverableDataAccessException;
import org.springframework.dao.TransientDataAccessException;
import org.springframework.stereotype.Component;
import org.springframework.transaction.CannotCreateTransactionException;
import org.springframework.transaction.TransactionSystemException;

/**
 * Retries a worker's database work through transient faults (a dropped connection, a server restarting,
 * a full disk) with exponential backoff, for at most {@code backprop.fault-retry-timeout}; after that
 * the attempt gives up with {@link DatabaseUnavailable} and the run is handed back to resume from its
 * checkpoint. Anything else (a superseded attempt, a bug) is not retried.
 */
@Component
class DatabaseRetry {

    private static final System.Logger LOG = System.getLogger(DatabaseRetry.class.getName());

    private final RetryTemplate template;
    private final Duration timeout;

    DatabaseRetry(BackpropProperties properties) {
        Duration timeout = properties.faultRetryTimeout();
        this.template = new RetryTemplate(RetryPolicy.builder()
                .maxRetries(Long.MAX_VALUE)
                .timeout(timeout)
                .delay(Duration.ofMillis(200))
                .multiplier(2)
                .maxDelay(Duration.ofSeconds(5))
                .predicate(DatabaseRetry::transientFault)
                .build());
        this.timeout = timeout;
    }

    /** The database work was not possible for the whole retry window. */
    static final class DatabaseUnavailable extends RuntimeException {

        private static final long serialVersionUID = 1L;
        DatabaseUnavailable(String what, Throwable cause) {
            super(what + ": the database stayed unavailable (" + cause + ")", cause);
        }
    }

    <T> T call(String what, Supplier<T> work) {
        try {
            return template.execute(new Retryable<T>() {
                @Override
                public T execute() {
                    try {
                        return work.get();
                    } catch (RuntimeException e) {
                        if (transientFault(e)) {
                            LOG.log(Level.WARNING, what + " failed, retrying for up to " + timeout + ": " + e);
                        }
                        throw e;
                    }
                }

                @Override
                public String getName() {
                    return what;
                }
            });
        } catch (RetryException e) {
            Throwable last = e.getCause() != null ? e.getCause() : e.getLastException();
            if (transientFault(last)) {
                throw new DatabaseUnavailable(what, last);
            }
            if (last instanceof RuntimeException r) {
                throw r;
            }
            if (last instanceof Error err) {
                throw err;
            }
            throw new IllegalStateException(last);
        }
    }

    void run(String what, Runnable work) {
        call(what, () -> {
            work.run();
            return null;
        });
    }

    /**
     * Faults of the connection or the server, not of the statement: trying again later can succeed.
     * Looks through causes and suppressed exceptions: when a connection drops mid-transaction, the
     * rollback fails too and its exception hides the original one as suppressed.
     */
    static boolean transientFault(Throwable t) {
        return transientFault(t, 0);
    }

    private static boolean transientFault(Throwable t, int depth) {
        for (Throwable c = t; c != null && depth < 20; c = c.getCause(), depth++) {
            for (Throwable suppressed : c.getSuppressed()) {
                if (transientFault(suppressed, depth + 1)) {
                    return true;
                }
            }
            if (c instanceof TransientDataAccessException || c instanceof DataAccessResourceFailureException
                    || c instanceof RecoverableDataAccessException || c instanceof CannotCreateTransactionException
                    || c instanceof TransactionSystemException || c instanceof SQLTransientException
                    || c instanceof SQLRecoverableException || c instanceof java.net.SocketException
                    || c instanceof java.io.EOFException) {
                return true;
            }
            if (c instanceof java.sql.SQLException sql && sql.getSQLState() != null
                    && (sql.getSQLState().startsWith("08") || sql.getSQLState().startsWith("53")
                    || sql.getSQLState().startsWith("57") || sql.getSQLState().startsWith("58"))) {
                return true;
            }
        }
        return false;
    }
}
