import Fluent
import Vapor

extension Application {
    /// Every migration, in order. Append only: a shipped migration is never edited.
    func registerMigrations() {
        migrations.add(M001_CreateUsers())
        migrations.add(M002_CreateUserTokens())
        migrations.add(M003_CreateRoleGrants())
        migrations.add(M004_CreateSignInFailures())
        migrations.add(SessionRecord.migration)
        migrations.add(M005_CreateUnits())
        migrations.add(M006_CreateAuditEvents())
        migrations.add(M007_CreateRubricVersions())
        migrations.add(M008_CreateAssessments())
        migrations.add(M009_CreateFeedback())
        migrations.add(M010_CreateActivities())
        migrations.add(M011_SignInByClient())
        migrations.add(M012_CreateAuditTail())
        migrations.add(M013_QuarterExits())
        migrations.add(M014_TheYear())
        migrations.add(M015_AtScale())
        migrations.add(M016_StoredResultsGzip())
        migrations.add(M017_SheetsByState())
        migrations.add(M018_BoardIndexes())
        migrations.add(M019_BoardIndexesByLevel())
        migrations.add(M020_AuditTailFollowsTheChain())
        migrations.add(M021_LedgerCompletions())
        migrations.add(M022_ActivityPeople())
        migrations.add(M023_Dues())
        migrations.add(M024_UnitDocuments())
        migrations.add(M025_SuggestionDismissals())
        migrations.add(M026_DocumentFiles())
        migrations.add(M027_SheetOpinion())
        migrations.add(M028_ActivityGroup())
        migrations.add(M029_BureauSettings())
        migrations.add(M030_Memberships())
        migrations.add(M031_UnitChanges())
        migrations.add(M032_OfficeDates())
        migrations.add(M033_YearFacts())
        migrations.add(M034_SheetPlaces())
        migrations.add(M035_KeptLedgers())
    }
}
