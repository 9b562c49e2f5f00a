import Testing

@testable import KaoheCore

/// 办法 四 考核程序, one test per step.
@Suite struct WorkflowTests {
    @Test func 四一_theBranchReportsItsSelfAssessment() throws {
        #expect(try Workflow.apply(.submit, to: .draft) == .submitted)
    }

    @Test func 四二_theOrganizerHandsTheMaterialToThePanel() throws {
        #expect(try Workflow.apply(.forward, to: .submitted) == .underReview)
    }

    @Test func 四二_thePanelReviewsItemByItemAndItsLeaderCloses() throws {
        #expect(try Workflow.apply(.review, to: .underReview) == .reviewed)
    }

    @Test func 四三_theSecretaryOrCommitteeFixesTheResult() throws {
        #expect(try Workflow.apply(.approve, to: .reviewed) == .approved)
    }

    @Test func 六_resultsArePublished() throws {
        #expect(try Workflow.apply(.publish, to: .approved) == .published)
    }

    @Test func aReturnGoesBackToDraftWithAReason() throws {
        #expect(try Workflow.apply(.return, to: .submitted, reason: "缺少会议记录") == .draft)
        #expect(try Workflow.apply(.return, to: .underReview, reason: "加分项缺具体事例") == .draft)
        #expect(throws: WorkflowProblem.self) { try Workflow.apply(.return, to: .submitted, reason: "  ") }
        #expect(throws: WorkflowProblem.self) { try Workflow.apply(.return, to: .reviewed, reason: "太晚") }
    }

    @Test func anUpheldObjectionReopensThePublishedReview() throws {
        #expect(try Workflow.apply(.reopen, to: .published, reason: "申诉成立") == .underReview)
    }

    @Test func noStepCanBeSkipped() {
        for state in SheetState.allCases {
            for action in WorkflowAction.allCases where !Workflow.actions(from: state).contains(action) {
                #expect(throws: WorkflowProblem.self, "\(action) from \(state)") {
                    try Workflow.apply(action, to: state, reason: "理由")
                }
            }
        }
    }

    @Test func aRefusalSaysWhyInChinese() {
        do {
            _ = try Workflow.apply(.approve, to: .draft)
            Issue.record("approving a draft must fail")
        } catch {
            #expect(error.message.contains("自查中"))
            #expect(error.message.contains("审核确定"))
        }
    }
}
