/**
 * The training engine: plain Java and EJML, no framework. It depends on no other module; the
 * {@code CoreArchitectureTest} keeps Spring, JPA and HTTP out (so no Modulith annotation here either).
 */
package io.backprop.core;
