package io.sluice.client.transport;

/** The HTTP version a request travelled over. */
public enum Protocol {
    HTTP_1_1,
    HTTP_2
}
