package io.sluice.gateway.api;

import io.sluice.core.config.ConfigException;
import io.sluice.gateway.control.ReloadResult;

/** Reloads the configuration file (what SIGHUP does); the gateway implements it. */
@FunctionalInterface
public interface ConfigReloader {

    /**
     * Reads and validates the file, then applies it.
     *
     * @throws ConfigException       the file is invalid: nothing changed
     * @throws IllegalStateException there is no file to reload
     */
    ReloadResult reload() throws ConfigException;
}
