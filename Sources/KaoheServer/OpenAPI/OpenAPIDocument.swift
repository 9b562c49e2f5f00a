import KaoheCore

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
                "schemas": .object(bounded(KaoheAPI.allSchemas)),
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
        let query = KaoheAPI.queryParameters[op.method.rawValue + " " + op.path] ?? []
        let paged = KaoheAPI.pagedLists.contains(op.method.rawValue + " " + op.path)
        if !op.pathParameters.isEmpty || !query.isEmpty || paged {
            let inPath: [JSONValue] = op.pathParameters.map { name in
                [
                    "name": .string(name), "in": "path", "required": true,
                    "schema": ["type": "string", "maxLength": .int(TextLimits.maximum(for: name))],
                ]
            }
            let inQuery: [JSONValue] = query.map { name, description in
                [
                    "name": .string(name), "in": "query", "required": false, "description": .string(description),
                    "schema": ["type": "string", "maxLength": .int(TextLimits.maximum(for: name))],
                ]
            }
            let paging: [JSONValue] =
                paged
                ? [
                    [
                        "name": "limit", "in": "query", "required": false, "description": "每页条数；不填为全部",
                        "schema": ["type": "integer", "minimum": 1, "maximum": .int(ListPage.maxLimit)],
                    ],
                    [
                        "name": "offset", "in": "query", "required": false, "description": "跳过的条数，默认 0",
                        "schema": ["type": "integer", "minimum": 0, "maximum": .int(Int(Int32.max))],
                    ],
                ] : []
            fields.append(("parameters", .array(inPath + inQuery + paging)))
        }
        if let schema = op.requestSchema {
            fields.append(
                (
                    "requestBody",
                    [
                        "required": true,
                        "content": .object([(op.requestMediaType, JSONValue.object([("schema", ref(schema))]))]),
                    ]
                ))
        }
        var responses = op.responses + commonResponses(op)
        if paged, !responses.contains(where: { $0.status == "422" }) {
            responses.append(("422", "limit 或 offset 不是范围内的整数", "Error"))
        }
        fields.append(
            (
                "responses",
                .object(
                    responses.map { response in
                        var body: [(String, JSONValue)] = [("description", .string(response.description))]
                        if let schema = response.schema {
                            let mediaType = response.status.hasPrefix("2") ? op.successMediaType : "application/json"
                            body.append(
                                ("content", .object([(mediaType, JSONValue.object([("schema", ref(schema))]))])))
                        }
                        return (response.status, .object(body))
                    })
            ))
        return .object(fields)
    }

    /// What any operation may answer before its own logic runs: a malformed body or a control character in the
    /// address (400), a body over its route's limit (413) or of a kind the route does not take (415).
    private static func commonResponses(_ op: APIOperation) -> [(status: String, description: String, schema: String?)]
    {
        var common: [(status: String, description: String, schema: String?)] = [
            ("400", "请求有误：请求体无法解析，或地址含控制字符", "Error")
        ]
        if op.requestSchema != nil {
            common += [("413", "请求体超过上限", "Error"), ("415", "不接受此类请求体（multipart 只用于上传文件）", "Error")]
        }
        let listed = Set(op.responses.map(\.status))
        return common.filter { !listed.contains($0.status) }
    }

    /// Request bodies carry the limits `InputGuard` enforces: each text field's `maxLength` from `TextLimits`,
    /// and a count's `maximum`. Responses are described as they come.
    private static func bounded(_ schemas: [(String, JSONValue)]) -> [(String, JSONValue)] {
        let requests = Set(KaoheAPI.all.compactMap(\.requestSchema))
        return schemas.map { name, schema in (name, requests.contains(name) ? withLimits(schema) : schema) }
    }

    private static func withLimits(_ schema: JSONValue, field: String? = nil) -> JSONValue {
        guard case .object(let pairs) = schema else { return schema }
        let type = pairs.first { $0.0 == "type" }?.1
        var result = pairs.map { key, value -> (String, JSONValue) in
            switch key {
            case "properties":
                guard case .object(let properties) = value else { return (key, value) }
                return (key, .object(properties.map { ($0.0, withLimits($0.1, field: $0.0)) }))
            case "items": return (key, withLimits(value, field: field))
            default: return (key, value)
            }
        }
        if type == "string", let field,
            !result.contains(where: { $0.0 == "maxLength" || $0.0 == "format" || $0.0 == "enum" })
        {
            result.append(("maxLength", .int(TextLimits.maximum(for: field))))
        }
        if type == "integer", field == "count", !result.contains(where: { $0.0 == "maximum" }) {
            result.append(("maximum", .int(RubricRule.defaultMaxCount)))
        }
        return .object(result)
    }

    private static func ref(_ schema: String) -> JSONValue { ["$ref": .string("#/components/schemas/" + schema)] }

    private static func orderedUnique(_ values: [String]) -> [String] {
        var seen = Set<String>()
        return values.filter { seen.insert($0).inserted }
    }
}
