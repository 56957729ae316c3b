/** The embedded backends of {@code sluice demo}: {@link io.sluice.gateway.demo.DemoBackends}. */
package io.sluice.gateway.demo;
