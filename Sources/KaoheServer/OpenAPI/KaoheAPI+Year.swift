/// 办法 七: 扣奖, vetoes, the yearly selection (contracts/api.md, "The year").
extension KaoheAPI {
    static let yearOperations: [APIOperation] = [
        APIOperation(
            method: .put, path: "/api/v1/periods/{period}/penalties/bases",
            summary: "组织委员录入各支部书记行政考核基数奖金（≥0，最多两位小数），全部无误才保存 (set the secretaries' base bonuses)",
            tag: "year", requiresAuth: true, requestSchema: "PenaltyBases",
            responses: [
                ("200", "扣奖表", "Penalties"), ("400", "请求体无法解析", "Error"), ("401", "未登录", "Error"),
                ("403", "不是组织委员", "Error"), ("404", "没有该考核期", "Error"),
                ("422", "组织不是本期党支部、金额为负或不是数字，指明 bases[i]", "Error"),
            ]),
        APIOperation(
            method: .get, path: "/api/v1/periods/{period}/penalties",
            summary: "扣奖表：各支部书记扣奖（公式代入本支部数字）及党总支扣奖的分担 (the quarter's penalties)",
            tag: "year", requiresAuth: true, requestSchema: nil,
            responses: [
                ("200", "扣奖表", "Penalties"), ("401", "未登录", "Error"), ("403", "不是党总支角色", "Error"),
                ("404", "没有该考核期", "Error"), ("409", "尚未公布", "Error"),
            ]),
        APIOperation(
            method: .get, path: "/api/v1/periods/{period}/penalties.csv", summary: "扣奖表 CSV（UTF-8 带 BOM），供财务",
            tag: "year", requiresAuth: true, requestSchema: nil,
            responses: [
                ("200", "CSV", "Binary"), ("401", "未登录", "Error"), ("403", "不是党总支角色", "Error"),
                ("404", "没有该考核期", "Error"), ("409", "尚未公布", "Error"),
            ],
            successMediaType: "text/csv"),
        APIOperation(
            method: .get, path: "/api/v1/periods/{period}/penalties.xlsx", summary: "扣奖表 XLSX，供财务",
            tag: "year", requiresAuth: true, requestSchema: nil,
            responses: [
                ("200", "XLSX", "Binary"), ("401", "未登录", "Error"), ("403", "不是党总支角色", "Error"),
                ("404", "没有该考核期", "Error"), ("409", "尚未公布", "Error"),
            ],
            successMediaType: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
        APIOperation(
            method: .post, path: "/api/v1/units/{unit}/vetoes",
            summary: "记录一票否决：该组织及其上级至党支部取消当年评比资格 (record a veto)",
            tag: "year", requiresAuth: true, requestSchema: "NewVeto",
            responses: [
                ("201", "已记录", "Veto"), ("400", "请求体无法解析", "Error"), ("401", "未登录", "Error"),
                ("403", "不是组织委员或总支书记", "Error"), ("404", "没有该组织", "Error"),
                ("422", "事项不在细则所列之内、日期不对或未写事由，指明字段", "Error"),
            ]),
        APIOperation(
            method: .get, path: "/api/v1/units/{unit}/vetoes",
            summary: "该组织及其下属组织的一票否决记录（含已撤销），?year= 某年 (the vetoes on the unit and below it)",
            tag: "year", requiresAuth: true, requestSchema: nil,
            responses: [
                ("200", "记录", "VetoList"), ("401", "未登录", "Error"), ("403", "不是党总支角色或本支部书记", "Error"),
                ("404", "没有该组织", "Error"), ("422", "year 不是年份", "Error"),
            ]),
        APIOperation(
            method: .delete, path: "/api/v1/units/{unit}/vetoes/{id}",
            summary: "撤销一票否决，?reason= 写明理由；记录保留 (withdraw a veto, keeping the record)",
            tag: "year", requiresAuth: true, requestSchema: nil,
            responses: [
                ("204", "已撤销", nil), ("401", "未登录", "Error"), ("403", "不是组织委员或总支书记", "Error"),
                ("404", "没有这条记录", "Error"), ("409", "已撤销", "Error"), ("422", "未写理由", "Error"),
            ]),
    ]

    static let selectionOperations: [APIOperation] = [
        APIOperation(
            method: .put, path: "/api/v1/years/{year}/evaluations/self",
            summary: "自评：本单位书记（小组长、党员本人）为本单位评分 0–100 (a unit rates itself)",
            tag: "year", requiresAuth: true, requestSchema: "SelfEvaluation",
            responses: [
                ("200", "年度评选", "Selection"), ("400", "请求体无法解析", "Error"), ("401", "未登录", "Error"),
                ("403", "不是本单位的书记", "Error"), ("404", "没有这一年", "Error"), ("409", "已综合评定", "Error"),
                ("422", "分数不在 0–100 之间或组织不对，指明字段", "Error"),
            ]),
        APIOperation(
            method: .put, path: "/api/v1/years/{year}/evaluations/peer",
            summary: "互评：本单位为同级其他单位评分，不能评本单位 (a unit rates the others)",
            tag: "year", requiresAuth: true, requestSchema: "PeerEvaluation",
            responses: [
                ("200", "年度评选", "Selection"), ("400", "请求体无法解析", "Error"), ("401", "未登录", "Error"),
                ("403", "不是本单位的书记", "Error"), ("404", "没有这一年", "Error"), ("409", "已综合评定", "Error"),
                ("422", "评了本单位、评了非同级单位或分数不在 0–100 之间，指明 ratings.单位", "Error"),
            ]),
        APIOperation(
            method: .put, path: "/api/v1/years/{year}/evaluations/panel",
            summary: "考评：考核小组组长为各单位评分 0–100 (the panel rates)",
            tag: "year", requiresAuth: true, requestSchema: "PanelEvaluation",
            responses: [
                ("200", "年度评选", "Selection"), ("400", "请求体无法解析", "Error"), ("401", "未登录", "Error"),
                ("403", "不是考核小组组长", "Error"), ("404", "没有这一年", "Error"), ("409", "已综合评定", "Error"),
                ("422", "分数不在 0–100 之间，指明 ratings.单位", "Error"),
            ]),
        APIOperation(
            method: .get, path: "/api/v1/years/{year}/selection",
            summary: "年度评选：四个季度、自评、互评、考评、综合分与名次、一票否决、推荐与综合评定，?level=branch|group|member (the yearly selection)",
            tag: "year", requiresAuth: true, requestSchema: nil,
            responses: [
                ("200", "年度评选", "Selection"), ("401", "未登录", "Error"), ("403", "不是党总支角色", "Error"),
                ("404", "没有这一年", "Error"), ("422", "level 不对", "Error"),
            ]),
        APIOperation(
            method: .post, path: "/api/v1/years/{year}/decision",
            summary: "党总支综合评定：采纳推荐，或另选并写明理由 (the approver decides the awards)",
            tag: "year", requiresAuth: true, requestSchema: "AwardDecision",
            responses: [
                ("200", "年度评选及其综合评定", "Selection"), ("400", "请求体无法解析", "Error"), ("401", "未登录", "Error"),
                ("403", "不是总支书记", "Error"), ("404", "没有这一年", "Error"), ("409", "四个季度尚未全部公布", "Error"),
                ("422", "选了被否决的单位、数量不在细则规定之内，或与推荐不同而未写理由", "Error"),
            ]),
    ]

    private static let money: JSONValue = ["type": "number", "minimum": 0]
    private static let nullableNumber: JSONValue = ["type": "number", "nullable": true]
    private static let nullableString: JSONValue = ["type": "string", "nullable": true]

    private static let veto = object(
        [
            "id": ["type": "string", "format": "uuid"], "unit": ["type": "string"], "unitName": ["type": "string"],
            "veto": ["type": "string"], "vetoText": ["type": "string"], "year": ["type": "integer"],
            "date": ["type": "string", "format": "date"], "reason": ["type": "string"],
            "evidence": ["type": "array", "items": ["type": "string", "format": "uuid"]],
            "recordedBy": ["type": "string"],
            "withdrawn": ["type": "boolean"], "withdrawnReason": nullableString, "withdrawnBy": nullableString,
        ],
        required: ["id", "unit", "veto", "year", "date", "reason"])

    private static let rating: JSONValue = [
        "oneOf": [["type": "number", "minimum": 0, "maximum": 100], ["type": "string"]]
    ]
    private static let ratings: JSONValue = ["type": "object", "maxProperties": 2000, "additionalProperties": rating]

    static let yearSchemas: [(String, JSONValue)] = [
        ("SelfEvaluation", object(["unit": ["type": "string"], "score": rating], required: ["unit", "score"])),
        ("PeerEvaluation", object(["unit": ["type": "string"], "ratings": ratings], required: ["unit", "ratings"])),
        ("PanelEvaluation", object(["ratings": ratings], required: ["ratings"])),
        (
            "AwardDecision",
            object(
                [
                    "level": ["type": "string", "enum": ["branch", "group", "member"]],
                    "awards": ["type": "array", "maxItems": 1000, "items": ["type": "string"]],
                    "reason": ["type": "string", "maxLength": 4000],
                ],
                required: ["awards"])
        ),
        (
            "Selection",
            object(
                [
                    "year": ["type": "integer"], "level": ["type": "string"], "complete": ["type": "boolean"],
                    "missing": ["type": "array", "items": ["type": "string"]],
                    "units": [
                        "type": "array",
                        "items": object(
                            [
                                "unit": ["type": "string"], "name": ["type": "string"],
                                "quarters": ["type": "array", "items": nullableNumber, "minItems": 4, "maxItems": 4],
                                "yearly": nullableNumber, "bonus": ["type": "number"], "self": nullableNumber,
                                "peer": nullableNumber,
                                "panel": nullableNumber, "composite": nullableNumber,
                                "rank": ["type": "integer", "nullable": true],
                                "vetoed": ["type": "boolean"], "proposed": ["type": "boolean"],
                                "circle": [
                                    "type": "string", "nullable": true,
                                    "description": "推荐所在的党小组或党支部（细则 annual.awards.within），全级评比时为 null",
                                ],
                            ],
                            required: ["unit", "name", "quarters", "vetoed", "proposed"]),
                    ],
                    "decision": [
                        "type": "object", "nullable": true,
                        "properties": [
                            "awards": ["type": "array", "items": ["type": "string"]], "reason": nullableString,
                            "decidedBy": ["type": "string"], "decidedOn": ["type": "string"],
                        ],
                    ],
                    "awardsMin": ["type": "integer"], "awardsMax": ["type": "integer"],
                    "awardsWithin": [
                        "type": "string", "nullable": true, "enum": ["branch", "group"],
                        "description": "名额按每个党小组（党支部）计，null 为全级合计",
                    ],
                ],
                required: ["year", "level", "complete", "units"])
        ),
        (
            "NewVeto",
            object(
                [
                    "veto": ["type": "string", "maxLength": 8], "date": ["type": "string", "format": "date"],
                    "reason": ["type": "string", "maxLength": 4000],
                    "evidence": ["type": "array", "maxItems": 100, "items": ["type": "string", "format": "uuid"]],
                ],
                required: ["veto", "date", "reason"])
        ),
        ("Veto", veto),
        ("VetoList", ["type": "array", "items": veto]),
        (
            "PenaltyBases",
            object(
                [
                    "bases": [
                        "type": "array", "maxItems": 10000,
                        "items": object(
                            ["unit": ["type": "string"], "amount": ["oneOf": [money, ["type": "string"]]]],
                            required: ["unit", "amount"]),
                    ]
                ],
                required: ["bases"])
        ),
        (
            "Penalties",
            object(
                [
                    "period": ["type": "string"], "published": ["type": "boolean"],
                    "secretaries": [
                        "type": "array",
                        "items": object(
                            [
                                "unit": ["type": "string"], "name": ["type": "string"],
                                "person": [
                                    "type": "string", "nullable": true, "description": "该季度任支部书记（任职最久）者的姓名",
                                ],
                                "baseFrom": [
                                    "type": "string", "nullable": true, "description": "基数沿用自哪个考核期（同一书记、未改动）",
                                ],
                                "total": nullableNumber,
                                "grade": nullableString, "gradeLabel": nullableString, "baseBonus": money,
                                "penalty": money,
                                "formula": nullableString, "baseSetBy": nullableString, "baseSetAt": nullableString,
                            ],
                            required: ["unit", "name", "baseBonus", "penalty"]),
                    ],
                    "general": object(
                        [
                            "penalty": money, "generalSecretary": money, "deputySecretary": money,
                            "branches": ["type": "integer"], "generalSecretaryShare": ["type": "number"],
                            "deputySecretaryShare": ["type": "number"],
                            "generalSecretaryPerson": nullableString, "deputySecretaryPerson": nullableString,
                        ],
                        required: ["penalty", "generalSecretary", "deputySecretary", "branches"]),
                ],
                required: ["period", "secretaries", "general"])
        ),
    ]
}
