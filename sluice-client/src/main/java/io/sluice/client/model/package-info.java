/** The control API's documents as records; property names map to the API's snake_case. */
package io.sluice.client.model;
