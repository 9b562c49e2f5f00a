/// The organisation over time (contracts/api.md, "The organisation over time").
extension KaoheAPI {
    static let orgOperations: [APIOperation] = [
        APIOperation(
            method: .post, path: "/api/v1/units",
            summary: "新增组织或党员，自 from 起计算；党员带 transferredFrom 为转入 (add a unit or member from a date)",
            tag: "org", requiresAuth: true, requestSchema: "NewUnit",
            responses: [
                ("201", "已新增", "Unit"), ("400", "请求体无法解析", "Error"), ("401", "未登录", "Error"),
                ("403", "不是系统管理员或组织委员", "Error"),
                ("422", "指明字段：code（格式或已存在）、name、kind、parent、from、transferredFrom、joinedOn", "Error"),
            ]),
        APIOperation(
            method: .post, path: "/api/v1/units/{unit}/membership",
            summary: "党员组织关系变动：调整党小组、转出、去世或除名，自 date 起生效；不删除任何记录 (a member's move, transfer out or removal)",
            tag: "org", requiresAuth: true, requestSchema: "MembershipChange",
            responses: [
                ("200", "该党员的组织关系历史", "UnitHistory"), ("400", "请求体无法解析", "Error"), ("401", "未登录", "Error"),
                ("403", "不是系统管理员或组织委员", "Error"), ("404", "党员不存在", "Error"),
                ("409", "已离开本组织，或该日之后已有变动", "Error"),
                ("422", "指明字段：action、to（本人所在或不是党小组）、date（入党之前或晚于今天）、destination、reason", "Error"),
            ]),
        APIOperation(
            method: .patch, path: "/api/v1/units/{unit}",
            summary: "组织更名，或党小组调整所属党支部，自 date 起生效；已公布的考核期保留公布时的名称 (rename or move a group from a date)",
            tag: "org", requiresAuth: true, requestSchema: "UnitChange",
            responses: [
                ("200", "变动后的组织", "Unit"), ("400", "请求体无法解析", "Error"), ("401", "未登录", "Error"),
                ("403", "不是系统管理员或组织委员", "Error"), ("404", "组织不存在", "Error"),
                ("409", "已撤销，或该日之后已有变动", "Error"),
                ("422", "指明字段：name、parent（只有党小组可调整，须为现存的另一党支部）、date、reason", "Error"),
            ]),
        APIOperation(
            method: .delete, path: "/api/v1/units/{unit}",
            summary: "撤销组织，自 date 起（其党员或党小组须先调出，历史保留）；误建且从未使用的组织直接删除 (retire a unit, or remove one never used)",
            tag: "org", requiresAuth: true, requestSchema: nil,
            responses: [
                ("204", "已撤销或已删除", nil), ("401", "未登录", "Error"), ("403", "不是系统管理员或组织委员", "Error"),
                ("404", "组织不存在", "Error"), ("409", "尚有党员或党小组、已撤销，或是党员（请办理转出或除名）", "Error"),
                ("422", "指明字段：date（缺失、晚于今天或早于最后调出之日）、reason", "Error"),
            ]),
        APIOperation(
            method: .get, path: "/api/v1/search",
            summary: "按姓名、名称或代码查找党员、组织（系统管理员还可查找用户），只返回调用者有权查看的 (find members, units and users)",
            tag: "org", requiresAuth: true, requestSchema: nil,
            responses: [
                ("200", "找到的党员、组织和用户", "SearchHits"), ("401", "未登录", "Error"),
                ("422", "q 为空或超过 100 字", "Error"),
            ]),
        APIOperation(
            method: .get, path: "/api/v1/units/{unit}/history",
            summary: "组织的历史：名称、党员的组织关系、任职 (a unit's names, memberships and offices)",
            tag: "org", requiresAuth: true, requestSchema: nil,
            responses: [
                ("200", "历史", "UnitHistory"), ("401", "未登录", "Error"),
                ("403", "在该组织及其上级组织均无角色", "Error"), ("404", "组织不存在", "Error"),
            ]),
    ]

