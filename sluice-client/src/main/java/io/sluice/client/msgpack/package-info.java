/** A streaming MessagePack writer for Jackson, shared by the SDK and the gateway's control API. */
package io.sluice.client.msgpack;
