import KaoheCore

/// The activity ledger (活动台账): what a unit held, which the rubric's requirements count.
extension KaoheAPI {
    static let ledgerOperations: [APIOperation] = [
        APIOperation(
            method: .get, path: "/api/v1/units/{unit}/activities",
            summary: "活动台账，?year= 某年（默认今年），按日期排列 (the unit's activity records of a year)",
            tag: "ledger", requiresAuth: true, requestSchema: nil,
            responses: [
                ("200", "活动记录", "ActivityList"), ("401", "未登录", "Error"),
                ("403", "在该组织及其上级组织均无角色", "Error"), ("404", "组织不存在", "Error"), ("422", "year 不对", "Error"),
            ]),
        APIOperation(
            method: .post, path: "/api/v1/units/{unit}/activities",
            summary: "登记一次活动；支部书记登记本支部，党小组长登记本小组；attendees 参加、absent 无故缺席、excused 请假，均为本组织党员代码 (record an activity)",
            tag: "ledger", requiresAuth: true, requestSchema: "NewActivity",
            responses: [
                ("201", "已登记", "Activity"), ("400", "请求体无法解析", "Error"), ("401", "未登录", "Error"),
                ("403", "不是该组织的书记或小组长", "Error"), ("404", "组织不存在", "Error"),
                ("422", "类型、日期、主题不对，或名单中有非本组织党员（指明字段和人）", "Error"),
            ]),
        APIOperation(
            method: .delete, path: "/api/v1/units/{unit}/activities/{activity}",
            summary: "撤销一条登记错误的活动记录，?reason= 写明理由；记录保留，不再计数 (withdraw a mistaken record)",
            tag: "ledger", requiresAuth: true, requestSchema: nil,
            responses: [
                ("204", "已撤销", nil), ("401", "未登录", "Error"), ("403", "不是该组织的书记或小组长", "Error"),
                ("404", "没有这条记录", "Error"), ("422", "未写理由", "Error"),
            ]),
        APIOperation(
            method: .post, path: "/api/v1/units/{unit}/activities/import",
            summary:
                "导入以往的活动记录：CSV（UTF-8 或 GBK），表头 type,date,topic,attendees,absent（可加 excused），类型可写代码或中文名，人员为党员代码以 ; 分隔；逐行检查，有一行不对则全部不导入 (import past records)",
            tag: "ledger", requiresAuth: true, requestSchema: "LedgerCSV",
            responses: [
                ("200", "已导入", "LedgerImported"), ("401", "未登录", "Error"),
                ("403", "不是该组织的书记或小组长", "Error"), ("404", "组织不存在", "Error"),
                ("413", "文件太大", "Error"), ("422", "逐行列出问题，未导入任何一行", "ImportProblems"),
            ],
            requestMediaType: "text/csv"),
        APIOperation(
            method: .post, path: "/api/v1/units/{unit}/ledger/complete",
            summary: "确认某季度台账已记全（部分记账结束），此后该季度考核表据台账建议扣分；重复确认无妨 (mark a quarter's ledger complete)",
            tag: "ledger", requiresAuth: true, requestSchema: "LedgerComplete",
            responses: [
                ("200", "已确认", nil), ("400", "请求体无法解析", "Error"), ("401", "未登录", "Error"),
                ("403", "不是该组织的书记或小组长", "Error"), ("404", "组织不存在", "Error"),
                ("422", "quarter 不对或尚未开始", "Error"),
            ]),
        APIOperation(
            method: .get, path: "/api/v1/units/{unit}/dues",
            summary: "党费：?year= 某年已登记的各月（默认今年），每人交纳金额、应交、日期、《党费证》签字和该月上交总支日期 (the branch's dues)",
            tag: "ledger", requiresAuth: true, requestSchema: nil,
            responses: [
                ("200", "各月党费", "DuesList"), ("401", "未登录", "Error"), ("403", "在该组织及其上级组织均无角色", "Error"),
                ("404", "组织不存在", "Error"), ("422", "year 不对", "Error"),
            ]),
        APIOperation(
            method: .put, path: "/api/v1/units/{unit}/dues/{month}",
            summary:
                "登记某月（2026-09）党费，整月替换；未交、未足额、未签字和晚于细则日期上交的，在考核表上建议扣分（细则 2.8）；带 version 时过期的保存返回 409 (record a month's dues)",
            tag: "ledger", requiresAuth: true, requestSchema: "DuesMonthInput",
            responses: [
                ("200", "已保存", "DuesMonth"), ("400", "请求体无法解析", "Error"), ("401", "未登录", "Error"),
                ("403", "不是该支部书记", "Error"), ("404", "组织不存在", "Error"), ("409", "该月已被他人修改", "Error"),
                ("422", "月份、党员、金额或日期不对，指明字段和行", "Error"),
            ]),
        APIOperation(
            method: .get, path: "/api/v1/units/{unit}/documents",
            summary: "计划与总结（细则 2.3）：?year= 某年已上报的工作计划、学习教育计划、党员发展计划、“凝聚力”工程计划和工作总结 (the unit's plans and summary)",
            tag: "ledger", requiresAuth: true, requestSchema: nil,
            responses: [
                ("200", "已上报的", "DocumentList"), ("401", "未登录", "Error"), ("403", "在该组织及其上级组织均无角色", "Error"),
                ("404", "组织不存在", "Error"), ("422", "year 不对", "Error"),
            ]),
        APIOperation(
            method: .post, path: "/api/v1/units/{unit}/documents",
            summary: "登记上报一份计划或总结；过了细则规定日期仍未上报、或晚于该日上报的，在考核表上建议扣分 (record a plan or summary)",
            tag: "ledger", requiresAuth: true, requestSchema: "NewDocument",
            responses: [
                ("201", "已登记", "Document"), ("400", "请求体无法解析", "Error"), ("401", "未登录", "Error"),
                ("403", "不是该组织的书记或小组长", "Error"), ("404", "组织不存在", "Error"), ("409", "该年已登记同类", "Error"),
                ("422", "类别、年份、日期或标题不对，指明字段", "Error"),
            ]),
        APIOperation(
            method: .post, path: "/api/v1/units/{unit}/documents/{document}/file",
            summary: "附上计划或总结的原件（multipart，字段 file；类型和大小同考核依据），再传则更换 (attach the document itself)",
            tag: "ledger", requiresAuth: true, requestSchema: "DocumentFile",
            responses: [
                ("200", "已附上", "Document"), ("401", "未登录", "Error"), ("403", "不是该组织的书记或小组长", "Error"),
                ("404", "没有这份计划或总结", "Error"), ("413", "文件太大", "Error"), ("422", "文件类型、大小或内容不对", "Error"),
            ],
            requestMediaType: "multipart/form-data"),
        APIOperation(
            method: .get, path: "/api/v1/units/{unit}/documents/{document}/file",
            summary: "下载计划或总结的原件 (the attached document)",
            tag: "ledger", requiresAuth: true, requestSchema: nil,
            responses: [
                ("200", "文件", "Binary"), ("401", "未登录", "Error"), ("403", "在该组织及其上级组织均无角色", "Error"),
                ("404", "没有这份计划或总结，或未附原件", "Error"),
            ],
            successMediaType: "application/octet-stream"),
        APIOperation(
            method: .post, path: "/api/v1/units/{unit}/dues/import",
            summary:
                "导入以往的党费：CSV（UTF-8 或 GBK），表头 month,member,amount,paidOn（可加 due,signed,handedOverOn），每人每月一行；已登记的月份不覆盖；逐行检查，有一行不对则全部不导入 (import past dues)",
            tag: "ledger", requiresAuth: true, requestSchema: "LedgerCSV",
            responses: [
                ("200", "已导入（行数）", "LedgerImported"), ("401", "未登录", "Error"), ("403", "不是该支部书记", "Error"),
                ("404", "组织不存在", "Error"), ("413", "文件太大", "Error"), ("422", "逐行列出问题，未导入任何一行", "ImportProblems"),
            ],
            requestMediaType: "text/csv"),
        APIOperation(
            method: .post, path: "/api/v1/units/{unit}/documents/import",
            summary:
                "导入以往的计划与总结：CSV（UTF-8 或 GBK），表头 kind,year,submittedOn（可加 title），类别可写代码或中文名；每年每类一份；逐行检查，有一行不对则全部不导入 (import past plans)",
            tag: "ledger", requiresAuth: true, requestSchema: "LedgerCSV",
            responses: [
                ("200", "已导入", "LedgerImported"), ("401", "未登录", "Error"), ("403", "不是该组织的书记或小组长", "Error"),
                ("404", "组织不存在", "Error"), ("413", "文件太大", "Error"), ("422", "逐行列出问题，未导入任何一行", "ImportProblems"),
            ],
            requestMediaType: "text/csv"),
        APIOperation(
            method: .get, path: "/api/v1/compliance",
            summary:
                "台账对照：?period=2026Q3（默认最近的考核期），各支部、党小组每项要求按其时段（week/month/quarter/half/year）统计到该季度末；?limit=&offset= 分页（只读该页各单位的台账），&unit= 只看一个 (the ledger against the rubrics, bureau-wide)",
            tag: "ledger", requiresAuth: true, requestSchema: nil,
            responses: [
                ("200", "每个组织的各项要求", "Compliance"), ("401", "未登录", "Error"), ("403", "不是党总支角色", "Error"),
                ("404", "没有该考核期", "Error"), ("422", "period 不对", "Error"),
            ]),
        APIOperation(
            method: .get, path: "/api/v1/compliance.csv", summary: "台账对照 CSV（UTF-8 带 BOM）",
            tag: "ledger", requiresAuth: true, requestSchema: nil,
            responses: [
                ("200", "CSV", "Binary"), ("401", "未登录", "Error"), ("403", "不是党总支角色", "Error"),
                ("404", "没有该考核期", "Error"), ("422", "period 不对", "Error"),
            ],
            successMediaType: "text/csv"),
        APIOperation(
            method: .get, path: "/api/v1/compliance.xlsx", summary: "台账对照 XLSX",
            tag: "ledger", requiresAuth: true, requestSchema: nil,
            responses: [
                ("200", "XLSX", "Binary"), ("401", "未登录", "Error"), ("403", "不是党总支角色", "Error"),
                ("404", "没有该考核期", "Error"), ("422", "period 不对", "Error"),
            ],
            successMediaType: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
        APIOperation(
            method: .get, path: "/api/v1/settings/ledger",
            summary: "台账启用日：startsOn（未设置为 null）与全部计入的首日 countedFrom (the ledger's start date)",
            tag: "ledger", requiresAuth: true, requestSchema: nil,
            responses: [("200", "台账启用日", "LedgerStart"), ("401", "未登录", "Error")]),
        APIOperation(
            method: .put, path: "/api/v1/settings/ledger",
            summary:
                "设置台账启用日（组织委员）：此后各支部、党小组无论是否记录均计入考核，部分记账只留给启用日所在季度；startsOn 为 null 即取消 (set the ledger's start date)",
            tag: "ledger", requiresAuth: true, requestSchema: "LedgerStartInput",
            responses: [
                ("200", "台账启用日", "LedgerStart"), ("401", "未登录", "Error"), ("403", "不是组织委员", "Error"),
                ("422", "startsOn 缺少、无法识别或超出 2000 年至明年", "Error"),
            ]),
    ]

    private static let activityTypes: JSONValue = .array(ActivityType.allCases.map { .string($0.rawValue) })

    static let ledgerSchemas: [(String, JSONValue)] = [
        (
            "NewActivity",
            object(
                [
                    "type": ["type": "string", "enum": activityTypes], "date": ["type": "string", "format": "date"],
                    "topic": ["type": "string", "maxLength": 200],
                    "group": [
                        "type": "string", "maxLength": 64,
                        "description": "支部台账上党小组会（或党小组的组织活动）所属党小组的代码；党小组会必填，只计入该党小组",
                    ],
                    "attendees": people, "absent": people, "excused": people,
                ],
                required: ["type", "date", "topic"])
        ),
        (
            "LedgerComplete",
            object(["quarter": ["type": "string", "pattern": "^[0-9]{4}Q[1-4]$"]], required: ["quarter"])
        ),
        ("LedgerCSV", ["type": "string"]),
        (
            "LedgerStartInput",
            object(["startsOn": ["type": "string", "format": "date", "nullable": true]], required: ["startsOn"])
        ),
        (
            "LedgerStart",
            object(
                [
                    "startsOn": ["type": "string", "format": "date", "nullable": true],
                    "countedFrom": ["type": "string", "format": "date", "nullable": true],
                ],
                required: [])
        ),
        ("LedgerImported", object(["imported": ["type": "integer"]], required: ["imported"])),
        (
            "ImportProblems",
            object(
                [
                    "problems": [
                        "type": "array",
                        "items": object(
                            ["row": ["type": "integer"], "field": ["type": "string"], "message": ["type": "string"]],
                            required: ["row", "field", "message"]),
                    ]
                ],
                required: ["problems"])
        ),
        (
            "Compliance",
            [
                "type": "array",
                "items": object(
                    [
                        "unit": ["type": "string"], "name": ["type": "string"],
                        "kind": ["type": "string", "enum": ["branch", "group"]],
                        "partial": ["type": "boolean"],
                        "requirements": [
                            "type": "array",
                            "items": object(
                                [
                                    "activity": ["type": "string", "enum": activityTypes], "label": ["type": "string"],
                                    "rule": ["type": "string"],
                                    "span": [
                                        "type": "string",
                                        "enum": .array(LedgerSpan.allCases.map { .string($0.rawValue) }),
                                    ],
                                    "group": ["type": "string", "nullable": true],
                                    "from": ["type": "string", "format": "date"],
                                    "to": ["type": "string", "format": "date"], "needed": ["type": "integer"],
                                    "recorded": ["type": "integer"], "short": ["type": "integer"],
                                    "ended": ["type": "boolean"],
                                    "behind": ["type": "boolean"], "missing": ["type": "integer"],
                                ],
                                required: [
                                    "activity", "label", "rule", "span", "from", "to", "needed", "recorded", "short",
                                    "ended",
                                    "behind", "missing",
                                ]),
                        ],
                    ],
                    required: ["unit", "name", "kind", "partial", "requirements"]),
            ]
        ),
        (
            "DuesMonthInput",
            object(
                [
                    "payments": [
                        "type": "array",
                        "items": object(
                            [
                                "member": ["type": "string"], "amount": amount, "due": amount,
                                "paidOn": ["type": "string", "format": "date"], "signed": ["type": "boolean"],
                            ],
                            required: ["member", "amount"]),
                    ],
                    "handedOverOn": ["type": "string", "format": "date"], "version": ["type": "integer"],
                ],
                required: [])
        ),
        ("DuesMonth", duesMonth),
        ("DuesList", ["type": "array", "items": duesMonth]),
        (
            "NewDocument",
            object(
                [
                    "kind": ["type": "string", "enum": documentKinds], "year": ["type": "integer"],
                    "submittedOn": ["type": "string", "format": "date"], "title": ["type": "string", "maxLength": 200],
                ],
                required: ["kind", "year", "submittedOn"])
        ),
        ("Document", document),
        ("DocumentFile", object(["file": ["type": "string", "format": "binary"]], required: ["file"])),
        ("DocumentList", ["type": "array", "items": document]),
        ("Activity", activity),
        ("ActivityList", ["type": "array", "items": activity]),
    ]

    private static let activity = object(
        [
            "id": ["type": "string", "format": "uuid"], "unit": ["type": "string"],
            "type": ["type": "string", "enum": activityTypes], "date": ["type": "string", "format": "date"],
            "topic": ["type": "string"], "group": ["type": "string", "nullable": true], "attendees": people,
            "absent": people, "excused": people,
            "createdBy": ["type": "string"],
        ],
        required: ["id", "unit", "type", "date", "topic", "attendees", "absent", "excused", "createdBy"])

    private static let documentKinds: JSONValue = .array(DocumentKind.allCases.map { .string($0.rawValue) })

    private static let document = object(
        [
            "id": ["type": "string", "format": "uuid"], "kind": ["type": "string", "enum": documentKinds],
            "year": ["type": "integer"], "submittedOn": ["type": "string", "format": "date"],
            "title": ["type": "string"],
            "file": ["type": "string", "nullable": true], "fileSize": ["type": "integer", "nullable": true],
        ],
        required: ["id", "kind", "year", "submittedOn", "title"])

    /// An amount in 元, as a number or text (`"50.00"`), at most two decimals.
    private static let amount: JSONValue = ["oneOf": [["type": "number"], ["type": "string"]]]

    private static let duesMonth = object(
        [
            "month": ["type": "string"], "handedOverOn": ["type": "string", "format": "date", "nullable": true],
            "version": ["type": "integer"],
            "payments": [
                "type": "array",
                "items": object(
                    [
                        "member": ["type": "string"], "amount": ["type": "string"],
                        "due": ["type": "string", "nullable": true],
                        "paidOn": ["type": "string", "format": "date", "nullable": true], "signed": ["type": "boolean"],
                    ],
                    required: ["member", "amount", "signed"]),
            ],
        ],
        required: ["month", "version", "payments"])

    /// Member codes of the unit or its groups (`GET /api/v1/units/{unit}/members`).
    private static let people: JSONValue = ["type": "array", "items": ["type": "string"], "maxItems": 1000]
}
