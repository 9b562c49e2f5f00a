/// The papers as Word documents and the letterhead on them (contracts/api.md, "Office-ready").
extension KaoheAPI {
    private static let word = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"

    private static func paper(_ path: String, _ summary: String, refusals: [(String, String, String?)]) -> APIOperation
    {
        APIOperation(
            method: .get, path: path, summary: summary, tag: "papers", requiresAuth: true, requestSchema: nil,
            responses: [("200", "Word 文档（Office Open XML），中文文件名", "Binary"), ("401", "未登录", "Error")] + refusals,
            successMediaType: word)
    }

    static let papersOperations: [APIOperation] = [
        APIOperation(
            method: .get, path: "/api/v1/settings/letterhead", summary: "发文机关全称与发文字号样式 (the letterhead)",
            tag: "papers", requiresAuth: true, requestSchema: nil,
            responses: [("200", "当前设置", "Letterhead"), ("401", "未登录", "Error")]),
        APIOperation(
            method: .put, path: "/api/v1/settings/letterhead",
            summary: "系统管理员设置发文机关全称与发文字号样式（{年}{季}{号}），印在每份公文上 (set the letterhead)",
            tag: "papers", requiresAuth: true, requestSchema: "Letterhead",
            responses: [
                ("200", "已保存", "Letterhead"), ("400", "请求体无法解析", "Error"), ("401", "未登录", "Error"),
                ("403", "不是系统管理员", "Error"), ("422", "未填写、过长或含换行，指明字段", "Error"),
            ]),
        paper(
            "/api/v1/periods/{period}/results/notice.docx", "考核结果公示（GB/T 9704 公文格式）",
            refusals: [("404", "没有该考核期或尚未公布", "Error")]),
        paper(
            "/api/v1/periods/{period}/penalties.docx", "扣奖明细表：逐人列出支部书记、总支书记、副书记的扣奖，供财务",
            refusals: [
                ("403", "不是党总支角色", "Error"), ("404", "没有该考核期", "Error"), ("409", "尚未公布", "Error"),
            ]),
        paper(
            "/api/v1/periods/{period}/assessments/{unit}/document.docx",
            "自查表/考核表：各项得分、扣分加分记录、考核意见、流转记录和签字栏",
            refusals: [("404", "没有该考核表或无权查看", "Error")]),
        paper(
            "/api/v1/years/{year}/certificates/{certificate}",
            "荣誉证书，certificate 写作 {组织代码}.docx (the certificate of an awarded unit)",
            refusals: [("404", "该组织当年未获评先进", "Error")]),
        paper(
            "/api/v1/years/{year}/certificates.docx", "当年全部荣誉证书，每张一页",
            refusals: [("403", "不是党总支角色", "Error"), ("404", "当年尚未综合评定", "Error")]),
        paper(
            "/api/v1/years/{year}/selection.docx", "年度评选结果通报",
            refusals: [("404", "当年尚未综合评定", "Error")]),
    ]

    static let bulkOperations: [APIOperation] = [
        APIOperation(
            method: .post, path: "/api/v1/periods/{period}/assessments/actions/{action}",
            summary:
                "批量流转：对所列每份考核表执行同一操作（file 为党小组、党员考核表一次办完转交、考核完毕、审核确定、备案），逐份返回结果，过期或无权的逐份拒绝 (one step on many sheets)",
            tag: "assessment", requiresAuth: true, requestSchema: "BulkAction",
            responses: [
                ("200", "每份考核表一个结果", "BulkOutcomes"), ("400", "请求体无法解析", "Error"), ("401", "未登录", "Error"),
                ("404", "没有该考核期或该操作", "Error"), ("422", "未列考核表、超过 500 份或重复，指明字段", "Error"),
            ])
    ]

    static let papersSchemas: [(String, JSONValue)] = [
        (
            "BulkAction",
            object(
                [
                    "sheets": [
                        "type": "array", "maxItems": 500,
                        "items": object(
                            ["unit": ["type": "string"], "version": ["type": "integer"]], required: ["unit", "version"]),
                    ],
                    "reason": ["type": "string", "maxLength": 4000],
                    "opinion": ["type": "string", "maxLength": 4000],
                ],
                required: ["sheets"])
        ),
        (
            "BulkOutcomes",
            [
                "type": "array",
                "items": object(
                    [
                        "unit": ["type": "string"], "status": ["type": "integer"],
                        "state": ["type": "string", "nullable": true], "reason": ["type": "string", "nullable": true],
                    ],
                    required: ["unit", "status", "state", "reason"]),
            ]
        ),
        (
            "Letterhead",
            object(
                [
                    "issuer": ["type": "string", "minLength": 1, "maxLength": 60],
                    "docNumber": ["type": "string", "maxLength": 60],
                ],
                required: ["issuer", "docNumber"])
        ),
    ]
}