    static let orgSchemas: [(String, JSONValue)] = [
        (
            "SearchHits",
            [
                "type": "array",
                "items": object(
                    [
                        "kind": ["type": "string", "enum": ["branch", "group", "member", "user"]],
                        "code": ["type": "string"], "name": ["type": "string"], "link": ["type": "string"],
                        "note": ["type": "string", "nullable": true, "description": "已撤销或已离开"],
                    ],
                    required: ["kind", "code", "name", "link"]),
            ]
        ),
        (
            "UnitChange",
            object(
                [
                    "name": ["type": "string", "maxLength": 100, "description": "新名称"],
                    "parent": ["type": "string", "maxLength": 64, "description": "党小组的新党支部"],
                    "date": ["type": "string", "format": "date", "description": "生效之日"],
                    "reason": ["type": "string", "maxLength": 200],
                ],
                required: ["date"])
        ),
        (
            "Unit",
            object(
                [
                    "code": ["type": "string"], "name": ["type": "string"],
                    "kind": ["type": "string", "enum": ["general", "branch", "group", "member"]],
                    "parent": ["type": "string", "nullable": true],
                ],
                required: ["code", "name", "kind", "parent"])
        ),
        (
            "NewUnit",
            object(
                [
                    "code": ["type": "string", "maxLength": 64], "name": ["type": "string", "maxLength": 100],
                    "kind": ["type": "string", "enum": ["branch", "group", "member"]],
                    "parent": ["type": "string", "maxLength": 64],
                    "from": ["type": "string", "format": "date", "description": "党员：进入党小组之日；组织：台账起算之日"],
                    "transferredFrom": ["type": "string", "maxLength": 200, "description": "转入党员的原所在组织"],
                    "position": ["type": "string", "maxLength": 50], "joinedOn": ["type": "string", "format": "date"],
                ],
                required: ["code", "name", "kind", "parent"])
        ),
        (
            "MembershipChange",
            object(
                [
                    "action": ["type": "string", "enum": ["move", "transferOut", "remove"]],
                    "to": ["type": "string", "maxLength": 64, "description": "move：调入的党小组代码"],
                    "date": ["type": "string", "format": "date", "description": "生效日：在新党小组或离开的第一天"],
                    "destination": ["type": "string", "maxLength": 200, "description": "transferOut：转往的组织"],
                    "reason": ["type": "string", "maxLength": 200, "description": "remove：去世、出党或除名"],
                ],
                required: ["action", "date"])
        ),
        (
            "UnitHistory",
            object(
                [
                    "names": [
                        "type": "array",
                        "items": object(
                            [
                                "name": ["type": "string"], "from": ["type": "string", "nullable": true],
                                "to": ["type": "string", "nullable": true],
                            ], required: ["name"]),
                    ],
                    "memberships": [
                        "type": "array",
                        "items": object(
                            [
                                "unit": ["type": "string"], "name": ["type": "string"],
                                "from": ["type": "string", "format": "date", "nullable": true],
                                "to": ["type": "string", "format": "date", "nullable": true],
                                "action": ["type": "string", "enum": ["founding", "transferIn", "move"]],
                                "ended": [
                                    "type": "string", "nullable": true, "enum": ["move", "transferOut", "remove"],
                                ],
                                "note": ["type": "string", "nullable": true],
                            ], required: ["unit", "name", "action"]),
                    ],
                    "offices": [
                        "type": "array",
                        "items": object(
                            [
                                "role": ["type": "string"], "user": ["type": "string"],
                                "from": ["type": "string", "nullable": true],
                                "to": ["type": "string", "nullable": true],
                            ], required: ["role", "user"]),
                    ],
                ],
                required: ["names", "memberships", "offices"])
        ),
    ]
}
