package io.pogo.api.vm;

import java.util.Map;

/** A device a VM asks for by type, with its options ({@code --device TYPE,k=v,...}). */
public record DeviceRequest(String type, Map<String, String> options) {
}
