package fun.ai.studio.deploy.web;

import fun.ai.studio.deploy.shared.EndpointGroup;
import fun.ai.studio.deploy.shared.Route;
import io.swagger.v3.oas.models.Components;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.Operation;
import io.swagger.v3.oas.models.PathItem;
import io.swagger.v3.oas.models.examples.Example;
import io.swagger.v3.oas.models.info.Info;
import io.swagger.v3.oas.models.media.Content;
import io.swagger.v3.oas.models.media.MediaType;
import io.swagger.v3.oas.models.responses.ApiResponse;
import io.swagger.v3.oas.models.responses.ApiResponses;
import io.swagger.v3.oas.models.security.SecurityRequirement;
import io.swagger.v3.oas.models.security.SecurityScheme;
import org.springdoc.core.customizers.OpenApiCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import tools.jackson.databind.json.JsonMapper;

import java.util.List;
import java.util.Map;

/**
 * The OpenAPI document at {@code /v3/api-docs}: the three token headers as security schemes, and for every
 * endpoint its scheme, request and response examples, and the error statuses it can answer, all in the
 * envelope. Examples live here, in one table, rather than spread over the controllers.
 */
@Configuration(proxyBeanMethods = false)
class OpenApiConfiguration {

    private static final String NODE_VIEW = """
            {"nodeId": 3, "name": "rt-node-01", "agentBaseUrl": "http://10.0.0.12:7005",
             "gatewayBaseUrl": "https://gw.example.com", "enabled": true, "weight": 100,
             "lastHeartbeatAt": "2026-11-28T03:12:31.123Z", "lastHeartbeatAtMs": 1795835551123,
             "health": "HEALTHY", "placeable": true, "placementCount": 42,
             "diskFreePct": 71.5, "diskFreeBytes": 123456789, "containerCount": 12}""";
    private static final String PLACEMENT_VIEW = """
            {"appId": "app-42", "nodeId": 3, "nodeName": "rt-node-01", "agentBaseUrl": "http://10.0.0.12:7005",
             "gatewayBaseUrl": "https://gw.example.com", "lastActiveAt": 1795835551123, "created": true,
             "moved": false, "previousNodeId": null}""";
    private static final String APP_RUN_VIEW = """
            {"appId": "app-42", "nodeId": 3, "lastJobId": "job-7", "lastJobStatus": "SUCCEEDED", "lastError": null,
             "lastDeployedAt": 1795835551123, "lastActiveAt": 1795835551123}""";

    private static final String CHANGES_PAGE = """
            {"items": [{"revision": 42, "at": 1795835551123, "kind": "placement-moved", "nodeId": null,
             "appId": "app-42", "fromNodeId": 1, "toNodeId": 3, "reason": "drain"}],
             "nextAfter": 42, "oldestAvailable": 1}""";

    /**
     * Request example, response {@code data} example and error statuses of one operation, and more {@code data}
     * examples by name for an operation whose answer has another shape under some parameters.
     */
    private record Doc(String request, String data, List<Integer> errors, Map<String, String> otherData) {
        Doc(String request, String data, List<Integer> errors) {
            this(request, data, errors, Map.of());
        }
    }

