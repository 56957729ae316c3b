/** The gateway: listeners, the HTTP proxy, the admin listener. */
package io.sluice.gateway;
