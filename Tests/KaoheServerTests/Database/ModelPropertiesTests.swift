import Fluent
import Testing

@testable import KaoheServer

/// Each model names its properties for Fluent instead of having them found by reflection on every row read. A
/// property declared but left out of the list would be neither read nor saved: the list must be the declarations.
@Suite struct ModelPropertiesTests {
    static let models: [any Model.Type] = [
        Activity.self, AnnualDecision.self, AnnualEvaluation.self, BureauSetting.self, Sheet.self, SheetEntry.self,
        SheetOpinion.self, AuditEvent.self, AuditTail.self, DuesPaymentRecord.self, DuesRecord.self, Evidence.self,
        EvidenceBlob.self, FiledResult.self, KeptLedgerYear.self, KeptSheetReading.self, LedgerCompletion.self,
        LedgerEpoch.self,
        Membership.self, Objection.self, UnitChange.self, YearFact.self,
        Period.self, RoleGrant.self, UnitDocument.self, RubricVersion.self, SignInFailure.self, StoredResults.self,
        SuggestionDismissal.self, Unit.self, User.self,
        UserToken.self, VetoRecord.self,
    ]

    @Test(arguments: models.map { ModelType($0) })
    func everyDeclaredPropertyIsNamed(_ type: ModelType) {
        let model = type.make()
        let named = model.properties.map { ObjectIdentifier($0 as AnyObject) }
        let declared = Mirror(reflecting: model).children.compactMap { $0.value as? any AnyProperty }
            .map { ObjectIdentifier($0 as AnyObject) }
        #expect(named == declared, "\(type): the list must name every property, in the order declared")
    }

    struct ModelType: CustomTestStringConvertible, Sendable, CustomStringConvertible {
        let make: @Sendable () -> any Model
        let description: String
        init(_ type: any Model.Type) {
            make = { type.init() }
            description = "\(type)"
        }
        var testDescription: String { description }
    }
}