    private static final Map<Route, Doc> DOCS = Map.ofEntries(
            Map.entry(Route.HEARTBEAT, new Doc("""
                    {"nodeName": "rt-node-01", "agentBaseUrl": "http://10.0.0.12:7005",
                     "gatewayBaseUrl": "https://gw.example.com", "diskFreePct": 71.5,
                     "diskFreeBytes": 123456789, "containerCount": 12}""", NODE_VIEW, List.of(400, 401, 403, 404, 413, 415, 503))),
            Map.entry(Route.NODE_LIST, new Doc(null, "[" + NODE_VIEW + "]", List.of(400, 401, 403, 404, 503),
                    Map.of("paged", "{\"items\": [" + NODE_VIEW + "], \"nextAfterNodeId\": 3}"))),
            Map.entry(Route.NODE_UPSERT, new Doc("""
                    {"name": "rt-node-01", "agentBaseUrl": "http://10.0.0.12:7005",
                     "gatewayBaseUrl": "https://gw.example.com", "enabled": true, "weight": 100}""",
                    NODE_VIEW, List.of(400, 401, 403, 404, 413, 415, 503))),
            Map.entry(Route.NODE_SET_ENABLED, new Doc(null, "\"disabled\"", List.of(400, 401, 403, 404, 503))),
            Map.entry(Route.NODE_TOKEN, new Doc(null,
                    "\"9f2c4e0b8a7d6c5e4f3a2b1c0d9e8f7a6b5c4d3e2f1a0b9c8d7e6f5a4b3c2d1e\"", List.of(400, 401, 403, 404, 409))),
            Map.entry(Route.NODE_PLACEMENTS, new Doc(null, """
                    {"nodeId": 3, "total": 1, "items": [{"appId": "app-42", "nodeId": 3, "lastActiveAt": 1795835551123}],
                     "nextAfterAppId": null}""", List.of(400, 401, 403, 404, 503))),
            Map.entry(Route.REASSIGN, new Doc("""
                    {"appId": "app-42", "targetNodeId": 4}""", "\"ok\"", List.of(400, 401, 403, 404, 409, 413, 415, 503))),
            Map.entry(Route.DRAIN, new Doc("""
                    {"sourceNodeId": 3, "targetNodeId": 4, "limit": 100, "dryRun": false}""", """
                    {"moved": 100, "sourceNodeId": 3, "targetNodeId": 4, "remaining": 20, "movedByTarget": {"4": 100},
                     "dryRun": false, "plan": null, "plannedByTarget": null}""", List.of(400, 401, 403, 404, 409, 413, 415, 503))),
            Map.entry(Route.APPS, new Doc(null, """
                    {"total": 1, "items": [{"appId": "app-42", "fromNodeId": 2, "toNodeId": 3,
                     "movedAt": 1795835551123, "reason": "drain"}], "nextAfterAppId": null}""",
                    List.of(400, 401, 403, 404, 503))),
            Map.entry(Route.APP, new Doc(null, """
                    {"appId": "app-42", "placement": {"nodeId": 3, "nodeName": "rt-node-01", "lastActiveAt": 1795835551123},
                     "run": %s, "placedNodeId": 3, "redeployNeeded": true,
                     "lastMove": {"appId": "app-42", "fromNodeId": 2, "toNodeId": 3, "movedAt": 1795835551123,
                     "reason": "drain"}}""".formatted(APP_RUN_VIEW), List.of(400, 401, 403, 404, 503))),
            Map.entry(Route.AUDIT, new Doc(null, """
                    {"items": [{"id": 1042, "at": 1795835551123, "clientAddress": "10.0.0.5", "action": "set-enabled",
                     "request": "?name=rt-node-01&enabled=false", "status": 200, "outcome": "ok \\"disabled\\""}],
                     "nextBefore": 1042}""", List.of(400, 401, 403, 404, 503))),
            Map.entry(Route.CHANGES, new Doc(null, CHANGES_PAGE, List.of(400, 401, 403, 404, 410, 503))),
            Map.entry(Route.ADMIN_CHANGES, new Doc(null, CHANGES_PAGE, List.of(400, 401, 403, 404, 410, 503))),
            Map.entry(Route.ENSURE, new Doc("""
                    {"appId": "app-42"}""", PLACEMENT_VIEW, List.of(400, 401, 403, 404, 409, 413, 415, 503))),
            Map.entry(Route.PLACEMENT, new Doc(null, PLACEMENT_VIEW.replace("\"created\": true", "\"created\": false"),
                    List.of(400, 401, 403, 404, 503))),
            Map.entry(Route.REPORT, new Doc("""
                    {"jobId": "job-7", "status": "SUCCEEDED", "error": null}""", APP_RUN_VIEW, List.of(400, 401, 403, 404, 413, 415, 503))),
            Map.entry(Route.HEALTH, new Doc(null, """
                    {"service": "fun-ai-studio-deploy", "status": "UP", "timestamp": 1795835551123}""", List.of())));

