package io.backprop.service;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.springframework.boot.test.context.SpringBootTest;

/**
 * The whole service on a random port over its own in-memory H2 database, with fast scheduler timings
 * so dead instances are noticed in seconds.
 */
@Target(ElementType.TYPE)
@java.lang.annotation.Inherited
@Retention(RetentionPolicy.RUNTIME)
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "spring.datasource.url=jdbc:h2:mem:${random.uuid};MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DEFAULT_NULL_ORDERING=HIGH;DB_CLOSE_DELAY=-1",
        "backprop.workers=2",
        "backprop.scheduler.polling-interval=200ms",
        "backprop.scheduler.heartbeat-interval=1s",
        "backprop.scheduler.missed-heartbeats-limit=4",
        "backprop.cancel-poll-interval=200ms",
        "backprop.step-loss-flush-interval=200ms",
        "backprop.events.heartbeat=1s",
        "backprop.security.admin-key=" + Api.ADMIN_KEY
})
public @interface ServiceTest {
}
