package dev.custody.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Map;

/**
 * {@code custody stress --json FILE}: the run for a CI system, as
 * {@code {version, verdict, exitStatus, seed, scenarios: [{name, verdict, reasons[], tolerances{},
 * cycles: [{cycle, figures{}}]}]}}. {@code version} is the pom's, as {@code --version} prints it;
 * {@code tolerances} holds each judged witness's tolerance in bytes; {@code figures} every figure of
 * the cycle, exact, witness and shown alike, by name. Numbers
 * are JSON integers; the seed is one too, and may be negative.
 */
final class StressJson {
    private static final ObjectMapper MAPPER = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private StressJson() {
    }

    /** The document. */
    static String render(StressOptions options, Outcome overall, List<ScenarioRun> runs) {
        ObjectNode doc = MAPPER.createObjectNode();
        doc.put("version", Version.pom());
        doc.put("verdict", overall.name());
        doc.put("exitStatus", overall.exitCode());
        doc.put("seed", options.seed());
        ArrayNode scenarios = doc.putArray("scenarios");
        for (ScenarioRun r : runs) {
            ObjectNode s = scenarios.addObject();
            s.put("name", r.scenario().name());
            s.put("verdict", r.outcome().name());
            ArrayNode reasons = s.putArray("reasons");
            r.log().verdict().reasons().forEach(reasons::add);
            figures(s.putObject("tolerances"), r.log().tolerances());
            ArrayNode cycles = s.putArray("cycles");
            for (CycleLog.Row row : r.log().rows()) {
                ObjectNode c = cycles.addObject();
                c.put("cycle", row.cycle());
                ObjectNode f = c.putObject("figures");
                figures(f, row.exact());
                figures(f, row.witness());
            }
        }
        try {
            return MAPPER.writeValueAsString(doc) + "\n";
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write the JSON of a stress run: " + e.getMessage(), e);
        }
    }

    private static void figures(ObjectNode into, Map<String, Long> figures) {
        figures.forEach(into::put);
    }
}
