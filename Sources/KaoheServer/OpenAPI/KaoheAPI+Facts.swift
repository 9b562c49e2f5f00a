/// 年度评议与测评: the yearly facts the 细则 counts (api.md "The organisation over time").
extension KaoheAPI {
    static let factsOperations: [APIOperation] = [
        APIOperation(
            method: .get, path: "/api/v1/units/{unit}/facts/{year}",
            summary: "党支部或党小组某年的满意率、内审发现及在册党员的民主评议、部门考核结果 (a unit's yearly facts)",
            tag: "ledger", requiresAuth: true, requestSchema: nil,
            responses: [
                ("200", "年度评议与测评", "YearFacts"), ("401", "未登录", "Error"), ("403", "不是本组织或上级组织的角色", "Error"),
                ("404", "没有该组织", "Error"), ("422", "year 不是年份", "Error"),
            ]),
        APIOperation(
            method: .put, path: "/api/v1/units/{unit}/facts/{year}",
            summary: "登记满意率和党员的民主评议、部门考核结果：给出的保存，null 清除，未给出的不变；全部无误才保存 (record yearly facts)",
            tag: "ledger", requiresAuth: true, requestSchema: "YearFactsChanges",
            responses: [
                ("200", "年度评议与测评", "YearFacts"), ("400", "请求体无法解析", "Error"), ("401", "未登录", "Error"),
                ("403", "不登记这一项（部门考核由组织委员登记）", "Error"), ("404", "没有该组织", "Error"),
                ("422", "不是党支部或党小组、年份未到、党员不在册、结果或满意率不对，指明字段", "Error"),
            ]),
        APIOperation(
            method: .post, path: "/api/v1/units/{unit}/facts/{year}/findings",
            summary: "组织委员登记党支部的一条内审发现（观察项、不符合项、严重不符合项）(record an internal-audit finding)",
            tag: "ledger", requiresAuth: true, requestSchema: "NewFinding",
            responses: [
                ("201", "已登记", "Finding"), ("400", "请求体无法解析", "Error"), ("401", "未登录", "Error"),
                ("403", "不是组织委员", "Error"), ("404", "没有该组织", "Error"),
                ("422", "不是党支部、类别或日期不对，指明字段", "Error"),
            ]),
        APIOperation(
            method: .delete, path: "/api/v1/units/{unit}/facts/{year}/findings/{id}",
            summary: "删除误登的内审发现，记入审计日志 (remove a finding recorded by mistake)",
            tag: "ledger", requiresAuth: true, requestSchema: nil,
            responses: [
                ("204", "已删除", nil), ("401", "未登录", "Error"), ("403", "不是组织委员", "Error"),
                ("404", "没有这条内审发现", "Error"), ("422", "year 不是年份", "Error"),
            ]),
    ]

    static var factsSchemas: [(String, JSONValue)] {
        let finding = object(
            [
                "id": ["type": "string", "format": "uuid"], "day": ["type": "string", "format": "date"],
                "kind": ["type": "string", "enum": ["observation", "nonconformity", "major"]],
                "kindLabel": ["type": "string"], "note": ["type": "string", "nullable": true],
                "recordedBy": ["type": "string"],
            ],
            required: ["id", "day", "kind", "kindLabel", "recordedBy"])
        let result: JSONValue = ["type": "string", "nullable": true, "description": "未登记为 null"]
        return [
            (
                "YearFacts",
                object(
                    [
                        "unit": ["type": "string"], "unitName": ["type": "string"], "year": ["type": "integer"],
                        "satisfaction": [
                            "type": "object", "nullable": true,
                            "properties": [
                                "rate": ["type": "string"], "day": ["type": "string", "nullable": true],
                                "note": ["type": "string", "nullable": true],
                            ],
                            "required": ["rate"],
                        ],
                        "findings": ["type": "array", "items": finding],
                        "members": [
                            "type": "array",
                            "items": object(
                                [
                                    "member": ["type": "string"], "name": ["type": "string"],
                                    "until": ["type": "string", "nullable": true], "appraisal": result,
                                    "review": result, "midLevel": ["type": "boolean"],
                                    "leadership": ["type": "boolean"],
                                ], required: ["member", "name", "midLevel", "leadership"]),
                        ],
                    ],
                    required: ["unit", "unitName", "year", "findings", "members"])
            ),
            (
                "YearFactsChanges",
                object(
                    [
                        "satisfaction": [
                            "type": "object", "nullable": true, "description": "null 清除",
                            "properties": [
                                "rate": ["type": "string", "maxLength": 16, "description": "0–100，至多两位小数"],
                                "day": ["type": "string", "format": "date"],
                                "note": ["type": "string", "maxLength": 500],
                            ],
                            "required": ["rate"],
                        ],
                        "appraisals": [
                            "type": "object", "description": "党员代码 → excellent | qualified | basic | failed，null 清除",
                            "additionalProperties": [
                                "type": "string", "enum": ["excellent", "qualified", "basic", "failed"],
                            ],
                        ],
                        "reviews": [
                            "type": "object", "description": "党员代码 → excellent | competent | basic | failed，null 清除",
                            "additionalProperties": [
                                "type": "string", "enum": ["excellent", "competent", "basic", "failed"],
                            ],
                        ],
                    ], required: [])
            ),
            (
                "NewFinding",
                object(
                    [
                        "day": ["type": "string", "format": "date"],
                        "kind": ["type": "string", "enum": ["observation", "nonconformity", "major"]],
                        "note": ["type": "string", "maxLength": 500],
                    ], required: ["day", "kind"])
            ),
            ("Finding", finding),
        ]
    }
}
