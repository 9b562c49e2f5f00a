/// Builds the OpenAPI 3.0 document from `KaoheAPI`.
enum OpenAPIDocument {
    static func build() -> JSONValue {
        var paths: [(String, JSONValue)] = []
        for path in orderedUnique(KaoheAPI.all.map(\.path)) {
            let operations = KaoheAPI.all.filter { $0.path == path }
            paths.append((path, .object(operations.map { ($0.method.rawValue, operation($0)) })))
        }
        return [
            "openapi": "3.0.3",
            "info": ["title": .string(KaoheAPI.title), "version": .string(KaoheAPI.version)],
            "servers": [["url": "/"]],
            "paths": .object(paths),
            "components": [
                "schemas": .object(KaoheAPI.allSchemas),
                "securitySchemes": ["bearer": ["type": "http", "scheme": "bearer"]],
            ],
        ]
    }

    private static func operation(_ op: APIOperation) -> JSONValue {
        var fields: [(String, JSONValue)] = [
            ("operationId", .string(op.method.rawValue + op.path.replacingOccurrences(of: "/", with: "_"))),
            ("summary", .string(op.summary)),
            ("tags", [.string(op.tag)]),
            ("security", op.requiresAuth ? [["bearer": []]] : []),
        ]
        if !op.pathParameters.isEmpty {
            fields.append(("parameters", .array(op.pathParameters.map { name in
                ["name": .string(name), "in": "path", "required": true, "schema": ["type": "string"]]
            })))
        }
        if let schema = op.requestSchema {
            fields.append(("requestBody", [
                "required": true,
                "content": .object([(op.requestMediaType, JSONValue.object([("schema", ref(schema))]))]),
            ]))
        }
        fields.append(("responses", .object(op.responses.map { response in
            var body: [(String, JSONValue)] = [("description", .string(response.description))]
            if let schema = response.schema {
                let mediaType = response.status.hasPrefix("2") ? op.successMediaType : "application/json"
                body.append(("content", .object([(mediaType, JSONValue.object([("schema", ref(schema))]))])))
            }
            return (response.status, .object(body))
        })))
        return .object(fields)
    }

    private static func ref(_ schema: String) -> JSONValue { ["$ref": .string("#/components/schemas/" + schema)] }

    private static func orderedUnique(_ values: [String]) -> [String] {
        var seen = Set<String>()
        return values.filter { seen.insert($0).inserted }
    }
}
