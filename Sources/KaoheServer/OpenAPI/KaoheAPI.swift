/// The catalogue of the JSON API: every `/api/v1` operation and the schemas they use.
/// Add an operation here when you add a route; `OpenAPITests` fails until you do.
enum KaoheAPI {
    static let title = "Kaohe 党支部目标管理考核 API"
    static let version = "1.0.0"

    static let operations: [APIOperation] = [
        APIOperation(
            method: .post, path: "/api/v1/auth/token", summary: "用户名和密码换取访问令牌 (issue a bearer token)",
            tag: "auth", requiresAuth: false, requestSchema: "TokenRequest",
            responses: [
                ("200", "令牌", "TokenResponse"),
                ("400", "请求体无法解析", "Error"),
                ("401", "用户名或密码不正确", "Error"),
                ("422", "字段不符合规则", "Error"),
                ("429", "失败次数过多", "Error"),
            ]),
        APIOperation(
            method: .get, path: "/api/v1/me", summary: "当前用户及其角色 (the signed-in user and roles)",
            tag: "auth", requiresAuth: true, requestSchema: nil,
            responses: [("200", "当前用户", "Me"), ("401", "未登录", "Error")]),
        APIOperation(
            method: .get, path: "/api/v1/units", summary: "组织树：党总支、党支部、党小组、党员 (the org tree)",
            tag: "org", requiresAuth: true, requestSchema: nil,
            responses: [("200", "组织树，父节点在前", "UnitList"), ("401", "未登录", "Error")]),
        APIOperation(
            method: .get, path: "/api/v1/units/{unit}/members", summary: "某组织下的全体党员 (the members under a unit)",
            tag: "org", requiresAuth: true, requestSchema: nil,
            responses: [
                ("200", "党员名单", "MemberList"), ("401", "未登录", "Error"),
                ("403", "在该组织及其上级组织均无角色", "Error"), ("404", "组织不存在", "Error"),
            ]),
    ]

    static let schemas: [(String, JSONValue)] = [
        ("Error", object(["error": ["type": "boolean"], "reason": ["type": "string"]], required: ["error", "reason"])),
        ("TokenRequest", object(
            ["username": ["type": "string", "minLength": 1], "password": ["type": "string", "minLength": 1]],
            required: ["username", "password"])),
        ("TokenResponse", object(
            ["token": ["type": "string"], "expiresAt": ["type": "string", "format": "date-time"]],
            required: ["token", "expiresAt"])),
        ("Me", object(
            [
                "username": ["type": "string"],
                "displayName": ["type": "string"],
                "roles": ["type": "array", "items": object(
                    ["role": ["type": "string"], "unit": ["type": "string"]], required: ["role", "unit"])],
            ],
            required: ["username", "displayName", "roles"])),
        ("MemberList", ["type": "array", "items": object(
            [
                "code": ["type": "string"], "name": ["type": "string"], "group": ["type": "string"],
                "position": ["type": "string", "nullable": true], "joinedOn": ["type": "string", "nullable": true],
                "midLevel": ["type": "boolean"],
            ],
            required: ["code", "name", "group", "midLevel"])]),
        ("UnitList", ["type": "array", "items": object(
            [
                "code": ["type": "string"],
                "name": ["type": "string"],
                "kind": ["type": "string", "enum": ["general", "branch", "group", "member"]],
                "parent": ["type": "string", "nullable": true],
            ],
            required: ["code", "name", "kind"])]),
    ]

    private static func object(_ properties: KeyValuePairs<String, JSONValue>, required: [String]) -> JSONValue {
        .object([
            ("type", "object"),
            ("properties", .object(properties.map { ($0.key, $0.value) })),
            ("required", .array(required.map(JSONValue.string))),
        ])
    }
}
