package io.backprop.config;

import com.zaxxer.hikari.HikariDataSource;
import java.time.Duration;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.stereotype.Component;

/**
 * On PostgreSQL, has the server end a session that sits idle inside a transaction for half the
 * takeover timeout. An instance frozen mid-transaction (a suspended VM, a stopped process) would
 * otherwise keep its row locks, and the instance taking its runs over would wait on them until it
 * thawed. Our transactions last milliseconds, so only a frozen or cut-off client ever hits this.
 */
@Component
class FrozenSessionTimeout implements BeanPostProcessor {

    private final BackpropProperties properties;

    FrozenSessionTimeout(BackpropProperties properties) {
        this.properties = properties;
    }

    @Override
    public Object postProcessBeforeInitialization(Object bean, String beanName) {
        if (bean instanceof HikariDataSource hikari && hikari.getJdbcUrl() != null
                && hikari.getJdbcUrl().startsWith("jdbc:postgresql:") && hikari.getConnectionInitSql() == null) {
            hikari.setConnectionInitSql("SET idle_in_transaction_session_timeout = " + timeout().toMillis());
        }
        return bean;
    }

    Duration timeout() {
        Duration half = properties.scheduler().takeoverTimeout().dividedBy(2);
        return half.compareTo(Duration.ofSeconds(5)) < 0 ? Duration.ofSeconds(5) : half;
    }
}