    private static final Map<Integer, String> ERROR_MEANING = Map.of(
            400, "bad input: malformed JSON, a missing or invalid field, a bad query parameter",
            401, "missing or wrong token",
            403, "source address not in the allow-list; for a heartbeat under per-node auth, a token that is not the "
                    + "named node's; for a new node, the node limit (deploy.runtime-node-registry.max-nodes) reached",
            404, "unknown node or app, or this endpoint group is switched off",
            409, "state conflict: the node is disabled or stale, or (node tokens) per-node auth is off",
            413, "request body over 64 KiB",
            410, "the change log no longer holds the entries after this revision; data.oldestAvailable says what it"
                    + " holds: list again and watch from the list's revision",
            415, "Content-Type is not application/json",
            503, "no placeable node, or the database is unavailable");

    @Bean
    OpenAPI deployOpenApi() {
        Components components = new Components();
        for (EndpointGroup group : EndpointGroup.values()) {
            components.addSecuritySchemes(group.header(), new SecurityScheme().type(SecurityScheme.Type.APIKEY)
                    .in(SecurityScheme.In.HEADER).name(group.header())
                    .description("the " + group.label() + " secret, " + group.secretProperty()));
        }
        return new OpenAPI().components(components).info(new Info().title("fun-ai-studio-deploy")
                .description("Runtime-node registry and app placement. Every answer is the envelope "
                        + "{code, message, data}; code equals the HTTP status.")
                .version("v1"));
    }

    @Bean
    OpenApiCustomizer deployOperationDocs() {
        JsonMapper json = JsonMapper.builder().build();
        return openApi -> openApi.getPaths().forEach((path, item) -> item.readOperationsMap()
                .forEach((method, operation) -> document(json, method, path, operation)));
    }

    private static void document(JsonMapper json, PathItem.HttpMethod method, String path, Operation operation) {
        EndpointGroup group = EndpointGroup.of(method.name(), path);
        if (group != null) {
            operation.addSecurityItem(new SecurityRequirement().addList(group.header()));
        }
        Route route = Route.of(method.name(), path);
        Doc doc = route == null ? null : DOCS.get(route);
        if (doc == null) {
            return;
        }
        if (doc.request() != null && operation.getRequestBody() != null) {
            operation.getRequestBody().getContent().values()
                    .forEach(media -> media.addExamples("example", example(json, doc.request())));
        }
        ApiResponses responses = new ApiResponses();
        String okExample = okEnvelope(doc.data());
        ApiResponse ok = operation.getResponses() == null ? null : operation.getResponses().get("200");
        if (ok != null && ok.getContent() != null) {
            // Keep the generated schema of the envelope; add the examples beside it.
            ok.getContent().values().forEach(media -> {
                media.addExamples("example", example(json, okExample));
                doc.otherData().forEach((name, data) -> media.addExamples(name, example(json, okEnvelope(data))));
            });
            responses.addApiResponse("200", ok.description("ok"));
        } else {
            responses.addApiResponse("200", envelope("ok", example(json, okExample)));
        }
        for (int status : doc.errors()) {
            // A 410 says in its data what is still there; every other error's data is null.
            String data = status == 410 ? "{\"oldestAvailable\": 5001}" : "null";
            responses.addApiResponse(String.valueOf(status), envelope(ERROR_MEANING.get(status), example(json,
                    "{\"code\": " + status + ", \"message\": \"" + ERROR_MEANING.get(status) + "\", \"data\": "
                            + data + "}")));
        }
        operation.setResponses(responses);
    }

    private static String okEnvelope(String data) {
        return "{\"code\": 200, \"message\": \"ok\", \"data\": " + data + "}";
    }

    /** The example as plain maps and lists, so the document shows JSON, not a string holding JSON. */
    private static Example example(JsonMapper json, String text) {
        return new Example().value(json.readValue(text, Object.class));
    }

    private static ApiResponse envelope(String description, Example example) {
        return new ApiResponse().description(description).content(new Content().addMediaType("application/json",
                new MediaType().addExamples("example", example)));
    }
}
