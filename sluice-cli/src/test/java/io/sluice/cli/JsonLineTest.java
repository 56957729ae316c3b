package io.sluice.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class JsonLineTest {

    @Test
    void writesWhatJacksonWroteForASummary() throws Exception {
        Map<String, Object> summary = new LinkedHashMap<>();
        summary.put("url", "http://127.0.0.1:8080/a b?q=\"x\"\\y");
        summary.put("status", "failed");
        summary.put("error", "line one\nline\ttwo \u0001 ü");
        summary.put("size", 2147483648L);
        summary.put("workers", 16);
        summary.put("ratio", 0.333);
        summary.put("whole", 1.0);
        summary.put("verified", null);
        summary.put("parallel", true);
        assertThat(JsonLine.of(summary)).isEqualTo(new ObjectMapper().writeValueAsString(summary));
        assertThat(JsonLine.of(Map.of())).isEqualTo("{}");
    }
}
