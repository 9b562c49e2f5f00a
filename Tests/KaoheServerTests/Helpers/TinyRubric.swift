/// The worked example's rubric (shared/examples/tiny-rubric.yaml) with a comment to prove edits keep it.
let tinyRubricYAML = """
    id: tiny
    version: "1"
    title: 示例细则
    level: branch
    maxScore: 10
    grades:
      - { key: excellent,   label: 优秀,     min: 9 }
      - { key: qualified,   label: 合格,     min: 7 }
      - { key: basic,       label: 基本合格, min: 6 }
      - { key: unqualified, label: 不合格,   min: 0 }
    categories:
      - id: "1"
        title: 组织建设
        items:
          - id: "1.1"
            text: 按期召开支委会
            base: 4   # default
            rules:
              - { id: "1.1.a", type: deduct, text: 少一次扣1分, points: 1, unit: each }
              - { id: "1.1.b", type: bonus, text: 视情加1-2分, points: [1, 2], unit: once }
      - id: "2"
        title: 作风建设
        items:
          - id: "2.1"
            text: 遵守劳动纪律
            base: 6
            rules:
              - { id: "2.1.a", type: deduct, text: 扣2-3分, points: [2, 3], unit: once }
    vetoes:
      - { id: V1, text: 违法违纪受处分 }
    penalty:
      multiplier: 1.3
      reference: 9
      rate: 0.5
      grades: [basic, unqualified]
      generalSecretaryShare: 0.6
      deputySecretaryShare: 0.4
    """
