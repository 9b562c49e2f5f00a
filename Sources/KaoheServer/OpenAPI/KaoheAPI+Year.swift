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
            responses: [("200", "CSV", "Binary"), ("401", "未登录", "Error"), ("403", "不是党总支角色", "Error"),
                        ("404", "没有该考核期", "Error"), ("409", "尚未公布", "Error")],
            successMediaType: "text/csv"),
        APIOperation(
            method: .get, path: "/api/v1/periods/{period}/penalties.xlsx", summary: "扣奖表 XLSX，供财务",
            tag: "year", requiresAuth: true, requestSchema: nil,
            responses: [("200", "XLSX", "Binary"), ("401", "未登录", "Error"), ("403", "不是党总支角色", "Error"),
                        ("404", "没有该考核期", "Error"), ("409", "尚未公布", "Error")],
            successMediaType: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
    ]

    private static let money: JSONValue = ["type": "number", "minimum": 0]
    private static let nullableNumber: JSONValue = ["type": "number", "nullable": true]
    private static let nullableString: JSONValue = ["type": "string", "nullable": true]

    static let yearSchemas: [(String, JSONValue)] = [
        ("PenaltyBases", object(
            ["bases": ["type": "array", "maxItems": 10000, "items": object(
                ["unit": ["type": "string"], "amount": ["oneOf": [money, ["type": "string"]]]], required: ["unit", "amount"])]],
            required: ["bases"])),
        ("Penalties", object(
            [
                "period": ["type": "string"], "published": ["type": "boolean"],
                "secretaries": ["type": "array", "items": object(
                    [
                        "unit": ["type": "string"], "name": ["type": "string"], "total": nullableNumber,
                        "grade": nullableString, "gradeLabel": nullableString, "baseBonus": money, "penalty": money,
                        "formula": nullableString, "baseSetBy": nullableString, "baseSetAt": nullableString,
                    ],
                    required: ["unit", "name", "baseBonus", "penalty"])],
                "general": object(
                    [
                        "penalty": money, "generalSecretary": money, "deputySecretary": money,
                        "branches": ["type": "integer"], "generalSecretaryShare": ["type": "number"],
                        "deputySecretaryShare": ["type": "number"],
                    ],
                    required: ["penalty", "generalSecretary", "deputySecretary", "branches"]),
            ],
            required: ["period", "secretaries", "general"])),
    ]
}
