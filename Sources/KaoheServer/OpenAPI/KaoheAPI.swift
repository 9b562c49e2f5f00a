/// The catalogue of the JSON API: every `/api/v1` operation and the schemas they use.
/// Add an operation here when you add a route; `OpenAPITests` fails until you do.
enum KaoheAPI {
    static let title = "Kaohe 党支部目标管理考核 API"
    static let version = "1.0.0"

    /// Every operation: the core of `contracts/api.md`, then feedback and results.
    static var all: [APIOperation] {
        operations + feedbackOperations + ledgerOperations + factsOperations + yearOperations + selectionOperations
            + orgOperations + papersOperations + bulkOperations
    }
    static var allSchemas: [(String, JSONValue)] {
        schemas + feedbackSchemas + ledgerSchemas + factsSchemas + yearSchemas + orgSchemas + papersSchemas
    }

    /// Query parameters by "method path": the reasons of removals, the filters of lists.
    static let queryParameters: [String: [(String, String)]] = [
        "delete /api/v1/periods/{period}/assessments/{unit}/entries/{entry}": [("reason", "撤回理由：已报送的记录撤回时必填")],
        "delete /api/v1/units/{unit}/activities/{activity}": [("reason", "撤销理由，必填")],
        "get /api/v1/periods/{period}/assessments": [("level", "branch | group | member")],
        "get /api/v1/units/{unit}/activities": [("year", "年份，默认今年")],
        "get /api/v1/periods/{period}/results": [("level", "group | member：报党总支备案的结果；不填为党支部")],
        "get /api/v1/units/{unit}/vetoes": [("year", "年份；不填为全部")],
        "delete /api/v1/units/{unit}/vetoes/{id}": [("reason", "撤销理由，必填")],
        "get /api/v1/years/{year}/selection": [("level", "branch | group | member；不填为党支部")],
        "get /api/v1/search": [("q", "姓名、名称或代码（部分即可），1–100 字")],
        "delete /api/v1/units/{unit}": [("date", "撤销生效之日 YYYY-MM-DD；误建而从未使用的组织可不填"), ("reason", "撤销理由")],
        "get /api/v1/compliance": [
            ("period", "考核期，如 2026Q3；不填为最近的考核期"), ("unit", "只看这一个党支部或党小组"),
        ],
        "get /api/v1/units/{unit}/members": [("on", "日期 YYYY-MM-DD：当日在册的党员（按当日所在党小组）；不填为今天")],
    ]

