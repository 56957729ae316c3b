/** The Java SDK of Sluice's control API: {@link io.sluice.client.SluiceClient}. */
package io.sluice.client;
