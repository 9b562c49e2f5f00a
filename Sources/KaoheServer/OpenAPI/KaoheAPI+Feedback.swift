/// The operations after the review: opinions, evidence, objections, publication and results.
extension KaoheAPI {
    private static let sheetPath = "/api/v1/periods/{period}/assessments/{unit}"

    static let feedbackOperations: [APIOperation] = [
        APIOperation(
            method: .post, path: sheetPath + "/opinions",
            summary: "考核小组逐项填写考核意见，空文本即删除 (the panel's opinion on one item)",
            tag: "review", requiresAuth: true, requestSchema: "Opinion",
            responses: [
                ("200", "考核表", "Sheet"), ("400", "请求体无法解析", "Error"), ("401", "未登录", "Error"),
                ("403", "不是该级考核小组", "Error"), ("404", "不存在或无权查看", "Error"),
                ("409", "不在考核中或版本已过期", "Error"), ("422", "没有该考核内容", "Error"),
            ]),
        APIOperation(
            method: .post, path: sheetPath + "/evidence",
            summary: "上传考核依据：文件及来源（办法 五），按 SHA-256 存储 (upload evidence)",
            tag: "review", requiresAuth: true, requestSchema: "EvidenceUpload",
            responses: [
                ("201", "已上传", "Evidence"), ("401", "未登录", "Error"), ("403", "无权上传", "Error"),
                ("404", "不存在或无权查看", "Error"), ("409", "状态不允许", "Error"), ("413", "请求体过大", "Error"),
                ("422", "类型不在允许之列、超过大小上限或来源不明", "Error"),
            ],
            requestMediaType: "multipart/form-data"),
        APIOperation(
            method: .get, path: sheetPath + "/evidence/{evidence}", summary: "下载考核依据，仅限可查看该考核表者 (download evidence)",
            tag: "review", requiresAuth: true, requestSchema: nil,
            responses: [("200", "文件", "Binary"), ("401", "未登录", "Error"), ("404", "不存在或无权查看", "Error")],
            successMediaType: "*/*"),  // the file as it was uploaded: PDF, image, Office, text
        APIOperation(
            method: .post, path: sheetPath + "/objection",
            summary: "公布后在申诉期内提出一次申诉 (file the one objection, inside the window)",
            tag: "feedback", requiresAuth: true, requestSchema: "NewObjection",
            responses: [
                ("201", "已申诉", "Objection"), ("400", "请求体无法解析", "Error"), ("401", "未登录", "Error"),
                ("403", "不是被考核单位", "Error"), ("404", "不存在", "Error"),
                ("409", "未公布、已申诉或申诉期已过", "Error"), ("422", "未写理由", "Error"),
            ]),
        APIOperation(
            method: .post, path: sheetPath + "/objection/{decision}",
            summary: "处理申诉：dismiss 驳回、uphold 受理并重新考核，须写明理由 (decide the objection)",
            tag: "feedback", requiresAuth: true, requestSchema: "Decision",
            responses: [
                ("200", "已处理", "Objection"), ("400", "请求体无法解析", "Error"), ("401", "未登录", "Error"),
                ("403", "角色不能处理", "Error"), ("404", "没有申诉", "Error"), ("409", "已处理", "Error"),
                ("422", "未写理由", "Error"),
            ]),
        APIOperation(
            method: .post, path: "/api/v1/periods/{period}/publish", summary: "公布考核期结果，须各支部均已审核确定 (publish; organizer)",
            tag: "results", requiresAuth: true, requestSchema: nil,
            responses: [
                ("200", "已公布", "Period"), ("401", "未登录", "Error"), ("403", "不是组织委员", "Error"),
                ("404", "考核期不存在", "Error"), ("409", "尚有考核表未审核确定", "Error"),
            ]),
        APIOperation(
            method: .get, path: "/api/v1/periods/{period}/results",
            summary: "党团园地：公布的考核结果及名次；?level=group|member 为报党总支备案的结果 (published results)",
            tag: "results", requiresAuth: true, requestSchema: nil,
            responses: [
                ("200", "结果", "Results"), ("401", "未登录", "Error"), ("404", "尚未公布", "Error"),
                ("422", "level 不对", "Error"),
            ]),
        APIOperation(
            method: .get, path: "/api/v1/periods/{period}/results.csv",
            summary: "考核结果 CSV（UTF-8 带 BOM，Excel、WPS 可直接打开）",
            tag: "results", requiresAuth: true, requestSchema: nil,
            responses: [("200", "CSV", "Binary"), ("401", "未登录", "Error"), ("404", "尚未公布", "Error")],
            successMediaType: "text/csv"),
        APIOperation(
            method: .get, path: "/api/v1/periods/{period}/results.xlsx", summary: "考核结果 XLSX",
            tag: "results", requiresAuth: true, requestSchema: nil,
            responses: [("200", "XLSX", "Binary"), ("401", "未登录", "Error"), ("404", "尚未公布", "Error")],
            successMediaType: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
    ]

    static let feedbackSchemas: [(String, JSONValue)] = [
        (
            "Opinion",
            object(
                [
                    "item": ["type": "string"], "text": ["type": "string", "maxLength": 2000],
                    "version": ["type": "integer"],
                ],
                required: ["item", "text", "version"])
        ),
        (
            "EvidenceUpload",
            object(
                [
                    "file": [
                        "type": "string", "format": "binary",
                        "description": .string(
                            "考核依据文件。默认上限 20 MB（KAOHE_EVIDENCE_MAX_MB），类型限 "
                                + Settings.EvidencePolicy.standardExtensions.sorted().joined(separator: "、")
                                + "（KAOHE_EVIDENCE_TYPES）；内容须与扩展名相符"),
                    ],
                    "source": [
                        "type": "string", "enum": .array(Evidence.Source.allCases.map { .string($0.rawValue) }),
                    ],
                ],
                required: ["file"])
        ),
        (
            "Evidence",
            object(
                [
                    "id": ["type": "string", "format": "uuid"], "name": ["type": "string"], "type": ["type": "string"],
                    "size": ["type": "integer"], "sha256": ["type": "string"], "source": ["type": "string"],
                    "sourceLabel": ["type": "string"], "entry": ["type": "string", "nullable": true],
                    "objection": ["type": "string", "nullable": true], "uploadedBy": ["type": "string"],
                ],
                required: ["id", "name", "type", "size", "sha256", "source"])
        ),
        (
            "NewObjection",
            object(
                [
                    "reason": ["type": "string", "minLength": 1],
                    "evidence": ["type": "array", "items": ["type": "string", "format": "uuid"]],
                ],
                required: ["reason"])
        ),
        ("Decision", object(["reason": ["type": "string", "minLength": 1]], required: ["reason"])),
        (
            "Objection",
            object(
                [
                    "id": ["type": "string", "format": "uuid"],
                    "state": ["type": "string", "enum": ["open", "dismissed", "upheld"]],
                    "reason": ["type": "string"], "filedBy": ["type": "string"],
                    "decidedBy": ["type": "string", "nullable": true],
                    "decision": ["type": "string", "nullable": true],
                ],
                required: ["id", "state", "reason", "filedBy"])
        ),
        (
            "Results",
            [
                "type": "array",
                "items": object(
                    [
                        "unit": ["type": "string"], "name": ["type": "string"], "total": ["type": "number"],
                        "bonus": ["type": "number"],
                        "grade": ["type": "string"], "gradeLabel": ["type": "string"], "rank": ["type": "integer"],
                        "vetoed": ["type": "boolean"], "categories": ["type": "array", "items": ["type": "object"]],
                    ],
                    required: ["unit", "total", "bonus", "grade", "gradeLabel", "rank", "categories"]),
            ]
        ),
        ("Binary", ["type": "string", "format": "binary"]),
    ]
}
