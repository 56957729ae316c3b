/**
 * Sluice's configuration: the immutable {@link io.sluice.core.config.SluiceConfig} snapshot and the loader
 * that builds it from YAML.
 *
 * <p>{@link io.sluice.core.config.ConfigLoader} is the only public entry point. It parses YAML into a Jackson
 * tree and binds it by hand rather than with data binding, because binding by hand lets every check know the
 * YAML path it is at ({@code routes[0].backends[1].weight}) and lets one bad value be recorded and skipped
 * instead of aborting the load: a {@link io.sluice.core.config.ConfigException} carries every problem in the
 * file, each as {@code <path>: must be <range>, got <value>}.
 *
 * <p>Inside, each class has one job: {@code YamlTree} turns text into a tree, {@code Node} reads it while
 * tracking the path, {@code Units} reads durations and sizes, {@code DidYouMean} suggests keys for typos,
 * {@code Defaults} holds the seed documents' values, and {@code ConfigBinder}, {@code ServerBinder} and
 * {@code RouteBinder} map sections onto the records. Every key and its range is in docs/CONFIGURATION.md.
 */
package io.sluice.core.config;