    /// The lists that take `?limit=&offset=` (`ListPage`): whole without them, as the contract's lists always were.
    static let pagedLists: Set<String> = [
        "get /api/v1/units", "get /api/v1/periods", "get /api/v1/periods/{period}/assessments",
        "get /api/v1/periods/{period}/results", "get /api/v1/units/{unit}/activities",
        "get /api/v1/units/{unit}/vetoes",
        "get /api/v1/me/inbox", "get /api/v1/compliance",
    ]

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
            method: .delete, path: "/api/v1/auth/token", summary: "注销调用者的访问令牌 (revoke the caller's bearer token)",
            tag: "auth", requiresAuth: true, requestSchema: nil,
            responses: [("204", "已注销", nil), ("400", "请求不是以令牌登录的", "Error"), ("401", "未登录", "Error")]),
        APIOperation(
            method: .get, path: "/api/v1/me", summary: "当前用户及其角色 (the signed-in user and roles)",
            tag: "auth", requiresAuth: true, requestSchema: nil,
            responses: [("200", "当前用户", "Me"), ("401", "未登录", "Error")]),
        APIOperation(
            method: .get, path: "/api/v1/me/inbox",
            summary: "待办：需要当前用户办理的事项，截止日近的在前 (what the caller must do next, soonest first)",
            tag: "auth", requiresAuth: true, requestSchema: nil,
            responses: [("200", "待办事项", "Inbox"), ("401", "未登录", "Error"), ("422", "limit 或 offset 不符合规则", "Error")]),
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
                ("422", "on 不是日期，或在 2000 年之前、今天之后", "Error"),
            ]),
        APIOperation(
            method: .get, path: "/api/v1/periods", summary: "考核期 (assessment periods, newest first)",
            tag: "assessment", requiresAuth: true, requestSchema: nil,
            responses: [("200", "考核期", "PeriodList"), ("401", "未登录", "Error")]),
        APIOperation(
            method: .post, path: "/api/v1/periods", summary: "建立考核期并为各级组织生成考核表 (open a quarter; organizer)",
            tag: "assessment", requiresAuth: true, requestSchema: "OpenPeriod",
            responses: [
                ("201", "已建立", "Period"), ("400", "请求体无法解析", "Error"), ("401", "未登录", "Error"),
                ("403", "不是组织委员", "Error"), ("409", "已存在或尚无细则", "Error"), ("422", "季度格式不对", "Error"),
            ]),
        APIOperation(
            method: .delete, path: "/api/v1/periods/{period}",
            summary: "撤销无人办理过的考核期，?reason= 写明理由 (withdraw a quarter nobody has worked in; organizer)",
            tag: "assessment", requiresAuth: true, requestSchema: nil,
            responses: [
                ("204", "已撤销", nil), ("401", "未登录", "Error"), ("403", "不是组织委员", "Error"),
                ("404", "考核期不存在", "Error"), ("409", "已有工作（指明）", "Error"), ("422", "未写理由", "Error"),
            ]),
        APIOperation(
            method: .patch, path: "/api/v1/periods/{period}",
            summary: "修改党支部的截止日期并写明理由 (move the branches' deadlines; organizer)",
            tag: "assessment", requiresAuth: true, requestSchema: "PeriodDeadlines",
            responses: [
                ("200", "考核期", "Period"), ("400", "请求体无法解析", "Error"), ("401", "未登录", "Error"),
                ("403", "不是组织委员", "Error"), ("404", "考核期不存在", "Error"),
                ("422", "日期或理由不符合规则（指明字段）", "Error"),
            ]),
        APIOperation(
            method: .get, path: "/api/v1/periods/{period}/assessments",
            summary: "调用者可见的考核表，可用 ?level=branch|group|member 筛选 (the sheets the caller may see)",
            tag: "assessment", requiresAuth: true, requestSchema: nil,
            responses: [("200", "考核表", "SheetList"), ("401", "未登录", "Error"), ("404", "考核期不存在", "Error")]),
        APIOperation(
            method: .get, path: "/api/v1/periods/{period}/assessments/{unit}",
            summary: "一张考核表及引擎计分 (one sheet with its score)",
            tag: "assessment", requiresAuth: true, requestSchema: nil,
            responses: [("200", "考核表", "Sheet"), ("401", "未登录", "Error"), ("404", "不存在或无权查看", "Error")]),
        APIOperation(
            method: .post, path: "/api/v1/periods/{period}/assessments/{unit}/entries",
            summary: "添加扣分/加分记录 (add an entry: the unit while draft, the panel while under review)",
            tag: "assessment", requiresAuth: true, requestSchema: "NewEntry",
            responses: [
                ("201", "已添加", "Entry"), ("400", "请求体无法解析", "Error"), ("401", "未登录", "Error"),
                ("403", "无权填写", "Error"), ("404", "不存在或无权查看", "Error"), ("409", "状态不允许", "Error"),
                ("422", "记录不符合细则（指明规则）", "Error"),
            ]),
        APIOperation(
            method: .delete, path: "/api/v1/periods/{period}/assessments/{unit}/entries/{entry}",
            summary: "删除（草稿）或撤回（考核中）一条记录 (remove a draft entry, withdraw a submitted one)",
            tag: "assessment", requiresAuth: true, requestSchema: nil,
            responses: [
                ("204", "已删除或撤回", nil), ("401", "未登录", "Error"), ("403", "无权修改", "Error"),
                ("404", "不存在", "Error"), ("409", "状态不允许", "Error"),
            ]),
        APIOperation(
            method: .post, path: "/api/v1/periods/{period}/assessments/{unit}/entries/{entry}/mitigation",
            summary: "考核小组认可或不认可被考核单位的从轻、不予扣分（须理由，办法 三(二)） (the panel decides a mitigation)",
            tag: "assessment", requiresAuth: true, requestSchema: "MitigationDecision",
            responses: [
                ("200", "记录", "Entry"), ("401", "未登录", "Error"), ("403", "只有考核中的考核小组可以", "Error"),
                ("404", "不存在", "Error"), ("409", "该记录未申请从轻或不予扣分", "Error"), ("422", "须写明理由", "Error"),
            ]),
        APIOperation(
            method: .post, path: "/api/v1/periods/{period}/assessments/{unit}/suggestions/dismiss",
            summary: "不采纳一条建议扣分（须理由）：保留在考核表的 dismissed 中供考核小组查看，台账记录变化后另行建议 (set a suggestion aside)",
            tag: "assessment", requiresAuth: true, requestSchema: "SuggestionDismissal",
            responses: [
                ("200", "考核表", "Sheet"), ("400", "请求体无法解析", "Error"), ("401", "未登录", "Error"),
                ("403", "当前阶段不能填写该考核表", "Error"), ("404", "不存在", "Error"),
                ("409", "考核表的状态此时不能修改（如考核小组在自查中）", "Error"),
                ("422", "该细则下没有建议，或未写理由", "Error"),
            ]),
        APIOperation(
            method: .post, path: "/api/v1/periods/{period}/assessments/{unit}/actions/{action}",
            summary:
                "考核表流转：submit 报送、forward 转交（截止后可转交未报送的草稿，记为未开展自查）、return 退回（须理由）、review 考核完毕、approve 审核确定、sendBack 退回考核小组（须理由） (move a sheet)",
            tag: "assessment", requiresAuth: true, requestSchema: "SheetAction",
            responses: [
                ("200", "流转后的考核表", "Sheet"), ("400", "请求体无法解析", "Error"), ("401", "未登录", "Error"),
                ("403", "角色不能进行此操作", "Error"), ("404", "不存在或无权查看", "Error"),
                ("409", "状态不允许、版本已过期、截止日未到，或考核完毕前尚有未处理事项（open）", "Error"),
                ("422", "退回须写明理由；考核完毕须写总体考核意见", "Error"),
            ]),
    ]

    static let schemas: [(String, JSONValue)] = [
        (
            "Error",
            object(
                [
                    "error": ["type": "boolean"], "reason": ["type": "string"],
                    "open": [
                        "type": "array", "description": "考核完毕被拒时尚未处理的事项 (review refused: what is open)",
                        "items": object(
                            [
                                "kind": ["type": "string", "enum": ["mitigation", "suggestion"]],
                                "rule": ["type": "string"], "entry": ["type": "string", "format": "uuid"],
                                "text": ["type": "string"],
                            ], required: ["kind", "rule", "text"]),
                    ],
                ], required: ["error", "reason"])
        ),
        (
            "TokenRequest",
            object(
                ["username": ["type": "string", "minLength": 1], "password": ["type": "string", "minLength": 1]],
                required: ["username", "password"])
        ),
        (
            "TokenResponse",
            object(
                ["token": ["type": "string"], "expiresAt": ["type": "string", "format": "date-time"]],
                required: ["token", "expiresAt"])
        ),
        (
            "Me",
            object(
                [
                    "username": ["type": "string"],
                    "displayName": ["type": "string"],
                    "roles": [
                        "type": "array",
                        "items": object(
                            ["role": ["type": "string"], "unit": ["type": "string"]], required: ["role", "unit"]),
                    ],
                ],
                required: ["username", "displayName", "roles"])
        ),
        (
            "Inbox",
            [
                "type": "array",
                "items": object(
                    [
                        "kind": [
                            "type": "string",
                            "enum": [
                                "sheet", "returned", "publication", "objection", "published", "dues", "document",
                                "ledger",
                            ],
                        ], "title": ["type": "string"],
                        "due": ["type": "string", "format": "date", "nullable": true], "link": ["type": "string"],
                    ],
                    required: ["kind", "title", "link"]),
            ]
        ),
        (
            "MemberList",
            [
                "type": "array",
                "items": object(
                    [
                        "code": ["type": "string"], "name": ["type": "string"], "group": ["type": "string"],
                        "position": ["type": "string", "nullable": true],
                        "joinedOn": ["type": "string", "nullable": true],
                        "midLevel": ["type": "boolean"],
                        "leadership": ["type": "boolean", "description": "局党组成员"],
                    ],
                    required: ["code", "name", "group", "midLevel", "leadership"]),
            ]
        ),
        (
            "UnitList",
            [
                "type": "array",
                "items": object(
                    [
                        "code": ["type": "string"],
                        "name": ["type": "string"],
                        "kind": ["type": "string", "enum": ["general", "branch", "group", "member"]],
                        "parent": ["type": "string", "nullable": true],
                    ],
                    required: ["code", "name", "kind"]),
            ]
        ),
        (
            "OpenPeriod",
            object(
                [
                    "quarter": ["type": "string", "pattern": "^[0-9]{4}[Qq][1-4]$"], "rubric": ["type": "string"],
                    "selfDeadline": ["type": "string", "format": "date"],
                    "panelDeadline": ["type": "string", "format": "date"],
                ],
                required: ["quarter"])
        ),
        (
            "PeriodDeadlines",
            object(
                [
                    "selfDeadline": ["type": "string", "format": "date"],
                    "panelDeadline": ["type": "string", "format": "date"],
                    "reason": ["type": "string", "minLength": 1, "maxLength": 200],
                ],
                required: ["reason"])
        ),
        ("Period", periodSchema),
        ("PeriodList", ["type": "array", "items": periodSchema]),
        (
            "SheetList",
            [
                "type": "array",
                "items": object(
                    [
                        "unit": ["type": "string"], "state": ["type": "string"], "total": ["type": "number"],
                        "grade": ["type": "string"],
                    ],
                    required: ["unit", "state", "total", "grade"]),
            ]
        ),
        (
            "NewEntry",
            object(
                [
                    "rule": ["type": "string"], "count": ["type": "integer", "minimum": 1],
                    "points": ["type": "number"],
                    "case": ["type": "string"], "note": ["type": "string"], "selfFound": ["type": "boolean"],
                    "corrected": ["type": "boolean"],
                    "mitigation": ["type": "string", "enum": ["none", "reduced", "waived"]],
                    "evidence": ["type": "array", "items": ["type": "string", "format": "uuid"]],
                    "source": [
                        "type": "string", "enum": .array(Evidence.Source.allCases.map { .string($0.rawValue) }),
                    ],
                    "reportedOn": ["type": "string", "format": "date"],
                ],
                required: ["rule", "note"])
        ),
        (
            "MitigationDecision",
            object(
                [
                    "decision": ["type": "string", "enum": ["confirmed", "refused"]],
                    "reason": ["type": "string", "minLength": 1],
                ],
                required: ["decision", "reason"])
        ),
        ("Entry", entrySchema),
        (
            "SheetAction",
            object(
                [
                    "version": ["type": "integer"], "reason": ["type": "string"],
                    "opinion": ["type": "string", "maxLength": 2000, "description": "review: 考核小组总体考核意见（必填）"],
                ], required: ["version"])
        ),
        (
            "SuggestionDismissal",
            object(
                ["rule": ["type": "string"], "reason": ["type": "string", "maxLength": 500]],
                required: ["rule", "reason"])
        ),
        (
            "Sheet",
            object(
                [
                    "period": ["type": "string"], "unit": ["type": "string"], "level": ["type": "string"],
                    "rubric": ["type": "string"],
                    "state": ["type": "string"], "version": ["type": "integer"], "late": ["type": "boolean"],
                    "selfReported": ["type": "boolean"], "reviewLate": ["type": "boolean"],
                    "opinion": ["type": "string", "nullable": true],
                    "entries": ["type": "array", "items": entrySchema],
                    "opinions": ["type": "object", "additionalProperties": ["type": "string"]],
                    "evidence": ["type": "array", "items": ["$ref": "#/components/schemas/Evidence"]],
                    "objection": ["$ref": "#/components/schemas/Objection"],
                    "suggestions": [
                        "type": "array",
                        "items": object(
                            ["rule": ["type": "string"], "count": ["type": "integer"], "reason": ["type": "string"]],
                            required: ["rule", "count", "reason"]),
                    ],
                    "dismissed": [
                        "type": "array",
                        "items": object(
                            [
                                "rule": ["type": "string"], "count": ["type": "integer"],
                                "suggestion": ["type": "string"],
                                "reason": ["type": "string"], "dismissedBy": ["type": "string"],
                                "dismissedAt": ["type": "string", "format": "date-time", "nullable": true],
                                "current": ["type": "boolean"],
                            ],
                            required: ["rule", "count", "suggestion", "reason", "dismissedBy", "current"]),
                    ],
                    "pace": [
                        "type": "array",
                        "items": object(
                            [
                                "activity": ["type": "string"], "rule": ["type": "string"],
                                "span": ["type": "string", "enum": ["quarter", "half", "year"]],
                                "group": ["type": "string", "nullable": true], "needed": ["type": "integer"],
                                "recorded": ["type": "integer"], "behind": ["type": "boolean"],
                                "text": ["type": "string"],
                            ],
                            required: ["activity", "rule", "span", "needed", "recorded", "behind", "text"]),
                    ],
                    "publishedOn": ["type": "string", "format": "date", "nullable": true],
                    "selfScore": ["type": "object", "nullable": true],
                    "score": object(
                        [
                            "unit": ["type": "string"], "total": ["type": "number"], "bonus": ["type": "number"],
                            "grade": ["type": "string"], "gradeLabel": ["type": "string"],
                            "vetoed": ["type": "boolean"],
                            "penalty": ["type": "number"],
                            "categories": ["type": "array", "items": ["type": "object"]],
                            "items": ["type": "array", "items": ["type": "object"]],
                        ],
                        required: ["unit", "total", "bonus", "grade", "gradeLabel", "categories", "items"]),
                ],
                required: ["period", "unit", "state", "version", "entries", "score"])
        ),
    ]

    private static let periodSchema = object(
        [
            "id": ["type": "string"], "year": ["type": "integer"], "quarter": ["type": "integer"],
            "state": ["type": "string"],
            "rubric": ["type": "string"], "selfDeadline": ["type": "string", "format": "date"],
            "panelDeadline": ["type": "string", "format": "date"],
        ],
        required: ["id", "year", "quarter", "state", "rubric", "selfDeadline", "panelDeadline"])

    static let entrySchema = object(
        [
            "id": ["type": "string", "format": "uuid"], "rule": ["type": "string"],
            "count": ["type": "integer", "nullable": true],
            "points": ["type": "number", "nullable": true], "case": ["type": "string", "nullable": true],
            "note": ["type": "string", "nullable": true], "selfFound": ["type": "boolean"],
            "corrected": ["type": "boolean"],
            "mitigation": ["type": "string"], "stage": ["type": "string", "enum": ["self", "panel"]],
            "createdBy": ["type": "string"], "createdAt": ["type": "string", "format": "date-time", "nullable": true],
            "withdrawn": ["type": "boolean"], "withdrawnReason": ["type": "string", "nullable": true],
            "evidence": ["type": "array", "items": ["type": "string", "format": "uuid"]],
            "source": ["type": "string", "nullable": true],
            "reportedOn": ["type": "string", "format": "date", "nullable": true],
            "mitigationDecision": ["type": "string", "enum": ["confirmed", "refused"], "nullable": true],
            "mitigationDecisionReason": ["type": "string", "nullable": true],
        ],
        required: ["id", "rule", "selfFound", "corrected", "mitigation", "stage", "createdBy", "withdrawn"])

    static func object(_ properties: KeyValuePairs<String, JSONValue>, required: [String]) -> JSONValue {
        .object([
            ("type", "object"),
            ("properties", .object(properties.map { ($0.key, $0.value) })),
            ("required", .array(required.map(JSONValue.string))),
        ])
    }
}
