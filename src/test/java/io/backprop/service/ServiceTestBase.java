package io.backprop.service;

import org.junit.jupiter.api.BeforeEach;
import org.springframework.boot.test.web.server.LocalServerPort;

/** A test of the running service over real HTTP, with a client for its random port. */
@ServiceTest
abstract class ServiceTestBase {

    @LocalServerPort
    int port;
    Api api;

    @BeforeEach
    void client() {
        api = new Api(port);
    }
}
