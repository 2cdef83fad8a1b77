package io.backprop.service;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.UUID;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;

/**
 * A database of its own on the PostgreSQL server named by {@code BACKPROP_TEST_POSTGRES_URL}
 * (default {@code jdbc:postgresql://127.0.0.1:5432/postgres}, user {@code postgres}), dropped on close.
 * Without a server the test is skipped, saying why, unless {@code BACKPROP_REQUIRE_POSTGRES=true}
 * (CI sets it), which turns the skip into a failure.
 */
final class PostgresDatabase implements AutoCloseable {

    private final String adminUrl;
    private final String name;
    final String url;

    private PostgresDatabase(String adminUrl, String name) {
        this.adminUrl = adminUrl;
        this.name = name;
        this.url = adminUrl.substring(0, adminUrl.lastIndexOf('/') + 1) + name;
    }

    static PostgresDatabase create() {
        String adminUrl = env("BACKPROP_TEST_POSTGRES_URL", "jdbc:postgresql://127.0.0.1:5432/postgres");
        String name = "backprop_test_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
        try (Connection c = DriverManager.getConnection(adminUrl, user(), ""); Statement s = c.createStatement()) {
            s.execute("create database " + name);
        } catch (SQLException e) {
            String why = "no PostgreSQL at " + adminUrl + " (" + e.getMessage() + ")";
            if (Boolean.parseBoolean(env("BACKPROP_REQUIRE_POSTGRES", "false"))) {
                Assertions.fail(why + "; BACKPROP_REQUIRE_POSTGRES=true makes this a failure");
            }
            Assumptions.abort(why + "; set BACKPROP_TEST_POSTGRES_URL to run the PostgreSQL tests");
        }
        return new PostgresDatabase(adminUrl, name);
    }

    static String user() {
        return env("BACKPROP_TEST_POSTGRES_USER", "postgres");
    }

    @Override
    public void close() {
        try (Connection c = DriverManager.getConnection(adminUrl, user(), ""); Statement s = c.createStatement()) {
            s.execute("drop database if exists " + name + " with (force)");
        } catch (SQLException e) {
            throw new IllegalStateException("could not drop test database " + name, e);
        }
    }

    private static String env(String key, String fallback) {
        String v = System.getenv(key);
        return v == null || v.isBlank() ? fallback : v;
    }
}
